// The conv / fully-connected / pool / transpose-conv kernels, end to end:
// single-op models built here are planned (src/core/package/kernels/conv),
// packaged, run by the C runtime on the host, and compared element for
// element with an independent TypeScript model of TFLite's reference
// kernels (tests/support/reference/conv.ts).
import { describe, expect, it } from 'vitest';

import { ModelBuilder } from '../../src/core/tflite/build.ts';
import type { Model, TensorType } from '../../src/core/tflite/model.ts';
import { decode, encode, rng, runOnHost } from '../support/conv-run.ts';
import {
  refConv,
  refFullyConnected,
  refPool,
  refTransposeConv16,
  type Act,
  type Pad,
  type RefTensor,
} from '../support/reference/conv.ts';

type Kind = 'f32' | 's8' | 's16';
const ACT_TYPE: Record<Kind, TensorType> = { f32: 'FLOAT32', s8: 'INT8', s16: 'INT16' };

function randValues(r: ReturnType<typeof rng>, kind: Kind | 'w8', n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (kind === 'f32') out.push(Math.fround(r.float(-2, 2)));
    else if (kind === 's16') out.push(r.int(-32768, 32767));
    else if (kind === 'w8') out.push(r.int(-127, 127));
    else out.push(r.int(-128, 127));
  }
  return out;
}

function runSingle(model: Model, inputs: Uint8Array[], outType: TensorType): number[] {
  const res = runOnHost(model, inputs, { sanitize: true, fill: 0xa5 });
  if (!res.ok) throw new Error(res.error);
  return decode(outType, res.outputs[0] as Uint8Array);
}

// ---- CONV_2D / DEPTHWISE_CONV_2D ----------------------------------------

interface ConvCase {
  name: string;
  kind: Kind;
  depthwise?: boolean;
  input: [number, number, number, number];
  /** Output channels (conv) or depth multiplier (depthwise). */
  out: number;
  k: [number, number];
  stride?: [number, number];
  dilation?: [number, number];
  padding: Pad;
  act?: Act;
  perChannel?: boolean;
  bias?: 'none' | 'INT32' | 'INT64';
  groups?: number;
  zp?: [number, number];
}

