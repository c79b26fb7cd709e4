// One generator per kernel id: the random generator draws a kernel, then a
// model for it; the catalogue pins parameters of the same generators.
import type { KernelName } from '../package/kernel-ids.ts';
import { activation } from './ops-activation.ts';
import { conv2d, depthwiseConv2d, fullyConnected, transposeConvS16 } from './ops-conv.ts';
import { binary, minMax, pool } from './ops-elementwise.ts';
import { dequantize, quantize } from './ops-quantize.ts';
import { concatenation, mean, pad, reshape, stridedSlice, transpose } from './ops-shape.ts';
import type { CaseGenerator } from './types.ts';

export const GENERATORS: Record<KernelName, CaseGenerator> = {
  RESHAPE: reshape(),
  CONV_2D_S8: conv2d('S8'),
  DEPTHWISE_CONV_2D_S8: depthwiseConv2d('S8'),
  FULLY_CONNECTED_S8: fullyConnected('S8'),
  AVERAGE_POOL_2D_S8: pool('AVERAGE_POOL_2D', 'S8'),
  MAX_POOL_2D_S8: pool('MAX_POOL_2D', 'S8'),
  ADD_S8: binary('ADD', 'S8'),
  SUB_S8: binary('SUB', 'S8'),
  MUL_S8: binary('MUL', 'S8'),
  SOFTMAX_S8: activation('SOFTMAX', 'S8'),
  QUANTIZE_S8: quantize(['FLOAT32>INT8', 'INT8>INT8']),
  DEQUANTIZE_S8: dequantize(),
  LOGISTIC_S8: activation('LOGISTIC', 'S8'),
  TANH_S8: activation('TANH', 'S8'),
  RELU_S8: activation('RELU', 'S8'),
  RELU6_S8: activation('RELU6', 'S8'),
  LEAKY_RELU_S8: activation('LEAKY_RELU', 'S8'),
  HARD_SWISH_S8: activation('HARD_SWISH', 'S8'),
  CONCATENATION_S8: concatenation(),
  PAD_S8: pad('S8'),
  MEAN_S8: mean(),
  STRIDED_SLICE_S8: stridedSlice('S8'),
  TRANSPOSE_S8: transpose(),
  MAXIMUM_S8: minMax('MAXIMUM'),
  MINIMUM_S8: minMax('MINIMUM'),
  CONV_2D_S16: conv2d('S16'),
  FULLY_CONNECTED_S16: fullyConnected('S16'),
  ADD_S16: binary('ADD', 'S16'),
  SUB_S16: binary('SUB', 'S16'),
  LEAKY_RELU_S16: activation('LEAKY_RELU', 'S16'),
  PAD_S16: pad('S16'),
  STRIDED_SLICE_S16: stridedSlice('S16'),
  QUANTIZE_S16: quantize(['INT16>INT16', 'INT32>INT16', 'INT16>INT32', 'FLOAT32>INT16']),
  TRANSPOSE_CONV_S16: transposeConvS16(),
  CONV_2D_F32: conv2d('F32'),
  DEPTHWISE_CONV_2D_F32: depthwiseConv2d('F32'),
  FULLY_CONNECTED_F32: fullyConnected('F32'),
  AVERAGE_POOL_2D_F32: pool('AVERAGE_POOL_2D', 'F32'),
  MAX_POOL_2D_F32: pool('MAX_POOL_2D', 'F32'),
  ADD_F32: binary('ADD', 'F32'),
  MUL_F32: binary('MUL', 'F32'),
  SOFTMAX_F32: activation('SOFTMAX', 'F32'),
  LOGISTIC_F32: activation('LOGISTIC', 'F32'),
  TANH_F32: activation('TANH', 'F32'),
  RELU_F32: activation('RELU', 'F32'),
  RELU6_F32: activation('RELU6', 'F32'),
};
