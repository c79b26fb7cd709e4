// Generators for the weighted ops: CONV_2D, DEPTHWISE_CONV_2D,
// FULLY_CONNECTED, TRANSPOSE_CONV, in int8, int16x8 and float32 forms.
// Quantized weights are symmetric per-channel int8 (per-tensor for FC), the
// bias is int32 (int8) or int64 (int16) at scale input·weight, and the output
// scale is sized from the weights actually drawn.
import type { QuantSpec, TensorSpec } from '../tflite/build.ts';
import type { TensorType } from '../tflite/model.ts';
import type { KernelName } from '../package/kernel-ids.ts';
import { ACTIVATIONS, Params, clampRange, convOutSize, type Activation } from './params.ts';
import {
  activationQuant,
  biasScale,
  channelScales,
  codeStats,
  int8Weights,
  outputQuantFor,
} from './quant.ts';
import { singleOpModel, type OpInput } from './single-op.ts';
import type { CaseGenerator } from './types.ts';

type Flavour = 'S8' | 'S16' | 'F32';

const ACT_TYPE: Record<Flavour, TensorType> = { S8: 'INT8', S16: 'INT16', F32: 'FLOAT32' };
const BIAS_TYPE: Record<Flavour, TensorType> = { S8: 'INT32', S16: 'INT64', F32: 'FLOAT32' };

/**
 * Weights (real values, laid out as `count` = channels × taps, channel
 * `channelOf(i)`), their stored form, and the bias: everything a dot-product
 * op needs. Returns the real output range for the output quantization.
 */
interface Weighted {
  weights: TensorSpec;
  bias: TensorSpec | null;
  inQuant: QuantSpec | null;
  outRange: { lo: number; hi: number };
}

function makeWeights(
  p: Params,
  flavour: Flavour,
  shape: number[],
  channels: number,
  channelOf: (i: number) => number,
  perChannelAxis: number | null,
  withBias: boolean,
): Weighted {
  const rng = p.rng;
  const count = shape.reduce((a, b) => a * b, 1);
  const taps = count / channels;
  const act = ACT_TYPE[flavour];
  const inQuant = flavour === 'F32' ? null : activationQuant(rng, act);
  const x =
    flavour === 'F32' ? { mean: 0, std: 1 / Math.sqrt(3) } : codeStats(act, inQuant as QuantSpec);
  // Real weights per element, and per channel Σw and Σw².
  const real = new Float64Array(count);
  let weights: TensorSpec;
  let wScales: number[] = [];
  if (flavour === 'F32') {
    for (let i = 0; i < count; i++) real[i] = rng.normal() / Math.sqrt(taps);
    weights = { type: 'FLOAT32', shape, data: Float32Array.from(real) };
  } else {
    const q = int8Weights(rng, count);
    wScales = perChannelAxis === null ? channelScales(rng, 1) : channelScales(rng, channels);
    for (let i = 0; i < count; i++) {
      real[i] = (q[i] as number) * (wScales[perChannelAxis === null ? 0 : channelOf(i)] as number);
    }
    weights = {
      type: 'INT8',
      shape,
      data: q,
      quant: {
        scale: wScales,
        zeroPoint: wScales.map(() => 0),
        quantizedDimension: perChannelAxis ?? 0,
      },
    };
  }
  const sum = new Float64Array(channels);
  const sumSq = new Float64Array(channels);
  for (let i = 0; i < count; i++) {
    const c = channelOf(i);
    sum[c] = (sum[c] as number) + (real[i] as number);
    sumSq[c] = (sumSq[c] as number) + (real[i] as number) ** 2;
  }
  let lo = Infinity;
  let hi = -Infinity;
  const biasReal: number[] = [];
  for (let c = 0; c < channels; c++) {
    const sd = x.std * Math.sqrt(sumSq[c] as number);
    const b = withBias ? rng.normal() * sd * 0.5 : 0;
    biasReal.push(b);
    const mean = x.mean * (sum[c] as number) + b;
    lo = Math.min(lo, mean - 3 * sd);
    hi = Math.max(hi, mean + 3 * sd);
  }
  let bias: TensorSpec | null = null;
  if (withBias) {
    if (flavour === 'F32') {
      bias = { type: 'FLOAT32', shape: [channels], data: Float32Array.from(biasReal) };
    } else {
      const inScale = (inQuant as QuantSpec).scale as number;
      const scales = Array.from({ length: channels }, (_, c) =>
        biasScale(inScale, wScales[perChannelAxis === null ? 0 : c] as number),
      );
      bias = {
        type: BIAS_TYPE[flavour],
        shape: [channels],
        data: biasReal.map((b, c) => Math.round(b / (scales[c] as number))),
        quant: { scale: scales, zeroPoint: scales.map(() => 0), quantizedDimension: 0 },
      };
    }
  }
  return { weights, bias, inQuant, outRange: { lo, hi } };
}