function convCase(c: ConvCase, seed: number): void {
  const r = rng(seed);
  const [N, H, W, C] = c.input;
  const groups = c.groups ?? 1;
  const CO = c.depthwise ? C * c.out : c.out;
  const [KH, KW] = c.k;
  const [sh, sw] = c.stride ?? [1, 1];
  const [dh, dw] = c.dilation ?? [1, 1];
  const fShape = c.depthwise ? [1, KH, KW, CO] : [CO, KH, KW, C / groups];
  const K = c.depthwise ? KH * KW : KH * KW * (C / groups);
  const q = c.kind !== 'f32';
  const inScale = c.kind === 's16' ? 0.0009 : 0.05;
  const fScales = Array.from({ length: c.perChannel ? CO : 1 }, () => r.float(0.004, 0.03));
  const sigmaAcc = Math.sqrt(K) * (c.kind === 's16' ? 1.38e6 : 5400);
  const outScale = (inScale * (fScales[0] as number) * sigmaAcc) / (c.kind === 's16' ? 8000 : 40);
  const [inZp, outZp] = c.kind === 's8' ? (c.zp ?? [r.int(-20, 20), r.int(-20, 20)]) : [0, 0];
  const biasType: TensorType | null =
    c.bias === 'none'
      ? null
      : c.kind === 'f32'
        ? 'FLOAT32'
        : (c.bias ?? (c.kind === 's16' ? 'INT64' : 'INT32'));

  const x: RefTensor = {
    shape: [...c.input],
    values: randValues(r, c.kind, N * H * W * C),
    scale: [inScale],
    zeroPoint: [inZp],
  };
  const f: RefTensor = {
    shape: fShape,
    values: randValues(
      r,
      q ? 'w8' : 'f32',
      fShape.reduce((a, b) => a * b, 1),
    ),
    scale: fScales,
    zeroPoint: fScales.map(() => 0),
  };
  const bias: RefTensor | null = biasType
    ? {
        shape: [CO],
        values: Array.from({ length: CO }, () =>
          q ? Math.round(r.float(-sigmaAcc, sigmaAcc)) : Math.fround(r.float(-1, 1)),
        ),
      }
    : null;
  const OH =
    c.padding === 'SAME' ? Math.ceil(H / sh) : Math.floor((H - ((KH - 1) * dh + 1) + sh) / sh);
  const OW =
    c.padding === 'SAME' ? Math.ceil(W / sw) : Math.floor((W - ((KW - 1) * dw + 1) + sw) / sw);
  const outShape = [N, OH, OW, CO];

  const b = new ModelBuilder();
  const t = ACT_TYPE[c.kind];
  const xi = b.addInput({
    type: t,
    shape: [...c.input],
    quant: q ? { scale: inScale, zeroPoint: inZp } : null,
  });
  const fi = b.addTensor({
    type: q ? 'INT8' : 'FLOAT32',
    shape: fShape,
    quant: q
      ? { scale: fScales, zeroPoint: fScales.map(() => 0), quantizedDimension: c.depthwise ? 3 : 0 }
      : null,
    data: f.values,
  });
  const bi = biasType ? b.addTensor({ type: biasType, shape: [CO], data: bias?.values ?? [] }) : -1;
  const oi = b.addOutput({
    type: t,
    shape: outShape,
    quant: q ? { scale: outScale, zeroPoint: outZp } : null,
  });
  const fields: Record<string, number | string> = {
    padding: c.padding,
    strideW: sw,
    strideH: sh,
    dilationWFactor: dw,
    dilationHFactor: dh,
    fusedActivationFunction: c.act ?? 'NONE',
  };
  if (c.depthwise) fields.depthMultiplier = c.out;
  b.addOperator(c.depthwise ? 'DEPTHWISE_CONV_2D' : 'CONV_2D', [xi, fi, bi], [oi], fields);

  const got = runSingle(b.build(), [encode(t, x.values)], t);
  const want = refConv(
    c.kind,
    x,
    f,
    bias,
    { shape: outShape, scale: Math.fround(outScale), zeroPoint: outZp },
    {
      padding: c.padding,
      strideW: sw,
      strideH: sh,
      dilationW: dw,
      dilationH: dh,
      activation: c.act ?? 'NONE',
    },
    c.depthwise ?? false,
    biasType === 'INT64',
  );
  expect(got.length).toBe(want.length);
  expect(got).toEqual(want);
  if (q) {
    // The case must exercise the requantisation, not just saturate.
    const [lo, hi] = c.kind === 's8' ? [-128, 127] : [-32768, 32767];
    const inside = got.filter((v) => v > lo && v < hi).length;
    expect(inside).toBeGreaterThan(got.length / 4);
  }
}

