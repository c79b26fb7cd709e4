// RESHAPE, SQUEEZE and EXPAND_DIMS only relabel dims: one RESHAPE kernel
// (any dtype) that copies the bytes unless the planner placed output and
// input at the same offset. The shape operand is not passed: the package
// already stores the output's dims.
import type { KernelPlan, OpContext, PlanKernel, Unsupported } from '../kernel-plan.ts';
import { tensorBytes } from '../../analysis/tensors.ts';

export const planReshape: PlanKernel = (ctx: OpContext): KernelPlan | Unsupported => {
  const input = ctx.inputs[0];
  const output = ctx.outputs[0];
  if (!input || !output || ctx.outputs.length !== 1) {
    return { op: ctx.opName, reason: 'expects one data input and one output' };
  }
  if (input.type !== output.type) {
    return { op: ctx.opName, reason: `input is ${input.type} but output is ${output.type}` };
  }
  if (tensorBytes(input) !== tensorBytes(output)) {
    return {
      op: ctx.opName,
      reason: `output [${output.shape.join(', ')}] does not hold the same elements as input [${input.shape.join(', ')}]`,
    };
  }
  return { kernel: 'RESHAPE', params: [], scratchBytes: 0, inputs: [0] };
};

export const reshapeKernels: Record<string, PlanKernel> = {
  RESHAPE: planReshape,
  SQUEEZE: planReshape,
  EXPAND_DIMS: planReshape,
};
