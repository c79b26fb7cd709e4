// An independent TypeScript model of TFLite's reference kernels for
// CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, AVERAGE/MAX_POOL_2D and
// TRANSPOSE_CONV (int8, int16x8, float32), written from TFLite's published
// semantics for the tests: it shares no code with the planners
// (src/core/package/kernels/conv) or the C kernels, and does its own set-up
// maths from the TFLite-level description (scales, zero points, options).
//
// Integer arithmetic: sums are exact in doubles at test sizes (< 2^53);
// requantisation uses BigInt.

export type Act = 'NONE' | 'RELU' | 'RELU6' | 'RELU_N1_TO_1';
export type Pad = 'SAME' | 'VALID';

export interface RefTensor {
  shape: number[];
  /** Integer or float values, row-major. */
  values: number[];
  scale?: number[];
  zeroPoint?: number[];
}

export interface RefOut {
  shape: number[];
  scale?: number;
  zeroPoint?: number;
}

// ---- fixed point --------------------------------------------------------

const B = BigInt;

function roundAway(x: number): number {
  const a = Math.abs(x);
  const r = a - Math.floor(a) >= 0.5 ? Math.floor(a) + 1 : Math.floor(a);
  return x < 0 ? -r : r;
}

/** TFLite QuantizeMultiplier via exponent search (no frexp). */
export function refQuantizeMultiplier(m: number): [number, number] {
  if (m === 0) return [0, 0];
  let shift = 0;
  let sig = m;
  while (sig >= 1) {
    sig /= 2;
    shift++;
  }
  while (sig < 0.5) {
    sig *= 2;
    shift--;
  }
  let q = roundAway(sig * 2147483648);
  if (q === 2147483648) {
    q = 1073741824;
    shift++;
  }
  if (shift < -31) return [0, 0];
  return [q, shift];
}

const wrap32 = (x: bigint): bigint => BigInt.asIntN(32, x);

/** gemmlowp SaturatingRoundingDoublingHighMul. */
function srdhm(a: bigint, b: bigint): bigint {
  if (a === b && a === -2147483648n) return 2147483647n;
  const ab = a * b;
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return (ab + nudge) / (1n << 31n); // BigInt division truncates like C
}

/** gemmlowp RoundingDivideByPOT. */
function rdbpot(x: bigint, e: number): bigint {
  const mask = (1n << B(e)) - 1n;
  const rem = x & mask;
  const threshold = (mask >> 1n) + (x < 0n ? 1n : 0n);
  return (x >> B(e)) + (rem > threshold ? 1n : 0n);
}

/** MultiplyByQuantizedMultiplier(int32 x), double rounding. */
export function mbqm32(x: number, mult: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  return Number(rdbpot(srdhm(wrap32(B(x) << B(left)), B(mult)), right));
}

/** MultiplyByQuantizedMultiplier(int64 x) of the 16x8 kernels. */
export function mbqm64(x: bigint, mult: number, shift: number): number {
  const reduced = mult < 0x7fff0000 ? (mult + (1 << 15)) >> 16 : 0x7fff;
  const total = 15 - shift;
  const r = (x * B(reduced) + (1n << B(total - 1))) >> B(total);
  return Number(wrap32(r));
}

// ---- set-up -------------------------------------------------------------

function outSize(pad: Pad, inSize: number, k: number, stride: number, dil: number): number {
  const eff = (k - 1) * dil + 1;
  return pad === 'SAME'
    ? Math.floor((inSize + stride - 1) / stride)
    : Math.floor((inSize + stride - eff) / stride);
}

function leadPad(stride: number, dil: number, inSize: number, k: number, out: number): number {
  const eff = (k - 1) * dil + 1;
  return Math.floor(Math.max(0, (out - 1) * stride + eff - inSize) / 2);
}

function qRange(bits: 8 | 16): [number, number] {
  return bits === 8 ? [-128, 127] : [-32768, 32767];
}

function actRangeQ(act: Act, scale: number, zp: number, bits: 8 | 16): [number, number] {
  const [lo, hi] = qRange(bits);
  const q = (f: number): number => zp + roundAway(Math.fround(f / Math.fround(scale)));
  switch (act) {
    case 'NONE':
      return [lo, hi];
    case 'RELU':
      return [Math.max(lo, q(0)), hi];
    case 'RELU6':
      return [Math.max(lo, q(0)), Math.min(hi, q(6))];
    case 'RELU_N1_TO_1':
      return [Math.max(lo, q(-1)), Math.min(hi, q(1))];
  }
}

const FMAX = 3.4028234663852886e38;
function actRangeF(act: Act): [number, number] {
  return act === 'NONE'
    ? [-FMAX, FMAX]
    : act === 'RELU'
      ? [0, FMAX]
      : act === 'RELU6'
        ? [0, 6]
        : [-1, 1];
}

const clampF = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);

type Kind = 'f32' | 's8' | 's16';