const CONV_CASES: ConvCase[] = [
  {
    name: 's8 3x3 SAME per-channel',
    kind: 's8',
    input: [1, 7, 9, 3],
    out: 5,
    k: [3, 3],
    padding: 'SAME',
    perChannel: true,
  },
  {
    name: 's8 3x3 VALID stride 2 per-tensor RELU',
    kind: 's8',
    input: [1, 9, 8, 4],
    out: 6,
    k: [3, 3],
    stride: [2, 2],
    padding: 'VALID',
    act: 'RELU',
  },
  {
    name: 's8 SAME stride 2x3 even input RELU6',
    kind: 's8',
    input: [2, 8, 10, 2],
    out: 4,
    k: [4, 2],
    stride: [2, 3],
    padding: 'SAME',
    perChannel: true,
    act: 'RELU6',
  },
  {
    name: 's8 dilation 2 SAME no bias',
    kind: 's8',
    input: [1, 10, 10, 3],
    out: 3,
    k: [3, 3],
    dilation: [2, 2],
    padding: 'SAME',
    bias: 'none',
    perChannel: true,
  },
  {
    name: 's8 1x1 batch 3 RELU_N1_TO_1',
    kind: 's8',
    input: [3, 4, 5, 8],
    out: 7,
    k: [1, 1],
    padding: 'VALID',
    act: 'RELU_N1_TO_1',
    perChannel: true,
  },
  {
    name: 's8 grouped conv',
    kind: 's8',
    input: [1, 6, 6, 6],
    out: 9,
    k: [3, 3],
    padding: 'SAME',
    groups: 3,
    perChannel: true,
  },
  {
    name: 's8 extreme zero points',
    kind: 's8',
    input: [1, 5, 5, 2],
    out: 3,
    k: [3, 3],
    padding: 'SAME',
    zp: [-128, 127],
    perChannel: true,
  },
  {
    name: 's16 int64 bias VALID',
    kind: 's16',
    input: [1, 8, 20, 2],
    out: 8,
    k: [7, 7],
    padding: 'VALID',
    perChannel: true,
  },
  {
    name: 's16 int64 bias SAME stride 2 dilation',
    kind: 's16',
    input: [2, 6, 11, 3],
    out: 4,
    k: [3, 3],
    stride: [2, 2],
    dilation: [1, 2],
    padding: 'SAME',
    perChannel: true,
    act: 'RELU',
  },
  {
    name: 's16 int32 bias',
    kind: 's16',
    input: [1, 5, 6, 4],
    out: 3,
    k: [3, 2],
    padding: 'SAME',
    bias: 'INT32',
    perChannel: true,
  },
  {
    name: 's16 no bias',
    kind: 's16',
    input: [1, 4, 4, 3],
    out: 2,
    k: [2, 2],
    padding: 'VALID',
    bias: 'none',
  },
  {
    name: 'f32 3x3 SAME RELU6',
    kind: 'f32',
    input: [1, 6, 7, 3],
    out: 4,
    k: [3, 3],
    padding: 'SAME',
    act: 'RELU6',
  },
  {
    name: 'f32 stride/dilation VALID batch 2',
    kind: 'f32',
    input: [2, 9, 9, 2],
    out: 3,
    k: [2, 3],
    stride: [2, 1],
    dilation: [2, 2],
    padding: 'VALID',
  },
  {
    name: 'f32 grouped no bias',
    kind: 'f32',
    input: [1, 5, 5, 4],
    out: 6,
    k: [3, 3],
    padding: 'SAME',
    groups: 2,
    bias: 'none',
  },
  {
    name: 'dw s8 dm 1 3x3 SAME',
    kind: 's8',
    depthwise: true,
    input: [1, 8, 8, 5],
    out: 1,
    k: [3, 3],
    padding: 'SAME',
    perChannel: true,
  },
  {
    name: 'dw s8 dm 3 stride 2 VALID RELU6',
    kind: 's8',
    depthwise: true,
    input: [2, 9, 7, 2],
    out: 3,
    k: [3, 3],
    stride: [2, 2],
    padding: 'VALID',
    perChannel: true,
    act: 'RELU6',
  },
  {
    name: 'dw s8 dm 2 dilation 2 no bias per-tensor',
    kind: 's8',
    depthwise: true,
    input: [1, 10, 6, 3],
    out: 2,
    k: [3, 2],
    dilation: [2, 2],
    padding: 'SAME',
    bias: 'none',
  },
  {
    name: 'dw s8 input depth 1 dm 4 (10x4 kernel)',
    kind: 's8',
    depthwise: true,
    input: [1, 20, 8, 1],
    out: 4,
    k: [10, 4],
    stride: [2, 2],
    padding: 'SAME',
    perChannel: true,
  },
  {
    name: 'dw f32 dm 2 SAME stride 2',
    kind: 'f32',
    depthwise: true,
    input: [1, 7, 7, 3],
    out: 2,
    k: [3, 3],
    stride: [2, 2],
    padding: 'SAME',
    act: 'RELU',
  },
];

