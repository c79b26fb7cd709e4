// TRANSPOSE_CONV planner (int16 x int8). The output shape comes from the
// output tensor's static shape: TFLite takes it from input 0, which seanet
// models feed at run time, but a package's shapes are fixed, so that input
// is ignored by the kernel (when it is constant, it must agree).
import type { PlanKernel } from '../../kernel-plan.ts';
import { convolutionMultipliers } from '../../quant.ts';
import {
  fmtShape,
  geometryInRange,
  optNum,
  optPadding,
  optStr,
  perTensor,
  quantizedClamp,
  spanInRange,
  staticShape,
  tconvQWords,
  typeName,
  unsupported,
  weightScales,
} from './common.ts';
import { computePadding, computeOutSize } from './geometry.ts';

export const planTransposeConv: PlanKernel = (ctx) => {
  const [shapeT, filter, input, bias = null] = ctx.inputs;
  const output = ctx.outputs[0];
  if (!filter || !input || !output || ctx.inputs.length > 4 || ctx.outputs.length !== 1) {
    return unsupported(ctx, 'expects output shape, weights, input, optional bias and one output');
  }
  for (const t of [filter, input, output]) {
    if (t.shape.length !== 4 || !staticShape(t)) {
      return unsupported(ctx, `needs static 4-D tensors, got ${fmtShape(t)}`);
    }
  }
  const [n, inH, inW, inC] = input.shape as [number, number, number, number];
  const [outN, outH, outW, outC] = output.shape as [number, number, number, number];
  const [f0, kH, kW, f3] = filter.shape as [number, number, number, number];
  if (outN !== n || f0 !== outC || f3 !== inC) {
    return unsupported(
      ctx,
      `weights ${fmtShape(filter)} do not connect input ${fmtShape(input)} to output ${fmtShape(output)}`,
    );
  }
  // A constant output-shape input must agree with the static output shape.
  const shapeIndex = ctx.op.inputs[0] ?? -1;
  const shapeBytes = shapeIndex >= 0 ? ctx.constData(shapeIndex) : null;
  if (shapeT && shapeBytes) {
    if (shapeT.type !== 'INT32' || shapeBytes.length !== 16) {
      return unsupported(ctx, 'output shape input is not 4 int32 values');
    }
    const dv = new DataView(shapeBytes.buffer, shapeBytes.byteOffset, 16);
    const given = [0, 1, 2, 3].map((i) => dv.getInt32(4 * i, true));
    if (given.some((d, i) => d !== output.shape[i])) {
      return unsupported(
        ctx,
        `output shape input [${given.join(', ')}] differs from output ${fmtShape(output)}`,
      );
    }
  }
  if (bias && bias.shape.reduce((a, b) => a * b, 1) !== outC) {
    return unsupported(ctx, `bias ${fmtShape(bias)} does not have ${outC} elements`);
  }
  const padding = optPadding(ctx);
  if (!padding) return unsupported(ctx, `padding ${optStr(ctx, 'padding', '?')} is not supported`);
  const strideW = optNum(ctx, 'strideW', 1);
  const strideH = optNum(ctx, 'strideH', 1);
  if (!geometryInRange(strideW, strideH, kW, kH) || Math.min(strideW, strideH) < 1) {
    return unsupported(ctx, 'stride or filter size out of range');
  }
  // TFLite: ComputePaddingHeightWidth over the *output* size, dilation 1.
  const padH = computePadding(strideH, 1, outH, kH, computeOutSize(padding, outH, kH, strideH));
  const padW = computePadding(strideW, 1, outW, kW, computeOutSize(padding, outW, kW, strideW));
  if (
    !geometryInRange(padW, padH) ||
    !spanInRange(inW, strideW, kW) ||
    !spanInRange(inH, strideH, kH)
  ) {
    return unsupported(ctx, 'padding or window span out of range');
  }

  const types = `${input.type}/${filter.type}/${typeName(bias)}/${output.type}`;
  if (input.type !== 'INT16' || filter.type !== 'INT8' || output.type !== 'INT16') {
    return unsupported(ctx, `no kernel for ${types} (only int16 x int8 is implemented)`);
  }
  if (bias && bias.type !== 'INT64' && bias.type !== 'INT32')
    return unsupported(ctx, `no kernel for ${types}`);
  const inQ = perTensor(input);
  const outQ = perTensor(output);
  if (!inQ || !outQ) return unsupported(ctx, 'input and output need per-tensor quantization');
  if (inQ.zeroPoint !== 0 || outQ.zeroPoint !== 0) {
    return unsupported(ctx, 'int16 activations need zero points of 0');
  }
  const w = weightScales(filter, outC, 0, true);
  if (typeof w === 'string') return unsupported(ctx, w);
  const clamp = quantizedClamp(optStr(ctx, 'fusedActivationFunction', 'NONE'), outQ, 'INT16');
  if (typeof clamp === 'string') return unsupported(ctx, clamp);
  const { multipliers, shifts } = convolutionMultipliers(inQ.scale, w.scales, outQ.scale);
  if (shifts.some((s) => s > 7)) {
    return unsupported(
      ctx,
      'requantisation scale too large (input * filter scale >> output scale)',
    );
  }
  return {
    kernel: 'TRANSPOSE_CONV_S16',
    params: tconvQWords({
      strideW,
      strideH,
      padW,
      padH,
      actMin: clamp[0],
      actMax: clamp[1],
      multipliers,
      shifts,
    }),
    scratchBytes: 0,
  };
};
