// CONV_2D and DEPTHWISE_CONV_2D planners: TFLite's Prepare maths on the host
// (padding, per-channel multipliers, activation clamps), checked against
// the tensors' static shapes.
import type { OpContext, PlanKernel } from '../../kernel-plan.ts';
import { activationRangeFloat, convolutionMultipliers } from '../../quant.ts';
import {
  convF32Words,
  convQWords,
  fmtShape,
  geometryInRange,
  optNum,
  optPadding,
  optStr,
  perTensor,
  quantizedClamp,
  spanInRange,
  staticShape,
  typeName,
  unsupported,
  weightScales,
} from './common.ts';
import { windowGeometry } from './geometry.ts';

function planConvLike(ctx: OpContext, depthwise: boolean): ReturnType<PlanKernel> {
  const [input, filter, bias = null] = ctx.inputs;
  const output = ctx.outputs[0];
  if (!input || !filter || !output || ctx.inputs.length > 3 || ctx.outputs.length !== 1) {
    return unsupported(ctx, 'expects input, filter, optional bias and one output');
  }
  for (const t of [input, filter, output]) {
    if (t.shape.length !== 4 || !staticShape(t)) {
      return unsupported(ctx, `needs static 4-D tensors, got ${fmtShape(t)}`);
    }
  }
  const [n, inH, inW, inC] = input.shape as [number, number, number, number];
  const [outN, outH, outW, outC] = output.shape as [number, number, number, number];
  const [f0, kH, kW, f3] = filter.shape as [number, number, number, number];

  // Channel structure.
  if (depthwise) {
    if (f0 !== 1 || f3 !== outC) {
      return unsupported(
        ctx,
        `filter ${fmtShape(filter)} does not match output ${fmtShape(output)}`,
      );
    }
    if (outC % inC !== 0) {
      return unsupported(
        ctx,
        `output channels ${outC} are not a multiple of input channels ${inC}`,
      );
    }
    // The depth multiplier is Co / Ci, as TFLite derives it from the shapes.
  } else {
    if (f0 !== outC) {
      return unsupported(
        ctx,
        `filter ${fmtShape(filter)} does not match output ${fmtShape(output)}`,
      );
    }
    if (inC % f3 !== 0 || outC % (inC / f3) !== 0) {
      return unsupported(
        ctx,
        `filter ${fmtShape(filter)} does not divide input ${fmtShape(input)} into groups`,
      );
    }
  }
  if (bias && bias.shape.reduce((a, b) => a * b, 1) !== outC) {
    return unsupported(ctx, `bias ${fmtShape(bias)} does not have ${outC} elements`);
  }

  // Geometry.
  const padding = optPadding(ctx);
  if (!padding) return unsupported(ctx, `padding ${optStr(ctx, 'padding', '?')} is not supported`);
  const win = {
    strideW: optNum(ctx, 'strideW', 1),
    strideH: optNum(ctx, 'strideH', 1),
    dilationW: optNum(ctx, 'dilationWFactor', 1),
    dilationH: optNum(ctx, 'dilationHFactor', 1),
    filterW: kW,
    filterH: kH,
    padding,
  };
  if (
    !geometryInRange(win.strideW, win.strideH, win.dilationW, win.dilationH, kW, kH) ||
    Math.min(win.strideW, win.strideH, win.dilationW, win.dilationH) < 1
  ) {
    return unsupported(ctx, 'stride, dilation or filter size out of range');
  }
  const g = windowGeometry(inH, inW, win);
  if (outN !== n || outH !== g.outH || outW !== g.outW) {
    return unsupported(
      ctx,
      `output ${fmtShape(output)} does not match the computed [${n}, ${g.outH}, ${g.outW}, ${outC}]`,
    );
  }
  if (
    !geometryInRange(g.padW, g.padH) ||
    !spanInRange(outW, win.strideW, kW, win.dilationW) ||
    !spanInRange(outH, win.strideH, kH, win.dilationH)
  ) {
    return unsupported(ctx, 'padding or window span out of range');
  }
  const geom = {
    strideW: win.strideW,
    strideH: win.strideH,
    dilationW: win.dilationW,
    dilationH: win.dilationH,
    padW: g.padW,
    padH: g.padH,
  };
  const activation = optStr(ctx, 'fusedActivationFunction', 'NONE');
  const types = `${input.type}/${filter.type}/${typeName(bias)}/${output.type}`;

  // float32
  if (input.type === 'FLOAT32') {
    if (
      filter.type !== 'FLOAT32' ||
      output.type !== 'FLOAT32' ||
      (bias && bias.type !== 'FLOAT32')
    ) {
      return unsupported(ctx, `no kernel for ${types} (hybrid or mixed types)`);
    }
    const clamp = activationRangeFloat(activation);
    if (!clamp) return unsupported(ctx, `fused activation ${activation} is not supported`);
    return {
      kernel: depthwise ? 'DEPTHWISE_CONV_2D_F32' : 'CONV_2D_F32',
      params: convF32Words({ ...geom, actMin: clamp[0], actMax: clamp[1] }),
      scratchBytes: 0,
    };
  }

  // int8 and int16x8
  const s16 = input.type === 'INT16';
  if (
    !(input.type === 'INT8' || (s16 && !depthwise)) ||
    filter.type !== 'INT8' ||
    output.type !== input.type
  ) {
    return unsupported(ctx, `no kernel for ${types}`);
  }
  let acc64 = false;
  if (bias) {
    if (s16 && (bias.type === 'INT64' || bias.type === 'INT32')) acc64 = bias.type === 'INT64';
    else if (bias.type !== 'INT32') return unsupported(ctx, `no kernel for ${types}`);
  }
  const inQ = perTensor(input);
  const outQ = perTensor(output);
  if (!inQ || !outQ) return unsupported(ctx, 'input and output need per-tensor quantization');
  if (s16 && (inQ.zeroPoint !== 0 || outQ.zeroPoint !== 0)) {
    return unsupported(ctx, 'int16 activations need zero points of 0');
  }
  if (
    !s16 &&
    (inQ.zeroPoint < -128 || inQ.zeroPoint > 127 || outQ.zeroPoint < -128 || outQ.zeroPoint > 127)
  ) {
    return unsupported(ctx, 'zero point outside the int8 range');
  }
  const w = weightScales(filter, outC, depthwise ? 3 : 0, true);
  if (typeof w === 'string') return unsupported(ctx, w);
  const clamp = quantizedClamp(activation, outQ, s16 ? 'INT16' : 'INT8');
  if (typeof clamp === 'string') return unsupported(ctx, clamp);
  const { multipliers, shifts } = convolutionMultipliers(inQ.scale, w.scales, outQ.scale);
  const maxShift = acc64 ? 7 : 30;
  if (shifts.some((s) => s > maxShift)) {
    return unsupported(
      ctx,
      'requantisation scale too large (input * filter scale >> output scale)',
    );
  }
  return {
    kernel: depthwise ? 'DEPTHWISE_CONV_2D_S8' : s16 ? 'CONV_2D_S16' : 'CONV_2D_S8',
    params: convQWords({
      ...geom,
      inputOffset: -inQ.zeroPoint,
      outputOffset: outQ.zeroPoint,
      actMin: clamp[0],
      actMax: clamp[1],
      multipliers,
      shifts,
      acc64,
    }),
    scratchBytes: 0,
  };
}

export const planConv2d: PlanKernel = (ctx) => planConvLike(ctx, false);
export const planDepthwiseConv2d: PlanKernel = (ctx) => planConvLike(ctx, true);