describe('CONV_2D / DEPTHWISE_CONV_2D kernels match the TFLite reference model', () => {
  CONV_CASES.forEach((c, i) => {
    it(c.name, () => convCase(c, 1000 + i));
  });
});

// ---- FULLY_CONNECTED ----------------------------------------------------

interface FcCase {
  name: string;
  kind: Kind;
  input: number[];
  units: number;
  keepNumDims?: boolean;
  act?: Act;
  perChannel?: boolean;
  bias?: 'none' | 'INT32' | 'INT64';
  filterZp?: number;
}

function fcCase(c: FcCase, seed: number): void {
  const r = rng(seed);
  const depth = c.input[c.input.length - 1] as number;
  const inElems = c.input.reduce((a, b) => a * b, 1);
  const batches = inElems / depth;
  const q = c.kind !== 'f32';
  const inScale = c.kind === 's16' ? 0.0009 : 0.05;
  const fScales = Array.from({ length: c.perChannel ? c.units : 1 }, () => r.float(0.004, 0.03));
  const sigmaAcc = Math.sqrt(depth) * (c.kind === 's16' ? 1.38e6 : 5400);
  const outScale = (inScale * (fScales[0] as number) * sigmaAcc) / (c.kind === 's16' ? 8000 : 40);
  const [inZp, outZp] = c.kind === 's8' ? [r.int(-30, 30), r.int(-30, 30)] : [0, 0];
  const fZp = c.filterZp ?? 0;
  const biasType: TensorType | null =
    c.bias === 'none'
      ? null
      : c.kind === 'f32'
        ? 'FLOAT32'
        : (c.bias ?? (c.kind === 's16' ? 'INT64' : 'INT32'));
  const outShape = c.keepNumDims ? [...c.input.slice(0, -1), c.units] : [batches, c.units];

  const x: RefTensor = {
    shape: c.input,
    values: randValues(r, c.kind, inElems),
    scale: [inScale],
    zeroPoint: [inZp],
  };
  const w: RefTensor = {
    shape: [c.units, depth],
    values: randValues(r, q ? 'w8' : 'f32', c.units * depth),
    scale: fScales,
    zeroPoint: fScales.map(() => fZp),
  };
  const bias: RefTensor | null = biasType
    ? {
        shape: [c.units],
        values: Array.from({ length: c.units }, () =>
          q ? Math.round(r.float(-sigmaAcc, sigmaAcc)) : Math.fround(r.float(-1, 1)),
        ),
      }
    : null;
  const t = ACT_TYPE[c.kind];
  const b = new ModelBuilder();
  const xi = b.addInput({
    type: t,
    shape: c.input,
    quant: q ? { scale: inScale, zeroPoint: inZp } : null,
  });
  const wi = b.addTensor({
    type: q ? 'INT8' : 'FLOAT32',
    shape: [c.units, depth],
    quant: q ? { scale: fScales, zeroPoint: fScales.map(() => fZp), quantizedDimension: 0 } : null,
    data: w.values,
  });
  const bi = biasType
    ? b.addTensor({ type: biasType, shape: [c.units], data: bias?.values ?? [] })
    : -1;
  const oi = b.addOutput({
    type: t,
    shape: outShape,
    quant: q ? { scale: outScale, zeroPoint: outZp } : null,
  });
  b.addOperator('FULLY_CONNECTED', [xi, wi, bi], [oi], {
    fusedActivationFunction: c.act ?? 'NONE',
    keepNumDims: c.keepNumDims ?? false,
  });
  const got = runSingle(b.build(), [encode(t, x.values)], t);
  const want = refFullyConnected(
    c.kind,
    x,
    w,
    bias,
    { shape: outShape, scale: Math.fround(outScale), zeroPoint: outZp },
    c.act ?? 'NONE',
    biasType === 'INT64',
  );
  expect(got).toEqual(want);
}