/** Per-output-channel requantisation: returns out = f(acc, channel). */
function requantizer(
  kind: Kind,
  input: RefTensor,
  filter: RefTensor,
  out: RefOut,
  act: Act,
  channels: number,
  bias64: boolean,
): (acc: number, c: number) => number {
  if (kind === 'f32') {
    const [lo, hi] = actRangeF(act);
    return (acc) => clampF(Math.fround(acc), lo, hi);
  }
  const inScale = (input.scale ?? [])[0] as number;
  const outScale = out.scale as number;
  const fs = filter.scale ?? [];
  const mults: [number, number][] = [];
  for (let c = 0; c < channels; c++) {
    const s = (fs.length === 1 ? fs[0] : fs[c]) as number;
    mults.push(refQuantizeMultiplier((inScale * s) / outScale));
  }
  const zp = out.zeroPoint ?? 0;
  const [lo, hi] = actRangeQ(act, outScale, zp, kind === 's8' ? 8 : 16);
  return (acc, c) => {
    const [m, s] = mults[c] as [number, number];
    let r: number;
    if (kind === 's8') r = mbqm32(acc | 0, m, s) + zp;
    else if (bias64) r = mbqm64(B(acc), m, s);
    else r = mbqm32(Number(wrap32(B(acc))), m, s);
    return Math.min(Math.max(r, lo), hi);
  };
}

/** Float accumulation in float32, like the C reference loops. */
const f32add = (a: number, b: number): number => Math.fround(a + b);
const f32mul = (a: number, b: number): number => Math.fround(a * b);

export interface ConvOptions {
  padding: Pad;
  strideW: number;
  strideH: number;
  dilationW?: number;
  dilationH?: number;
  activation?: Act;
}

/** CONV_2D (groups allowed) and DEPTHWISE_CONV_2D. */
export function refConv(
  kind: Kind,
  input: RefTensor,
  filter: RefTensor,
  bias: RefTensor | null,
  out: RefOut,
  o: ConvOptions,
  depthwise = false,
  bias64 = false,
): number[] {
  const [N, H, W, C] = input.shape as [number, number, number, number];
  const [F0, KH, KW, F3] = filter.shape as [number, number, number, number];
  const CO = depthwise ? F3 : F0;
  const dw = o.dilationW ?? 1;
  const dh = o.dilationH ?? 1;
  const OH = outSize(o.padding, H, KH, o.strideH, dh);
  const OW = outSize(o.padding, W, KW, o.strideW, dw);
  const ph = leadPad(o.strideH, dh, H, KH, OH);
  const pw = leadPad(o.strideW, dw, W, KW, OW);
  if (out.shape.join() !== [N, OH, OW, CO].join()) throw new Error('reference: output shape');
  const inOff = kind === 's8' ? -((input.zeroPoint ?? [0])[0] as number) : 0;
  const rq = requantizer(kind, input, filter, out, o.activation ?? 'NONE', CO, bias64);
  const groups = depthwise ? 1 : C / F3;
  const perGroup = CO / groups;
  const dm = depthwise ? CO / C : 1;
  const x = input.values;
  const f = filter.values;
  const res: number[] = [];
  for (let b = 0; b < N; b++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++)
        for (let oc = 0; oc < CO; oc++) {
          let acc = 0;
          for (let ky = 0; ky < KH; ky++)
            for (let kx = 0; kx < KW; kx++) {
              const iy = oy * o.strideH - ph + ky * dh;
              const ix = ox * o.strideW - pw + kx * dw;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
              if (depthwise) {
                const ic = Math.floor(oc / dm);
                const xv = x[((b * H + iy) * W + ix) * C + ic] as number;
                const wv = f[(ky * KW + kx) * CO + oc] as number;
                acc = kind === 'f32' ? f32add(acc, f32mul(xv, wv)) : acc + wv * (xv + inOff);
              } else {
                const g = Math.floor(oc / perGroup);
                for (let c = 0; c < F3; c++) {
                  const xv = x[((b * H + iy) * W + ix) * C + g * F3 + c] as number;
                  const wv = f[((oc * KH + ky) * KW + kx) * F3 + c] as number;
                  acc = kind === 'f32' ? f32add(acc, f32mul(xv, wv)) : acc + wv * (xv + inOff);
                }
              }
            }
          if (bias)
            acc =
              kind === 'f32'
                ? f32add(acc, bias.values[oc] as number)
                : acc + (bias.values[oc] as number);
          else if (kind === 'f32') acc = f32add(acc, 0);
          res.push(rq(acc, oc));
        }
  return res;
}

