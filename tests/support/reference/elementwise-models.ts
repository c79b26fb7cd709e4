// Single-op models for the elementwise kernel tests: a builder, and one
// small model per kernel id (used by the hostile-package tests).
import type { Model, TensorType } from '../../../src/core/tflite/model.ts';
import { ModelBuilder, type OptionFields } from '../../../src/core/tflite/build.ts';

export type Q = { scale: number; zeroPoint: number } | null;

export interface OpInput {
  type: TensorType;
  shape: number[];
  quant?: Q;
  /** Constant data: the operand is baked into the model. */
  data?: number[];
}

export function singleOp(
  op: string,
  ins: OpInput[],
  out: { type: TensorType; shape: number[]; quant?: Q },
  options: OptionFields = {},
): Model {
  const b = new ModelBuilder(op);
  const ids = ins.map((t, i) =>
    t.data !== undefined
      ? b.addTensor({
          name: `c${i}`,
          type: t.type,
          shape: t.shape,
          quant: t.quant ?? null,
          data: t.data,
        })
      : b.addInput({ name: `in${i}`, type: t.type, shape: t.shape, quant: t.quant ?? null }),
  );
  const o = b.addOutput({
    name: 'out',
    type: out.type,
    shape: out.shape,
    quant: out.quant ?? null,
  });
  b.addOperator(op, ids, [o], options);
  return b.build();
}

const q8 = { scale: 0.05, zeroPoint: 3 };
const q8o = { scale: 0.07, zeroPoint: -4 };
const q16 = { scale: 0.001, zeroPoint: 0 };
const q16o = { scale: 0.0013, zeroPoint: 0 };
const i8 = (shape: number[], quant: Q = q8) => ({ type: 'INT8' as const, shape, quant });
const i16 = (shape: number[], quant: Q = q16) => ({ type: 'INT16' as const, shape, quant });
const f = (shape: number[]) => ({ type: 'FLOAT32' as const, shape });
const ints = (data: number[], shape = [data.length]) => ({ type: 'INT32' as const, shape, data });

/** One model per elementwise kernel id, named by the kernel it plans to. */
export function kernelCatalogue(): [string, Model][] {
  return [
    ['ADD_S8', singleOp('ADD', [i8([2, 1, 4]), i8([3, 1])], i8([2, 3, 4], q8o))],
    ['SUB_S8', singleOp('SUB', [i8([2, 3, 4]), i8([4])], i8([2, 3, 4], q8o))],
    ['MUL_S8', singleOp('MUL', [i8([2, 3, 4]), i8([1, 3, 1])], i8([2, 3, 4], q8o))],
    ['MAXIMUM_S8', singleOp('MAXIMUM', [i8([2, 3, 4]), i8([4])], i8([2, 3, 4]))],
    ['MINIMUM_S8', singleOp('MINIMUM', [i8([2, 3, 4]), i8([2, 1, 1])], i8([2, 3, 4]))],
    [
      'ADD_S16',
      singleOp('ADD', [i16([2, 3, 4]), i16([4])], i16([2, 3, 4], q16o), { potScaleInt16: false }),
    ],
    [
      'SUB_S16',
      singleOp(
        'SUB',
        [i16([2, 3, 4]), i16([2, 3, 4], { scale: 2 ** -10, zeroPoint: 0 })],
        i16([2, 3, 4], { scale: 2 ** -10, zeroPoint: 0 }),
      ),
    ],
    [
      'ADD_F32',
      singleOp('ADD', [f([2, 3]), f([3])], f([2, 3]), { fusedActivationFunction: 'RELU' }),
    ],
    ['MUL_F32', singleOp('MUL', [f([2, 3]), f([2, 1])], f([2, 3]))],
    ['RELU_S8', singleOp('RELU', [i8([5, 7])], i8([5, 7], q8o))],
    ['RELU6_S8', singleOp('RELU6', [i8([5, 7])], i8([5, 7], q8o))],
    ['LEAKY_RELU_S8', singleOp('LEAKY_RELU', [i8([5, 7])], i8([5, 7], q8o), { alpha: 0.1 })],
    ['HARD_SWISH_S8', singleOp('HARD_SWISH', [i8([5, 7])], i8([5, 7], q8o))],
    [
      'LOGISTIC_S8',
      singleOp('LOGISTIC', [i8([5, 7])], i8([5, 7], { scale: 1 / 256, zeroPoint: -128 })),
    ],
    ['TANH_S8', singleOp('TANH', [i8([5, 7])], i8([5, 7], { scale: 1 / 128, zeroPoint: 0 }))],
    ['LEAKY_RELU_S16', singleOp('LEAKY_RELU', [i16([5, 7])], i16([5, 7], q16o), { alpha: 0.2 })],
    ['RELU_F32', singleOp('RELU', [f([9])], f([9]))],
    ['RELU6_F32', singleOp('RELU6', [f([9])], f([9]))],
    ['LOGISTIC_F32', singleOp('LOGISTIC', [f([9])], f([9]))],
    ['TANH_F32', singleOp('TANH', [f([9])], f([9]))],
    [
      'SOFTMAX_S8',
      singleOp('SOFTMAX', [i8([3, 10])], i8([3, 10], { scale: 1 / 256, zeroPoint: -128 }), {
        beta: 1,
      }),
    ],
    ['SOFTMAX_F32', singleOp('SOFTMAX', [f([3, 10])], f([3, 10]), { beta: 1 })],
    ['QUANTIZE_S8', singleOp('QUANTIZE', [f([4, 5])], i8([4, 5]))],
    ['QUANTIZE_S16', singleOp('QUANTIZE', [i8([4, 5])], i16([4, 5]))],
    ['DEQUANTIZE_S8', singleOp('DEQUANTIZE', [i8([4, 5])], f([4, 5]))],
    ['PAD_S8', singleOp('PAD', [i8([2, 3, 4]), ints([0, 1, 2, 0, 1, 1], [3, 2])], i8([3, 5, 6]))],
    ['PAD_S16', singleOp('PAD', [i16([2, 3]), ints([1, 1, 0, 2], [2, 2])], i16([4, 5]))],
    ['TRANSPOSE_S8', singleOp('TRANSPOSE', [i8([2, 3, 4]), ints([2, 0, 1])], i8([4, 2, 3]))],
    [
      'CONCATENATION_S8',
      singleOp('CONCATENATION', [i8([2, 3]), i8([2, 2], q8o)], i8([2, 5]), { axis: 1 }),
    ],
    [
      'STRIDED_SLICE_S8',
      singleOp(
        'STRIDED_SLICE',
        [i8([4, 6]), ints([1, 5]), ints([4, 0]), ints([2, -2])],
        i8([2, 3]),
      ),
    ],
    [
      'STRIDED_SLICE_S16',
      singleOp(
        'STRIDED_SLICE',
        [i16([4, 6]), ints([0, 1]), ints([4, 5]), ints([1, 2])],
        i16([4, 2]),
      ),
    ],
    [
      'MEAN_S8',
      singleOp('MEAN', [i8([1, 3, 3, 4]), ints([1, 2])], i8([1, 1, 1, 4], q8o), { keepDims: true }),
    ],
  ];
}
