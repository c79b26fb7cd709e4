// MEAN (int8): which of TFLite's three int8 paths reduce.cc takes, and its
// set-up. Measured against tfjs-tflite: different scales go through the
// optimized float path (optimized_ops::QuantizedMeanOrSum), equal scales
// through the integer mean. Kernel: firmware/runtime/kernels/mean_s8.c.
import type { Tensor } from '../../../tflite/model.ts';
import type { PlanKernel } from '../../kernel-plan.ts';
import { quantizeMultiplier } from '../../quant.ts';
import { elementCount, ioCheck, optBool, perTensor, unsupported } from './common.ts';
import { constInts } from './layout.ts';

export const planMean: PlanKernel = (ctx) => {
  const io = ioCheck(ctx, 2);
  if ('reason' in io) return io;
  const input = io.inputs[0] as Tensor;
  const output = io.output;
  if (input.type !== 'INT8' || output.type !== 'INT8')
    return unsupported(ctx, `${input.type} is not supported`);
  const axes = constInts(ctx, 1);
  if (!axes) return unsupported(ctx, 'axis must be a constant');
  const r = input.shape.length;
  if (r < 1) return unsupported(ctx, 'scalar input');
  let mask = 0;
  for (const a of axes) {
    const d = a < 0 ? a + r : a;
    if (d < 0 || d >= r) return unsupported(ctx, `axis ${a} out of range`);
    mask |= 1 << d;
  }
  const keepDims = optBool(ctx, 'keepDims');
  const expected: number[] = [];
  input.shape.forEach((d, i) => {
    if (!((mask >> i) & 1)) expected.push(d);
    else if (keepDims) expected.push(1);
  });
  if (elementCount(expected) !== elementCount(output.shape)) {
    return unsupported(ctx, 'output does not match the reduced shape');
  }
  const reduced = input.shape.reduce((acc, d, i) => ((mask >> i) & 1 ? acc * d : acc), 1);
  if (reduced === 0 || reduced > 1 << 22) return unsupported(ctx, 'reduction size out of range');
  const qi = perTensor(input);
  const qo = perTensor(output);
  if (!qi || !qo) return unsupported(ctx, 'input and output need per-tensor quantization');
  // TFLite compares the raw axis values (not normalised) for its 4D path.
  const hw =
    keepDims &&
    r === 4 &&
    axes.length === 2 &&
    ((axes[0] === 1 && axes[1] === 2) || (axes[0] === 2 && axes[1] === 1));
  let mode: number;
  let m = { multiplier: 0, shift: 0 };
  if (hw) {
    mode = 0;
    m = quantizeMultiplier(qi.scale / qo.scale);
    if (m.shift > 30) return unsupported(ctx, 'multiplier out of range');
  } else if (qi.scale === qo.scale && qi.zeroPoint === qo.zeroPoint) {
    mode = 1;
  } else {
    mode = 2;
  }
  // The float path as TFLite's optimized kernel (its default) computes it;
  // the reference kernel adds a stray 0.5 to this bias, the optimized one
  // does not, and rounds to nearest.
  const scale = Math.fround(qi.scale / qo.scale);
  const bias = Math.fround(-qi.zeroPoint * scale);
  return {
    kernel: 'MEAN_S8',
    params: [
      mode,
      qi.zeroPoint,
      qo.zeroPoint,
      m.multiplier,
      m.shift,
      { f32: scale },
      { f32: bias },
      mask,
    ],
    scratchBytes: 0,
    inputs: [0],
  };
};