function outputSpec(
  p: Params,
  flavour: Flavour,
  shape: number[],
  range: { lo: number; hi: number },
  act: Activation,
): TensorSpec {
  const type = ACT_TYPE[flavour];
  if (flavour === 'F32') return { type, shape };
  const r = clampRange(act, range.lo, range.hi);
  return { type, shape, quant: outputQuantFor(p.rng, type, r) };
}

function activationFor(p: Params, flavour: Flavour): Activation {
  // int16 kernels in TFLite support the same fused activations; RELU_N1_TO_1
  // is rare in real models, keep it but less often.
  void flavour;
  return p.get('activation', (r) => (r.chance(0.5) ? 'NONE' : r.pick(ACTIVATIONS)));
}

function spatial(p: Params, maxKernel: number) {
  const padding = p.get<'SAME' | 'VALID'>('padding', (r) => r.pick(['SAME', 'VALID'] as const));
  const kh = p.get('kernelH', (r) => r.int(1, maxKernel));
  const kw = p.get('kernelW', (r) => r.int(1, maxKernel));
  const strideH = p.get('strideH', (r) => r.pick([1, 1, 2, 3]));
  const strideW = p.get('strideW', (r) => r.pick([1, 1, 2, 3]));
  // TFLite's optimized kernels take dilation only with stride 1 paths as
  // well; any combination is legal.
  const dilationH = p.get('dilationH', (r) => (r.chance(0.25) ? r.int(2, 3) : 1));
  const dilationW = p.get('dilationW', (r) => (r.chance(0.25) ? r.int(2, 3) : 1));
  const minH = (kh - 1) * dilationH + 1;
  const minW = (kw - 1) * dilationW + 1;
  const h = p.get('height', (r) => r.int(padding === 'VALID' ? minH : 1, minH + 8));
  const w = p.get('width', (r) => r.int(padding === 'VALID' ? minW : 1, minW + 8));
  const outH = convOutSize(padding, h, kh, strideH, dilationH);
  const outW = convOutSize(padding, w, kw, strideW, dilationW);
  if (outH < 1 || outW < 1)
    throw new Error(`degenerate spatial parameters ${JSON.stringify(p.values)}`);
  return { padding, kh, kw, strideH, strideW, dilationH, dilationW, h, w, outH, outW };
}

function inputOf(flavour: Flavour, shape: number[], q: QuantSpec | null): OpInput {
  return { input: { type: ACT_TYPE[flavour], shape, quant: q } };
}

export function conv2d(flavour: Flavour): CaseGenerator {
  return (rng, overrides) => {
    const p = new Params(rng, overrides);
    const s = spatial(p, 5);
    const batch = p.get('batch', (r) => (r.chance(0.15) ? 2 : 1));
    const cin = p.get('inChannels', (r) => r.int(1, 12));
    const cout = p.get('outChannels', (r) => r.int(1, 12));
    const act = activationFor(p, flavour);
    // TFLite's CONV_2D refuses a missing bias ("optional but was expected").
    const withBias = true;
    const taps = s.kh * s.kw * cin;
    const wt = makeWeights(
      p,
      flavour,
      [cout, s.kh, s.kw, cin],
      cout,
      (i) => Math.floor(i / taps),
      0,
      withBias,
    );
    const outShape = [batch, s.outH, s.outW, cout];
    const { model, inputs } = singleOpModel(
      'CONV_2D',
      [
        inputOf(flavour, [batch, s.h, s.w, cin], wt.inQuant),
        { constant: wt.weights },
        wt.bias ? { constant: wt.bias } : null,
      ],
      [outputSpec(p, flavour, outShape, wt.outRange, act)],
      {
        padding: s.padding,
        strideH: s.strideH,
        strideW: s.strideW,
        dilationHFactor: s.dilationH,
        dilationWFactor: s.dilationW,
        fusedActivationFunction: act,
      },
    );
    return {
      kernel: `CONV_2D_${flavour}` as KernelName,
      op: 'CONV_2D',
      model,
      inputs,
      params: p.values,
    };
  };
}

