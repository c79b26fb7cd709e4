// FULLY_CONNECTED planner: any input rank (flattened to [batches, depth] as
// TFLite does), keep_num_dims or not, per-tensor or per-channel weights.
import type { PlanKernel } from '../../kernel-plan.ts';
import { activationRangeFloat, convolutionMultipliers } from '../../quant.ts';
import {
  elements,
  fcQWords,
  fmtShape,
  optStr,
  perTensor,
  quantizedClamp,
  staticShape,
  typeName,
  unsupported,
  weightScales,
} from './common.ts';

export const planFullyConnected: PlanKernel = (ctx) => {
  const [input, weights, bias = null] = ctx.inputs;
  const output = ctx.outputs[0];
  if (!input || !weights || !output || ctx.inputs.length > 3 || ctx.outputs.length !== 1) {
    return unsupported(ctx, 'expects input, weights, optional bias and one output');
  }
  const format = optStr(ctx, 'weightsFormat', 'DEFAULT');
  if (format !== 'DEFAULT') return unsupported(ctx, `weights format ${format} is not supported`);
  for (const t of [input, weights, output]) {
    if (t.shape.length < 1 || t.shape.length > 6 || !staticShape(t)) {
      return unsupported(ctx, `needs static tensors of rank 1..6, got ${fmtShape(t)}`);
    }
  }
  if (weights.shape.length !== 2)
    return unsupported(ctx, `weights ${fmtShape(weights)} are not 2-D`);
  const [units, depth] = weights.shape as [number, number];
  const inElems = elements(input);
  if (inElems % depth !== 0) {
    return unsupported(ctx, `input ${fmtShape(input)} does not flatten to rows of ${depth}`);
  }
  const batches = inElems / depth;
  if (output.shape[output.shape.length - 1] !== units || elements(output) !== batches * units) {
    return unsupported(
      ctx,
      `output ${fmtShape(output)} does not hold ${batches} rows of ${units} units`,
    );
  }
  if (bias && elements(bias) !== units) {
    return unsupported(ctx, `bias ${fmtShape(bias)} does not have ${units} elements`);
  }
  const activation = optStr(ctx, 'fusedActivationFunction', 'NONE');
  const types = `${input.type}/${weights.type}/${typeName(bias)}/${output.type}`;

  if (input.type === 'FLOAT32') {
    if (
      weights.type !== 'FLOAT32' ||
      output.type !== 'FLOAT32' ||
      (bias && bias.type !== 'FLOAT32')
    ) {
      return unsupported(ctx, `no kernel for ${types} (hybrid or mixed types)`);
    }
    const clamp = activationRangeFloat(activation);
    if (!clamp) return unsupported(ctx, `fused activation ${activation} is not supported`);
    return {
      kernel: 'FULLY_CONNECTED_F32',
      params: [{ f32: clamp[0] }, { f32: clamp[1] }],
      scratchBytes: 0,
    };
  }

  const s16 = input.type === 'INT16';
  if (!(input.type === 'INT8' || s16) || weights.type !== 'INT8' || output.type !== input.type) {
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
  // Per-tensor int8 weights may carry a zero point (TFLite's weights_offset).
  const w = weightScales(weights, units, 0, false);
  if (typeof w === 'string') return unsupported(ctx, w);
  if (w.zeroPoint < -128 || w.zeroPoint > 127)
    return unsupported(ctx, 'weights zero point out of range');
  const clamp = quantizedClamp(activation, outQ, s16 ? 'INT16' : 'INT8');
  if (typeof clamp === 'string') return unsupported(ctx, clamp);
  const { multipliers, shifts } = convolutionMultipliers(inQ.scale, w.scales, outQ.scale);
  if (shifts.some((s) => s > (acc64 ? 7 : 30))) {
    return unsupported(
      ctx,
      'requantisation scale too large (input * weight scale >> output scale)',
    );
  }
  return {
    kernel: s16 ? 'FULLY_CONNECTED_S16' : 'FULLY_CONNECTED_S8',
    params: fcQWords({
      inputOffset: -inQ.zeroPoint,
      filterOffset: -w.zeroPoint,
      outputOffset: outQ.zeroPoint,
      actMin: clamp[0],
      actMax: clamp[1],
      multipliers,
      shifts,
      acc64,
    }),
    scratchBytes: 0,
  };
};
