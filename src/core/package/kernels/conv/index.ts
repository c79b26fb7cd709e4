// Planners of the convolution, fully-connected and pooling kernels, keyed by
// TFLite operator name. Kernels: firmware/runtime/kernels/{conv_2d,
// depthwise_conv_2d,fully_connected,average_pool_2d,max_pool_2d,
// transpose_conv}_*.c; param layouts: td_conv_params.h.
import type { PlanKernel } from '../../kernel-plan.ts';
import { planConv2d, planDepthwiseConv2d } from './conv-2d.ts';
import { planFullyConnected } from './fully-connected.ts';
import { planAveragePool2d, planMaxPool2d } from './pool-2d.ts';
import { planTransposeConv } from './transpose-conv.ts';

export const convKernels: Record<string, PlanKernel> = {
  CONV_2D: planConv2d,
  DEPTHWISE_CONV_2D: planDepthwiseConv2d,
  FULLY_CONNECTED: planFullyConnected,
  AVERAGE_POOL_2D: planAveragePool2d,
  MAX_POOL_2D: planMaxPool2d,
  TRANSPOSE_CONV: planTransposeConv,
};