/** FULLY_CONNECTED: input flattened to [batches, depth]. */
export function refFullyConnected(
  kind: Kind,
  input: RefTensor,
  weights: RefTensor,
  bias: RefTensor | null,
  out: RefOut,
  activation: Act = 'NONE',
  bias64 = false,
): number[] {
  const [U, D] = weights.shape as [number, number];
  const batches = input.values.length / D;
  const inOff = kind === 's8' ? -((input.zeroPoint ?? [0])[0] as number) : 0;
  const perChannel = (weights.scale ?? []).length > 1;
  const wOff = kind !== 'f32' && !perChannel ? -((weights.zeroPoint ?? [0])[0] as number) : 0;
  const rq = requantizer(kind, input, weights, out, activation, U, bias64);
  const res: number[] = [];
  for (let b = 0; b < batches; b++)
    for (let u = 0; u < U; u++) {
      let acc = 0;
      for (let d = 0; d < D; d++) {
        const xv = input.values[b * D + d] as number;
        const wv = weights.values[u * D + d] as number;
        acc = kind === 'f32' ? f32add(acc, f32mul(xv, wv)) : acc + (wv + wOff) * (xv + inOff);
      }
      if (bias)
        acc =
          kind === 'f32' ? f32add(acc, bias.values[u] as number) : acc + (bias.values[u] as number);
      else if (kind === 'f32') acc = f32add(acc, 0);
      res.push(rq(acc, u));
    }
  return res;
}

export interface PoolOptions {
  padding: Pad;
  strideW: number;
  strideH: number;
  filterW: number;
  filterH: number;
  activation?: Act;
}

/** AVERAGE_POOL_2D / MAX_POOL_2D (int8 raw values, or float32). */
export function refPool(
  kind: 'f32' | 's8',
  average: boolean,
  input: RefTensor,
  out: RefOut,
  o: PoolOptions,
): number[] {
  const [N, H, W, C] = input.shape as [number, number, number, number];
  const OH = outSize(o.padding, H, o.filterH, o.strideH, 1);
  const OW = outSize(o.padding, W, o.filterW, o.strideW, 1);
  const ph = leadPad(o.strideH, 1, H, o.filterH, OH);
  const pw = leadPad(o.strideW, 1, W, o.filterW, OW);
  const act = o.activation ?? 'NONE';
  const [lo, hi] =
    kind === 'f32' ? actRangeF(act) : actRangeQ(act, out.scale as number, out.zeroPoint ?? 0, 8);
  const res: number[] = [];
  for (let b = 0; b < N; b++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++)
        for (let c = 0; c < C; c++) {
          let sum = 0;
          let n = 0;
          let m = kind === 'f32' ? -FMAX : -128;
          for (let ky = 0; ky < o.filterH; ky++)
            for (let kx = 0; kx < o.filterW; kx++) {
              const iy = oy * o.strideH - ph + ky;
              const ix = ox * o.strideW - pw + kx;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
              const v = input.values[((b * H + iy) * W + ix) * C + c] as number;
              sum = kind === 'f32' ? f32add(sum, v) : sum + v;
              n++;
              m = Math.max(m, v);
            }
          let r: number;
          if (!average) r = m;
          else if (kind === 'f32') r = Math.fround(sum / n);
          else
            r = Math.trunc(sum > 0 ? (sum + Math.trunc(n / 2)) / n : (sum - Math.trunc(n / 2)) / n);
          // Integer results: + 0 turns Math.trunc's -0 into 0.
          res.push(kind === 's8' ? clampF(r, lo, hi) + 0 : clampF(r, lo, hi));
        }
  return res;
}

/** TRANSPOSE_CONV int16x8 by scatter, as TFLite's reference does it. */
export function refTransposeConv16(
  input: RefTensor,
  filter: RefTensor,
  bias: RefTensor | null,
  out: RefOut,
  o: { padding: Pad; strideW: number; strideH: number; activation?: Act },
): number[] {
  const [N, H, W, C] = input.shape as [number, number, number, number];
  const [CO, KH, KW] = filter.shape as [number, number, number, number];
  const [, OH, OW] = out.shape as [number, number, number, number];
  const ph = leadPad(o.strideH, 1, OH, KH, outSize(o.padding, OH, KH, o.strideH, 1));
  const pw = leadPad(o.strideW, 1, OW, KW, outSize(o.padding, OW, KW, o.strideW, 1));
  const acc = new Array<bigint>(N * OH * OW * CO).fill(0n);
  for (let b = 0; b < N; b++)
    for (let iy = 0; iy < H; iy++)
      for (let ix = 0; ix < W; ix++)
        for (let ic = 0; ic < C; ic++) {
          const xv = input.values[((b * H + iy) * W + ix) * C + ic] as number;
          for (let ky = 0; ky < KH; ky++)
            for (let kx = 0; kx < KW; kx++) {
              const oy = iy * o.strideH - ph + ky;
              const ox = ix * o.strideW - pw + kx;
              if (oy < 0 || oy >= OH || ox < 0 || ox >= OW) continue;
              for (let oc = 0; oc < CO; oc++) {
                const wv = filter.values[((oc * KH + ky) * KW + kx) * C + ic] as number;
                const at = ((b * OH + oy) * OW + ox) * CO + oc;
                acc[at] = (acc[at] as bigint) + B(xv * wv);
              }
            }
        }
  const rq = requantizer('s16', input, filter, out, o.activation ?? 'NONE', CO, true);
  return acc.map((a, i) => {
    const oc = i % CO;
    const withBias = bias ? a + B(bias.values[oc] as number) : a;
    return rq(Number(withBias), oc);
  });
}
