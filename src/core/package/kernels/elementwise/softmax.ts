// SOFTMAX over the last dim. int8 -> int8 / int16 follows TFLite's default
// (optimized) kernel: a float exp table over the 256 possible differences
// from the row maximum, computed here (PopulateSoftmaxLookupTable), and the
// normalisation in float on the device (firmware/runtime/kernels/softmax_s8.c).
// float32 passes beta.
import type { Tensor } from '../../../tflite/model.ts';
import type { PlanKernel } from '../../kernel-plan.ts';
import { ioCheck, optNum, perTensor, sameShape, unsupported } from './common.ts';

const f32 = Math.fround;

/** table[d] = expf(-input_scale * beta * d), d = max - x in [0, 255]. */
export function softmaxTable(inputScale: number, beta: number): Float32Array {
  const scale = f32(-f32(inputScale) * f32(beta));
  const t = new Float32Array(256);
  for (let d = 0; d < 256; d++) t[d] = Math.exp(f32(scale * d));
  return t;
}

export const planSoftmax: PlanKernel = (ctx) => {
  const io = ioCheck(ctx, 1);
  if ('reason' in io) return io;
  const input = io.inputs[0] as Tensor;
  const output = io.output;
  if (!sameShape(input.shape, output.shape) || input.shape.length < 1) {
    return unsupported(ctx, 'output shape must equal input shape (rank >= 1)');
  }
  const beta = optNum(ctx, 'beta', 1);
  if (input.type === 'FLOAT32' && output.type === 'FLOAT32') {
    return { kernel: 'SOFTMAX_F32', params: [{ f32: beta }], scratchBytes: 0 };
  }
  if (input.type === 'INT8' && (output.type === 'INT8' || output.type === 'INT16')) {
    const qi = perTensor(input);
    const qo = perTensor(output);
    if (!qi || !qo) return unsupported(ctx, 'input and output need per-tensor quantization');
    return {
      kernel: 'SOFTMAX_S8',
      params: [{ array: softmaxTable(qi.scale, beta) }, qo.zeroPoint, { f32: qo.scale }],
      scratchBytes: 0,
    };
  }
  return unsupported(ctx, `${input.type} -> ${output.type} is not supported`);
};