export function depthwiseConv2d(flavour: 'S8' | 'F32'): CaseGenerator {
  return (rng, overrides) => {
    const p = new Params(rng, overrides);
    const s = spatial(p, 5);
    const cin = p.get('inChannels', (r) => r.int(1, 12));
    const mult = p.get('depthMultiplier', (r) => (r.chance(0.7) ? 1 : r.int(2, 3)));
    const act = activationFor(p, flavour);
    // As for CONV_2D, TFLite insists on the bias.
    const withBias = true;
    const cout = cin * mult;
    // Filter [1, kh, kw, cout]: the channel is the innermost index.
    const wt = makeWeights(p, flavour, [1, s.kh, s.kw, cout], cout, (i) => i % cout, 3, withBias);
    const { model, inputs } = singleOpModel(
      'DEPTHWISE_CONV_2D',
      [
        inputOf(flavour, [1, s.h, s.w, cin], wt.inQuant),
        { constant: wt.weights },
        wt.bias ? { constant: wt.bias } : null,
      ],
      [outputSpec(p, flavour, [1, s.outH, s.outW, cout], wt.outRange, act)],
      {
        padding: s.padding,
        strideH: s.strideH,
        strideW: s.strideW,
        dilationHFactor: s.dilationH,
        dilationWFactor: s.dilationW,
        depthMultiplier: mult,
        fusedActivationFunction: act,
      },
    );
    return {
      kernel: `DEPTHWISE_CONV_2D_${flavour}` as KernelName,
      op: 'DEPTHWISE_CONV_2D',
      model,
      inputs,
      params: p.values,
    };
  };
}

export function fullyConnected(flavour: Flavour): CaseGenerator {
  return (rng, overrides) => {
    const p = new Params(rng, overrides);
    const batch = p.get('batch', (r) => r.pick([1, 1, 2, 3]));
    const depth = p.get('inputDepth', (r) => r.int(1, 64));
    const units = p.get('units', (r) => r.int(1, 32));
    // A rank-3/4 input is flattened to [batch, depth] (keep_num_dims false).
    const inShape = p.get('inputShape', (r) =>
      r.chance(0.25) ? [batch, 1, depth] : [batch, depth],
    );
    const act = activationFor(p, flavour);
    const withBias = p.get('bias', (r) => r.chance(0.85));
    const wt = makeWeights(
      p,
      flavour,
      [units, depth],
      units,
      (i) => Math.floor(i / depth),
      null,
      withBias,
    );
    const { model, inputs } = singleOpModel(
      'FULLY_CONNECTED',
      [
        inputOf(flavour, inShape, wt.inQuant),
        { constant: wt.weights },
        wt.bias ? { constant: wt.bias } : null,
      ],
      [outputSpec(p, flavour, [batch, units], wt.outRange, act)],
      { fusedActivationFunction: act },
    );
    return {
      kernel: `FULLY_CONNECTED_${flavour}` as KernelName,
      op: 'FULLY_CONNECTED',
      model,
      inputs,
      params: p.values,
    };
  };
}

/** int16x8 TRANSPOSE_CONV, the form seanet uses (output shape as tensor 0). */
export function transposeConvS16(): CaseGenerator {
  return (rng, overrides) => {
    const p = new Params(rng, overrides);
    const padding = p.get<'SAME' | 'VALID'>('padding', (r) => r.pick(['SAME', 'VALID'] as const));
    const kh = p.get('kernelH', (r) => r.int(1, 4));
    const kw = p.get('kernelW', (r) => r.int(1, 4));
    const strideH = p.get('strideH', (r) => r.int(1, 2));
    const strideW = p.get('strideW', (r) => r.int(1, 3));
    const h = p.get('height', (r) => r.int(1, 6));
    const w = p.get('width', (r) => r.int(1, 6));
    const cin = p.get('inChannels', (r) => r.int(1, 8));
    const cout = p.get('outChannels', (r) => r.int(1, 8));
    const withBias = p.get('bias', (r) => r.chance(0.8));
    // The shape as a graph input (as in seanet) or as a constant.
    const shapeAsInput = p.get('shapeAsInput', (r) => r.chance(0.5));
    const outH = padding === 'SAME' ? h * strideH : (h - 1) * strideH + kh;
    const outW = padding === 'SAME' ? w * strideW : (w - 1) * strideW + kw;
    const taps = kh * kw * cin;
    const wt = makeWeights(
      p,
      'S16',
      [cout, kh, kw, cin],
      cout,
      (i) => Math.floor(i / taps),
      0,
      withBias,
    );
    const outShape = [1, outH, outW, cout];
    const shapeSpec: TensorSpec = { type: 'INT32', shape: [4], data: Int32Array.from(outShape) };
    const { model, inputs } = singleOpModel(
      'TRANSPOSE_CONV',
      [
        shapeAsInput
          ? { input: { type: 'INT32', shape: [4] }, gen: { fixed: outShape } }
          : { constant: shapeSpec },
        { constant: wt.weights },
        inputOf('S16', [1, h, w, cin], wt.inQuant),
        wt.bias ? { constant: wt.bias } : null,
      ],
      // Each output sums at most ceil(k/stride) taps per axis; the weight
      // statistics over all taps are a safe over-estimate.
      [outputSpec(p, 'S16', outShape, wt.outRange, 'NONE')],
      { padding, strideH, strideW },
    );
    return { kernel: 'TRANSPOSE_CONV_S16', op: 'TRANSPOSE_CONV', model, inputs, params: p.values };
  };
}