const FC_CASES: FcCase[] = [
  { name: 's8 per-tensor [1, 64] -> 10', kind: 's8', input: [1, 64], units: 10 },
  {
    name: 's8 per-channel batch 3 RELU',
    kind: 's8',
    input: [3, 40],
    units: 12,
    perChannel: true,
    act: 'RELU',
  },
  {
    name: 's8 weights zero point (legacy asymmetric)',
    kind: 's8',
    input: [2, 16],
    units: 5,
    filterZp: 3,
  },
  {
    name: 's8 4-D input flattened, no bias',
    kind: 's8',
    input: [1, 3, 4, 5],
    units: 7,
    bias: 'none',
  },
  {
    name: 's8 keep_num_dims [2, 3, 8]',
    kind: 's8',
    input: [2, 3, 8],
    units: 6,
    keepNumDims: true,
    act: 'RELU6',
  },
  { name: 's8 rank-3 input without keep_num_dims', kind: 's8', input: [2, 3, 8], units: 4 },
  { name: 's16 int64 bias per-channel', kind: 's16', input: [2, 96], units: 16, perChannel: true },
  { name: 's16 int32 bias', kind: 's16', input: [1, 50], units: 9, bias: 'INT32' },
  {
    name: 's16 no bias keep_num_dims',
    kind: 's16',
    input: [1, 2, 30],
    units: 4,
    bias: 'none',
    keepNumDims: true,
  },
  { name: 'f32 batch 2 RELU', kind: 'f32', input: [2, 33], units: 11, act: 'RELU' },
  { name: 'f32 rank-4 flatten no bias', kind: 'f32', input: [1, 2, 2, 5], units: 3, bias: 'none' },
];

describe('FULLY_CONNECTED kernels match the TFLite reference model', () => {
  FC_CASES.forEach((c, i) => {
    it(c.name, () => fcCase(c, 2000 + i));
  });
});

// ---- pools ----------------------------------------------------------------

interface PoolCase {
  name: string;
  kind: 'f32' | 's8';
  average: boolean;
  input: [number, number, number, number];
  filter: [number, number];
  stride: [number, number];
  padding: Pad;
  act?: Act;
}

function poolCase(c: PoolCase, seed: number): void {
  const r = rng(seed);
  const [N, H, W, C] = c.input;
  const [fh, fw] = c.filter;
  const [sh, sw] = c.stride;
  const OH = c.padding === 'SAME' ? Math.ceil(H / sh) : Math.floor((H - fh + sh) / sh);
  const OW = c.padding === 'SAME' ? Math.ceil(W / sw) : Math.floor((W - fw + sw) / sw);
  const outShape = [N, OH, OW, C];
  const q = c.kind === 's8';
  const scale = 0.04;
  const zp = q ? r.int(-10, 10) : 0;
  const x: RefTensor = { shape: [...c.input], values: randValues(r, c.kind, N * H * W * C) };
  const t = ACT_TYPE[c.kind];
  const b = new ModelBuilder();
  const xi = b.addInput({
    type: t,
    shape: [...c.input],
    quant: q ? { scale, zeroPoint: zp } : null,
  });
  const oi = b.addOutput({ type: t, shape: outShape, quant: q ? { scale, zeroPoint: zp } : null });
  b.addOperator(c.average ? 'AVERAGE_POOL_2D' : 'MAX_POOL_2D', [xi], [oi], {
    padding: c.padding,
    strideW: sw,
    strideH: sh,
    filterWidth: fw,
    filterHeight: fh,
    fusedActivationFunction: c.act ?? 'NONE',
  });
  const got = runSingle(b.build(), [encode(t, x.values)], t);
  const want = refPool(
    c.kind,
    c.average,
    x,
    { shape: outShape, scale: Math.fround(scale), zeroPoint: zp },
    {
      padding: c.padding,
      strideW: sw,
      strideH: sh,
      filterW: fw,
      filterH: fh,
      activation: c.act ?? 'NONE',
    },
  );
  expect(got).toEqual(want);
}

