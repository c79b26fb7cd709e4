// QUANTIZE (float -> int8/int16, and requantization between int8, uint8,
// int16 and int32) and DEQUANTIZE (int8/int16 -> float32), with TFLite's
// set-up: the requantize multiplier is QuantizeMultiplier(double(in_scale) /
// double(out_scale)). Kernels: firmware/runtime/kernels/td_quantize.h,
// dequantize_s8.c.
import type { Tensor } from '../../../tflite/model.ts';
import type { PlanKernel } from '../../kernel-plan.ts';
import { quantizeMultiplier } from '../../quant.ts';
import { QRANGE, ioCheck, perTensor, sameShape, unsupported } from './common.ts';

export const planQuantize: PlanKernel = (ctx) => {
  const io = ioCheck(ctx, 1);
  if ('reason' in io) return io;
  const input = io.inputs[0] as Tensor;
  const output = io.output;
  if (!sameShape(input.shape, output.shape))
    return unsupported(ctx, 'output shape differs from input');
  const qo = perTensor(output);
  if (!qo) return unsupported(ctx, 'output needs per-tensor quantization');
  const range = QRANGE[output.type];
  if (!range || output.type === 'UINT8')
    return unsupported(ctx, `output ${output.type} is not supported`);
  if (qo.zeroPoint < range[0] || qo.zeroPoint > range[1]) {
    return unsupported(ctx, 'output zero point outside its type');
  }
  const kernel = output.type === 'INT8' ? 'QUANTIZE_S8' : 'QUANTIZE_S16';
  if (input.type === 'FLOAT32') {
    if (output.type === 'INT32') return unsupported(ctx, 'float32 -> int32 is not supported');
    return { kernel, params: [0, qo.zeroPoint, { f32: qo.scale }, 0, 0], scratchBytes: 0 };
  }
  if (!QRANGE[input.type]) return unsupported(ctx, `input ${input.type} is not supported`);
  if (output.type === 'INT32' && input.type !== 'INT16') {
    return unsupported(ctx, `${input.type} -> INT32 is not supported`);
  }
  const qi = perTensor(input);
  if (!qi) return unsupported(ctx, 'input needs per-tensor quantization');
  const m = quantizeMultiplier(qi.scale / qo.scale);
  if (m.shift > 30) return unsupported(ctx, 'requantization multiplier out of range');
  return {
    kernel,
    params: [1, qo.zeroPoint, qi.zeroPoint, m.multiplier, m.shift],
    scratchBytes: 0,
  };
};

export const planDequantize: PlanKernel = (ctx) => {
  const io = ioCheck(ctx, 1);
  if ('reason' in io) return io;
  const input = io.inputs[0] as Tensor;
  const output = io.output;
  if (!sameShape(input.shape, output.shape))
    return unsupported(ctx, 'output shape differs from input');
  if (output.type !== 'FLOAT32' || (input.type !== 'INT8' && input.type !== 'INT16')) {
    return unsupported(ctx, `${input.type} -> ${output.type} is not supported`);
  }
  const qi = perTensor(input);
  if (!qi) return unsupported(ctx, 'input needs per-tensor quantization');
  return { kernel: 'DEQUANTIZE_S8', params: [qi.zeroPoint, { f32: qi.scale }], scratchBytes: 0 };
};
