// The fixed catalogue: named single-op cases covering every kernel id in
// td_kernels.h, with the parameters that matter pinned (padding, strides,
// dilation, depth multiplier, broadcasting, activations, masks) and the rest
// drawn from a seed derived from the name, so each case is stable.
import { KERNEL_IDS, type KernelName } from '../package/kernel-ids.ts';
import { hashSeed } from '../validate/prng.ts';
import { generateCase } from './random.ts';
import type { OpCase } from './types.ts';

type Entry = [kernel: KernelName, variant: string, overrides: Record<string, unknown>];

const SPATIAL_VARIANTS: Entry[] = (['CONV_2D_S8', 'CONV_2D_S16', 'CONV_2D_F32'] as const).flatMap(
  (k) =>
    [
      [
        k,
        'valid_1x1',
        {
          padding: 'VALID',
          kernelH: 1,
          kernelW: 1,
          strideH: 1,
          strideW: 1,
          dilationH: 1,
          dilationW: 1,
        },
      ],
      [
        k,
        'same_3x3_stride2',
        {
          padding: 'SAME',
          kernelH: 3,
          kernelW: 3,
          strideH: 2,
          strideW: 2,
          dilationH: 1,
          dilationW: 1,
          activation: 'RELU',
        },
      ],
      [
        k,
        'valid_3x3_dilation2',
        {
          padding: 'VALID',
          kernelH: 3,
          kernelW: 3,
          strideH: 1,
          strideW: 1,
          dilationH: 2,
          dilationW: 2,
        },
      ],
      [
        k,
        'same_5x2_relu6',
        {
          padding: 'SAME',
          kernelH: 5,
          kernelW: 2,
          strideH: 1,
          strideW: 3,
          dilationH: 1,
          dilationW: 1,
          activation: 'RELU6',
        },
      ],
    ] satisfies Entry[],
);