const POOL_CASES: PoolCase[] = [
  {
    name: 'avg s8 2x2/2 VALID',
    kind: 's8',
    average: true,
    input: [1, 8, 8, 3],
    filter: [2, 2],
    stride: [2, 2],
    padding: 'VALID',
  },
  {
    name: 'avg s8 3x3/2 SAME (partial windows) RELU',
    kind: 's8',
    average: true,
    input: [2, 7, 9, 4],
    filter: [3, 3],
    stride: [2, 2],
    padding: 'SAME',
    act: 'RELU',
  },
  {
    name: 'avg s8 global 6x5',
    kind: 's8',
    average: true,
    input: [1, 6, 5, 8],
    filter: [6, 5],
    stride: [1, 1],
    padding: 'VALID',
  },
  {
    name: 'avg s8 4x3/1 SAME RELU6',
    kind: 's8',
    average: true,
    input: [1, 5, 6, 2],
    filter: [4, 3],
    stride: [1, 1],
    padding: 'SAME',
    act: 'RELU6',
  },
  {
    name: 'max s8 2x2/2 VALID',
    kind: 's8',
    average: false,
    input: [1, 9, 8, 3],
    filter: [2, 2],
    stride: [2, 2],
    padding: 'VALID',
  },
  {
    name: 'max s8 3x3/2 SAME RELU batch 2',
    kind: 's8',
    average: false,
    input: [2, 7, 7, 5],
    filter: [3, 3],
    stride: [2, 2],
    padding: 'SAME',
    act: 'RELU',
  },
  {
    name: 'avg f32 3x3/2 SAME',
    kind: 'f32',
    average: true,
    input: [1, 7, 8, 3],
    filter: [3, 3],
    stride: [2, 2],
    padding: 'SAME',
  },
  {
    name: 'avg f32 2x4/1x2 VALID RELU',
    kind: 'f32',
    average: true,
    input: [2, 6, 9, 2],
    filter: [2, 4],
    stride: [1, 2],
    padding: 'VALID',
    act: 'RELU',
  },
  {
    name: 'max f32 3x3/1 SAME RELU_N1_TO_1',
    kind: 'f32',
    average: false,
    input: [1, 5, 5, 4],
    filter: [3, 3],
    stride: [1, 1],
    padding: 'SAME',
    act: 'RELU_N1_TO_1',
  },
  {
    name: 'max f32 2x2/2 VALID',
    kind: 'f32',
    average: false,
    input: [1, 6, 6, 3],
    filter: [2, 2],
    stride: [2, 2],
    padding: 'VALID',
  },
];

describe('AVERAGE_POOL_2D / MAX_POOL_2D kernels match the TFLite reference model', () => {
  POOL_CASES.forEach((c, i) => {
    it(c.name, () => poolCase(c, 3000 + i));
  });
});

// ---- TRANSPOSE_CONV -------------------------------------------------------

interface TconvCase {
  name: string;
  input: [number, number, number, number];
  out: number;
  k: [number, number];
  stride: [number, number];
  padding: Pad;
  bias?: 'none' | 'INT64' | 'INT32';
  perChannel?: boolean;
  /** Output shape as a runtime graph input (seanet style) instead of a constant. */
  runtimeShape?: boolean;
  act?: Act;
}

