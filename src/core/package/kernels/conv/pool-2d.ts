// AVERAGE_POOL_2D and MAX_POOL_2D planners (int8 and float32). TFLite's
// quantized pools work on raw values, so input and output must share their
// quantization.
import type { OpContext, PlanKernel } from '../../kernel-plan.ts';
import { activationRangeFloat } from '../../quant.ts';
import {
  fmtShape,
  geometryInRange,
  optNum,
  optPadding,
  optStr,
  perTensor,
  poolWords,
  quantizedClamp,
  spanInRange,
  staticShape,
  unsupported,
} from './common.ts';
import { windowGeometry } from './geometry.ts';

function planPool(ctx: OpContext, average: boolean): ReturnType<PlanKernel> {
  const input = ctx.inputs[0];
  const output = ctx.outputs[0];
  if (!input || !output || ctx.inputs.length !== 1 || ctx.outputs.length !== 1) {
    return unsupported(ctx, 'expects one input and one output');
  }
  for (const t of [input, output]) {
    if (t.shape.length !== 4 || !staticShape(t)) {
      return unsupported(ctx, `needs static 4-D tensors, got ${fmtShape(t)}`);
    }
  }
  const [n, inH, inW, c] = input.shape as [number, number, number, number];
  const padding = optPadding(ctx);
  if (!padding) return unsupported(ctx, `padding ${optStr(ctx, 'padding', '?')} is not supported`);
  const win = {
    strideW: optNum(ctx, 'strideW', 1),
    strideH: optNum(ctx, 'strideH', 1),
    filterW: optNum(ctx, 'filterWidth', 1),
    filterH: optNum(ctx, 'filterHeight', 1),
    dilationW: 1,
    dilationH: 1,
    padding,
  };
  if (
    !geometryInRange(win.strideW, win.strideH, win.filterW, win.filterH) ||
    Math.min(win.strideW, win.strideH, win.filterW, win.filterH) < 1
  ) {
    return unsupported(ctx, 'stride or window size out of range');
  }
  const g = windowGeometry(inH, inW, win);
  const expected = [n, g.outH, g.outW, c];
  if (output.shape.some((d, i) => d !== expected[i])) {
    return unsupported(
      ctx,
      `output ${fmtShape(output)} does not match the computed [${expected.join(', ')}]`,
    );
  }
  if (
    !geometryInRange(g.padW, g.padH) ||
    !spanInRange(g.outW, win.strideW, win.filterW) ||
    !spanInRange(g.outH, win.strideH, win.filterH)
  ) {
    return unsupported(ctx, 'padding or window span out of range');
  }
  const geom = {
    strideW: win.strideW,
    strideH: win.strideH,
    filterW: win.filterW,
    filterH: win.filterH,
    padW: g.padW,
    padH: g.padH,
  };
  const activation = optStr(ctx, 'fusedActivationFunction', 'NONE');
  const name = average ? 'AVERAGE_POOL_2D' : 'MAX_POOL_2D';

  if (input.type === 'FLOAT32' && output.type === 'FLOAT32') {
    const clamp = activationRangeFloat(activation);
    if (!clamp) return unsupported(ctx, `fused activation ${activation} is not supported`);
    return {
      kernel: `${name}_F32`,
      params: poolWords({ ...geom, actMin: clamp[0], actMax: clamp[1] }, true),
      scratchBytes: 0,
    };
  }
  if (input.type !== 'INT8' || output.type !== 'INT8') {
    return unsupported(ctx, `no kernel for ${input.type} -> ${output.type}`);
  }
  const inQ = perTensor(input);
  const outQ = perTensor(output);
  if (!inQ || !outQ) return unsupported(ctx, 'input and output need per-tensor quantization');
  if (Math.fround(inQ.scale) !== Math.fround(outQ.scale) || inQ.zeroPoint !== outQ.zeroPoint) {
    return unsupported(ctx, 'input and output quantization differ (TFLite requires them equal)');
  }
  if (average && win.filterW * win.filterH > 1 << 23) return unsupported(ctx, 'window too large');
  const clamp = quantizedClamp(activation, outQ, 'INT8');
  if (typeof clamp === 'string') return unsupported(ctx, clamp);
  return {
    kernel: `${name}_S8`,
    params: poolWords({ ...geom, actMin: clamp[0], actMax: clamp[1] }, false),
    scratchBytes: 0,
  };
}

export const planAveragePool2d: PlanKernel = (ctx) => planPool(ctx, true);
export const planMaxPool2d: PlanKernel = (ctx) => planPool(ctx, false);
