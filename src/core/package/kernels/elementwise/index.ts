// Planners of the elementwise and data-movement kernels, keyed by TFLite op
// name; each picks the dtype variant (…_S8, …_S16, …_F32) from the tensors.
import type { PlanKernel } from '../../kernel-plan.ts';
import { arithKernels } from './arith.ts';
import { layoutKernels } from './layout.ts';
import { planMean } from './mean.ts';
import { planDequantize, planQuantize } from './quantize.ts';
import { planSoftmax } from './softmax.ts';
import { unaryKernels } from './unary.ts';

export const elementwiseKernels: Record<string, PlanKernel> = {
  ...arithKernels,
  ...unaryKernels,
  ...layoutKernels,
  SOFTMAX: planSoftmax,
  QUANTIZE: planQuantize,
  DEQUANTIZE: planDequantize,
  MEAN: planMean,
};