function tconvCase(c: TconvCase, seed: number): void {
  const r = rng(seed);
  const [N, H, W, C] = c.input;
  const [KH, KW] = c.k;
  const [sh, sw] = c.stride;
  const OH = c.padding === 'SAME' ? H * sh : (H - 1) * sh + KH;
  const OW = c.padding === 'SAME' ? W * sw : (W - 1) * sw + KW;
  const outShape = [N, OH, OW, c.out];
  const inScale = 0.0009;
  const fScales = Array.from({ length: c.perChannel ? c.out : 1 }, () => r.float(0.004, 0.03));
  const taps = Math.ceil(KH / sh) * Math.ceil(KW / sw) * C;
  const sigmaAcc = Math.sqrt(taps) * 1.38e6;
  const outScale = (inScale * (fScales[0] as number) * sigmaAcc) / 8000;
  const biasType: TensorType | null = c.bias === 'none' ? null : (c.bias ?? 'INT64');
  const x: RefTensor = {
    shape: [...c.input],
    values: randValues(r, 's16', N * H * W * C),
    scale: [inScale],
    zeroPoint: [0],
  };
  const fShape = [c.out, KH, KW, C];
  const f: RefTensor = {
    shape: fShape,
    values: randValues(r, 'w8', c.out * KH * KW * C),
    scale: fScales,
  };
  const bias: RefTensor | null = biasType
    ? {
        shape: [c.out],
        values: Array.from({ length: c.out }, () => Math.round(r.float(-sigmaAcc, sigmaAcc))),
      }
    : null;
  const b = new ModelBuilder();
  const shapeSpec = { type: 'INT32' as const, shape: [4] };
  const si = c.runtimeShape ? b.addInput(shapeSpec) : b.addTensor({ ...shapeSpec, data: outShape });
  const fi = b.addTensor({
    type: 'INT8',
    shape: fShape,
    quant: { scale: fScales, zeroPoint: fScales.map(() => 0), quantizedDimension: 0 },
    data: f.values,
  });
  const xi = b.addInput({
    type: 'INT16',
    shape: [...c.input],
    quant: { scale: inScale, zeroPoint: 0 },
  });
  const ins = [si, fi, xi];
  if (biasType) ins.push(b.addTensor({ type: biasType, shape: [c.out], data: bias?.values ?? [] }));
  const oi = b.addOutput({
    type: 'INT16',
    shape: outShape,
    quant: { scale: outScale, zeroPoint: 0 },
  });
  b.addOperator('TRANSPOSE_CONV', ins, [oi], {
    padding: c.padding,
    strideW: sw,
    strideH: sh,
    fusedActivationFunction: c.act ?? 'NONE',
  });
  const inputs = c.runtimeShape
    ? [encode('INT32', outShape), encode('INT16', x.values)]
    : [encode('INT16', x.values)];
  const got = runSingle(b.build(), inputs, 'INT16');
  const want = refTransposeConv16(
    x,
    f,
    bias,
    { shape: outShape, scale: Math.fround(outScale), zeroPoint: 0 },
    {
      padding: c.padding,
      strideW: sw,
      strideH: sh,
      activation: c.act ?? 'NONE',
    },
  );
  expect(got).toEqual(want);
  const inside = got.filter((v) => v > -32768 && v < 32767).length;
  expect(inside).toBeGreaterThan(got.length / 4);
}

const TCONV_CASES: TconvCase[] = [
  {
    name: 'VALID stride 1x2 3x4 kernel, runtime shape input',
    input: [1, 1, 5, 8],
    out: 6,
    k: [3, 4],
    stride: [1, 2],
    padding: 'VALID',
    perChannel: true,
    runtimeShape: true,
  },
  {
    name: 'SAME stride 2 3x3 constant shape',
    input: [1, 4, 5, 3],
    out: 4,
    k: [3, 3],
    stride: [2, 2],
    padding: 'SAME',
    perChannel: true,
  },
  {
    name: 'SAME stride 3 kernel 2 (gaps) batch 2',
    input: [2, 3, 3, 2],
    out: 3,
    k: [2, 2],
    stride: [3, 3],
    padding: 'SAME',
  },
  {
    name: 'VALID stride 2 kernel 5 int32 bias RELU',
    input: [1, 3, 4, 4],
    out: 5,
    k: [5, 5],
    stride: [2, 2],
    padding: 'VALID',
    bias: 'INT32',
    act: 'RELU',
  },
  {
    name: 'SAME stride 1 no bias',
    input: [1, 4, 4, 3],
    out: 2,
    k: [3, 3],
    stride: [1, 1],
    padding: 'SAME',
    bias: 'none',
    perChannel: true,
  },
];

describe('TRANSPOSE_CONV int16 kernel matches the TFLite reference model (scatter form)', () => {
  TCONV_CASES.forEach((c, i) => {
    it(c.name, () => tconvCase(c, 4000 + i));
  });
});