const ENTRIES: Entry[] = [
  ['RESHAPE', 'int8_4d_to_2d', { type: 'INT8', inputShape: [1, 4, 3, 2], outputShape: [4, 6] }],
  ['RESHAPE', 'float_flatten', { type: 'FLOAT32', inputShape: [2, 3, 5], outputShape: [30] }],
  ...SPATIAL_VARIANTS,
  ['CONV_2D_S8', 'batch2_relu_n1_to_1', { batch: 2, activation: 'RELU_N1_TO_1', padding: 'SAME' }],
  [
    'DEPTHWISE_CONV_2D_S8',
    'same_3x3',
    {
      padding: 'SAME',
      kernelH: 3,
      kernelW: 3,
      strideH: 1,
      strideW: 1,
      dilationH: 1,
      dilationW: 1,
      depthMultiplier: 1,
    },
  ],
  [
    'DEPTHWISE_CONV_2D_S8',
    'valid_3x3_stride2_mult2',
    {
      padding: 'VALID',
      kernelH: 3,
      kernelW: 3,
      strideH: 2,
      strideW: 2,
      dilationH: 1,
      dilationW: 1,
      depthMultiplier: 2,
    },
  ],
  [
    'DEPTHWISE_CONV_2D_S8',
    'same_dilation2_relu6',
    {
      padding: 'SAME',
      kernelH: 3,
      kernelW: 3,
      strideH: 1,
      strideW: 1,
      dilationH: 2,
      dilationW: 2,
      activation: 'RELU6',
    },
  ],
  [
    'DEPTHWISE_CONV_2D_F32',
    'same_3x3',
    {
      padding: 'SAME',
      kernelH: 3,
      kernelW: 3,
      strideH: 1,
      strideW: 1,
      dilationH: 1,
      dilationW: 1,
      depthMultiplier: 1,
    },
  ],
  [
    'DEPTHWISE_CONV_2D_F32',
    'valid_mult3_stride2',
    { padding: 'VALID', strideH: 2, strideW: 2, depthMultiplier: 3, dilationH: 1, dilationW: 1 },
  ],
  [
    'FULLY_CONNECTED_S8',
    'basic',
    { batch: 1, inputDepth: 32, units: 10, activation: 'NONE', bias: true, inputShape: [1, 32] },
  ],
  ['FULLY_CONNECTED_S8', 'batch3_relu_no_bias', { batch: 3, activation: 'RELU', bias: false }],
  ['FULLY_CONNECTED_S8', 'rank3_input', { batch: 2, inputDepth: 7, inputShape: [2, 1, 7] }],
  [
    'FULLY_CONNECTED_S16',
    'basic',
    { batch: 1, inputDepth: 40, units: 12, activation: 'NONE', bias: true, inputShape: [1, 40] },
  ],
  ['FULLY_CONNECTED_S16', 'batch2_relu_no_bias', { batch: 2, activation: 'RELU', bias: false }],
  [
    'FULLY_CONNECTED_F32',
    'basic',
    { batch: 1, inputDepth: 16, units: 16, activation: 'NONE', inputShape: [1, 16] },
  ],
  ['FULLY_CONNECTED_F32', 'batch2_relu6', { batch: 2, activation: 'RELU6' }],
  ...(
    ['AVERAGE_POOL_2D_S8', 'MAX_POOL_2D_S8', 'AVERAGE_POOL_2D_F32', 'MAX_POOL_2D_F32'] as const
  ).flatMap((k): Entry[] => [
    [
      k,
      'same_3x3_stride2',
      { padding: 'SAME', filterH: 3, filterW: 3, strideH: 2, strideW: 2, activation: 'NONE' },
    ],
    [
      k,
      'valid_2x2_stride2',
      { padding: 'VALID', filterH: 2, filterW: 2, strideH: 2, strideW: 2, activation: 'NONE' },
    ],
    [
      k,
      'valid_global',
      { padding: 'VALID', filterH: 4, filterW: 3, height: 4, width: 3, strideH: 1, strideW: 1 },
    ],
    [
      k,
      'same_4x1_relu6',
      { padding: 'SAME', filterH: 4, filterW: 1, strideH: 1, strideW: 1, activation: 'RELU6' },
    ],
  ]),
  ...(['ADD_S8', 'SUB_S8', 'MUL_S8', 'ADD_S16', 'SUB_S16', 'ADD_F32', 'MUL_F32'] as const).flatMap(
    (k): Entry[] => [
      [k, 'same_shape', { shape: [1, 4, 4, 3], broadcast: 'none', activation: 'NONE' }],
      [
        k,
        'broadcast_channel',
        { shape: [1, 3, 5, 4], broadcast: 'second', shapeB: [4], activation: 'NONE' },
      ],
      [
        k,
        'broadcast_both_relu',
        {
          shape: [2, 3, 4],
          broadcast: 'both',
          shapeA: [2, 1, 4],
          shapeB: [3, 1],
          activation: 'RELU',
        },
      ],
      [k, 'scalar_relu6', { shape: [5, 6], broadcast: 'first', shapeA: [1], activation: 'RELU6' }],
    ],
  ),
  ['ADD_S8', 'shared_input_scale', { sameInputQuant: true, broadcast: 'none' }],
  ['MAXIMUM_S8', 'same_shape', { shape: [1, 4, 4, 3], broadcast: 'none' }],
  ['MAXIMUM_S8', 'broadcast', { shape: [3, 5], broadcast: 'second', shapeB: [1, 5] }],
  ['MINIMUM_S8', 'same_shape', { shape: [2, 8], broadcast: 'none' }],
  ['MINIMUM_S8', 'broadcast', { shape: [2, 3, 4], broadcast: 'first', shapeA: [4] }],
  ['SOFTMAX_S8', 'row_beta1', { shape: [1, 10], beta: 1 }],
  ['SOFTMAX_S8', 'rows_beta2', { shape: [3, 33], beta: 2 }],
  ['SOFTMAX_S8', '4d_beta_half', { shape: [1, 2, 3, 7], beta: 0.5 }],
  ['SOFTMAX_F32', 'row_beta1', { shape: [1, 10], beta: 1 }],
  ['SOFTMAX_F32', 'rows_beta2', { shape: [4, 17], beta: 2 }],
  ['QUANTIZE_S8', 'from_float', { form: 'FLOAT32>INT8' }],
  ['QUANTIZE_S8', 'requantize_int8', { form: 'INT8>INT8' }],
  ['QUANTIZE_S16', 'int32_to_int16', { form: 'INT32>INT16', shape: [1, 2, 16, 2] }],
  ['QUANTIZE_S16', 'int16_to_int32', { form: 'INT16>INT32', shape: [1, 2, 16, 2] }],
  ['QUANTIZE_S16', 'requantize_int16', { form: 'INT16>INT16' }],
  ['QUANTIZE_S16', 'from_float', { form: 'FLOAT32>INT16' }],
  ['DEQUANTIZE_S8', 'basic', { shape: [2, 9] }],
  ...(
    [
      'LOGISTIC_S8',
      'TANH_S8',
      'RELU_S8',
      'RELU6_S8',
      'HARD_SWISH_S8',
      'LOGISTIC_F32',
      'TANH_F32',
      'RELU_F32',
      'RELU6_F32',
    ] as const
  ).map((k): Entry => [k, 'basic', { shape: [1, 6, 6, 4] }]),
  ['RELU_S8', 'same_quant', { shape: [3, 40], sameQuant: true }],
  ['LEAKY_RELU_S8', 'alpha_0.2', { shape: [1, 5, 5, 3], alpha: 0.2 }],
  ['LEAKY_RELU_S8', 'alpha_0.01_same_quant', { shape: [64], alpha: 0.01, sameQuant: true }],
  ['LEAKY_RELU_S16', 'alpha_0.3', { shape: [1, 2, 20, 8], alpha: 0.3 }],
  ['LEAKY_RELU_S16', 'alpha_0.3_same_quant', { shape: [1, 2, 20, 8], alpha: 0.3, sameQuant: true }],
  ['CONCATENATION_S8', 'channels', { inputs: 2, shape: [1, 3, 3, 2], axis: 3 }],
  ['CONCATENATION_S8', 'axis1_three_inputs', { inputs: 3, shape: [1, 2, 4], axis: 1 }],
  ['CONCATENATION_S8', 'negative_axis', { inputs: 2, shape: [2, 5], axis: -1 }],
  [
    'PAD_S8',
    '4d_spatial',
    {
      shape: [1, 4, 5, 2],
      paddings: [
        [0, 0],
        [1, 2],
        [2, 1],
        [0, 0],
      ],
    },
  ],
  [
    'PAD_S8',
    '2d',
    {
      shape: [3, 4],
      paddings: [
        [1, 0],
        [0, 3],
      ],
    },
  ],
  [
    'PAD_S16',
    'seanet_like',
    {
      shape: [1, 2, 16, 2],
      paddings: [
        [0, 0],
        [0, 0],
        [3, 3],
        [0, 0],
      ],
    },
  ],
  [
    'PAD_S16',
    '3d',
    {
      shape: [2, 3, 4],
      paddings: [
        [1, 1],
        [0, 2],
        [3, 0],
      ],
    },
  ],
  ['MEAN_S8', 'spatial_keep_dims', { shape: [1, 5, 6, 3], axes: [1, 2], keepDims: true }],
  [
    'MEAN_S8',
    'spatial_same_quant',
    { shape: [1, 4, 4, 8], axes: [1, 2], keepDims: true, sameQuant: true },
  ],
  ['MEAN_S8', 'last_axis_drop', { shape: [3, 7], axes: [-1], keepDims: false }],
  [
    'STRIDED_SLICE_S8',
    'crop',
    { shape: [1, 6, 6, 3], beginMask: 0, endMask: 0, shrinkAxisMask: 0, negativeIndices: false },
  ],
  [
    'STRIDED_SLICE_S8',
    'masks_negative',
    { shape: [4, 8], negativeIndices: true, beginMask: 1, endMask: 2, shrinkAxisMask: 0 },
  ],
  ['STRIDED_SLICE_S8', 'shrink', { shape: [3, 5, 2], shrinkAxisMask: 1 }],
  [
    'STRIDED_SLICE_S16',
    'seanet_like',
    { shape: [1, 8, 16, 2], beginMask: 13, endMask: 15, shrinkAxisMask: 0, negativeIndices: false },
  ],
  [
    'STRIDED_SLICE_S16',
    'strided',
    {
      shape: [2, 9, 3],
      slices: [
        { b: 0, e: 2, stride: 1 },
        { b: 1, e: 9, stride: 3 },
        { b: 0, e: 3, stride: 2 },
      ],
      beginMask: 0,
      endMask: 0,
      shrinkAxisMask: 0,
    },
  ],
  ['TRANSPOSE_S8', 'nhwc_to_nchw', { shape: [1, 3, 4, 5], perm: [0, 3, 1, 2] }],
  ['TRANSPOSE_S8', '2d', { shape: [6, 7], perm: [1, 0] }],
  ['TRANSPOSE_S8', '5d', { shape: [2, 1, 3, 2, 2], perm: [4, 2, 0, 3, 1] }],
  [
    'TRANSPOSE_CONV_S16',
    'seanet_like',
    {
      padding: 'VALID',
      kernelH: 3,
      kernelW: 4,
      strideH: 1,
      strideW: 2,
      height: 1,
      width: 5,
      shapeAsInput: true,
    },
  ],
  [
    'TRANSPOSE_CONV_S16',
    'same_stride2_const_shape',
    { padding: 'SAME', strideH: 2, strideW: 2, shapeAsInput: false },
  ],
  ['TRANSPOSE_CONV_S16', 'valid_no_bias', { padding: 'VALID', bias: false, shapeAsInput: false }],
];

export interface CatalogueEntry {
  name: string;
  kernel: KernelName;
  overrides: Record<string, unknown>;
  seed: number;
}

export const CATALOGUE: readonly CatalogueEntry[] = ENTRIES.map(([kernel, variant, overrides]) => {
  const name = `${kernel.toLowerCase()}/${variant}`;
  return { name, kernel, overrides, seed: hashSeed('catalogue', name) };
});

export function catalogueCase(entry: CatalogueEntry): OpCase {
  return generateCase(entry.kernel, entry.seed, entry.overrides, entry.name);
}

export function catalogueCases(filter?: (e: CatalogueEntry) => boolean): OpCase[] {
  return CATALOGUE.filter(filter ?? (() => true)).map(catalogueCase);
}

/** Kernel ids no catalogue entry covers (empty when the catalogue is complete). */
export function uncoveredKernels(): KernelName[] {
  const covered = new Set(CATALOGUE.map((e) => e.kernel));
  return (Object.keys(KERNEL_IDS) as KernelName[]).filter((k) => !covered.has(k));
}
