// The ops the analysis understands, by name. Anything else is reported as
// unsupported and counted as 0 MACs.
import type { OpAnalyser } from './context.ts';
import { conv2d, depthwiseConv2d, transposeConv } from './conv.ts';
import { batchMatMul, fullyConnected } from './dense.ts';
import { binary, unary } from './elementwise.ts';
import { concatenation, pack, split, unpack } from './join-split.ts';
import { mean, pad, stridedSlice, transpose } from './layout.ts';
import { pool2d } from './pool.ts';
import { svdf, unidirectionalLstm } from './recurrent.ts';
import { expandDims, reshape, shapeOp, squeeze } from './reshape.ts';

export const OP_ANALYSERS: Readonly<Record<string, OpAnalyser>> = {
  CONV_2D: conv2d,
  DEPTHWISE_CONV_2D: depthwiseConv2d,
  TRANSPOSE_CONV: transposeConv,
  FULLY_CONNECTED: fullyConnected,
  BATCH_MATMUL: batchMatMul,
  AVERAGE_POOL_2D: pool2d,
  MAX_POOL_2D: pool2d,
  ADD: binary,
  SUB: binary,
  MUL: binary,
  MAXIMUM: binary,
  MINIMUM: binary,
  SOFTMAX: unary,
  QUANTIZE: unary,
  DEQUANTIZE: unary,
  LOGISTIC: unary,
  TANH: unary,
  RELU: unary,
  RELU6: unary,
  LEAKY_RELU: unary,
  HARD_SWISH: unary,
  RESHAPE: reshape,
  SQUEEZE: squeeze,
  EXPAND_DIMS: expandDims,
  SHAPE: shapeOp,
  CONCATENATION: concatenation,
  PACK: pack,
  UNPACK: unpack,
  SPLIT: split,
  PAD: pad,
  PADV2: pad,
  MEAN: mean,
  STRIDED_SLICE: stridedSlice,
  TRANSPOSE: transpose,
  SVDF: svdf,
  UNIDIRECTIONAL_SEQUENCE_LSTM: unidirectionalLstm,
};

export function isSupportedOp(name: string): boolean {
  return Object.hasOwn(OP_ANALYSERS, name);
}
