// An independent TypeScript model of TFLite's kernels for the elementwise
// and data-movement ops (add.cc, sub.cc, mul.cc, activations.cc,
// quantize.cc, dequantize.cc, pad.cc, transpose.cc, concatenation.cc,
// strided_slice.cc, reduce.cc, maximum_minimum.cc and the reference_ops they
// call), straight from the tensors' float scales to output values: no
// tables, no shared code with the planners. Float transcendental ops use
// double precision and are compared within a tolerance.
import type { Model, Operator, Tensor } from '../../../src/core/tflite/model.ts';
import { opName } from '../../../src/core/tflite/ops.ts';
import {
  actRange,
  clampTo,
  f32,
  mbqm,
  quantizeMultiplierRef,
  rdbpot,
  round,
} from './elementwise-fixed.ts';

const RANGE: Record<string, [number, number]> = {
  INT8: [-128, 127],
  UINT8: [0, 255],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
};

interface Ctx {
  model: Model;
  op: Operator;
  name: string;
  ins: (Tensor | null)[];
  out: Tensor;
  opt: (k: string) => unknown;
  constant: (i: number) => number[];
}

const q = (t: Tensor): { s: number; z: number } => ({
  s: f32(t.quantization?.scale[0] ?? 0),
  z: t.quantization?.zeroPoint[0] ?? 0,
});

const strides = (shape: readonly number[]): number[] => {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--)
    s[i] = (s[i + 1] as number) * (shape[i + 1] as number);
  return s;
};
const count = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Calls f with every multi-index of `shape` in row-major order. */
function forEachIndex(shape: readonly number[], f: (idx: number[], flat: number) => void): void {
  const n = count(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    f(idx, flat);
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1;
      if ((idx[d] as number) < (shape[d] as number)) break;
      idx[d] = 0;
    }
  }
}

/** Element of a broadcast input at an output multi-index. */
function bcastAt(
  shape: readonly number[],
  data: readonly number[],
  outIdx: readonly number[],
): number {
  const st = strides(shape);
  const off = outIdx.length - shape.length;
  let o = 0;
  for (let d = 0; d < shape.length; d++) {
    if ((shape[d] as number) !== 1) o += (outIdx[d + off] as number) * (st[d] as number);
  }
  return data[o] as number;
}

function binary(c: Ctx, a: number[], b: number[], f: (x: number, y: number) => number): number[] {
  const out: number[] = [];
  const sa = c.ins[0]!.shape;
  const sb = c.ins[1]!.shape;
  forEachIndex(c.out.shape, (idx) => out.push(f(bcastAt(sa, a, idx), bcastAt(sb, b, idx))));
  return out;
}

function checkedLog2(x: number): number | null {
  const l = f32(f32(Math.log(x)) * f32(1 / f32(Math.log(2))));
  const r = round(l);
  return Math.abs(f32(l - r)) < f32(0.001) ? r : null;
}

function addSub(c: Ctx, a: number[], b: number[], sign: number): number[] {
  const act = String(c.opt('fusedActivationFunction') ?? 'NONE');
  const t = c.out.type;
  if (t === 'FLOAT32') {
    const lo =
      act === 'RELU' || act === 'RELU6' ? 0 : act === 'RELU_N1_TO_1' ? -1 : -3.4028234663852886e38;
    const hi = act === 'RELU6' ? 6 : act === 'RELU_N1_TO_1' ? 1 : 3.4028234663852886e38;
    return binary(c, a, b, (x, y) => clampTo(f32(x + sign * y), lo, hi));
  }
  const q1 = q(c.ins[0]!);
  const q2 = q(c.ins[1]!);
  const qo = q(c.out);
  const [tmin, tmax] = RANGE[t] as [number, number];
  const [lo, hi] = actRange(act, qo.s, qo.z, tmin, tmax);
  if (t === 'INT16' && c.opt('potScaleInt16') !== false) {
    const l1 = checkedLog2(q1.s);
    const l2 = checkedLog2(q2.s);
    const lo2 = checkedLog2(qo.s);
    if (l1 !== null && l2 !== null && lo2 !== null) {
      const s1 = l1 - lo2;
      const s2 = l2 - lo2;
      return binary(c, a, b, (x, y) => clampTo(rdbpot(x, -s1) + sign * rdbpot(y, -s2), lo, hi));
    }
  }
  const ls = t === 'INT16' ? 15 : 20;
  const twice = 2 * Math.max(q1.s, q2.s);
  const [m1, e1] = quantizeMultiplierRef(q1.s / twice);
  const [m2, e2] = quantizeMultiplierRef(q2.s / twice);
  const [mo, eo] = quantizeMultiplierRef(twice / f32(2 ** ls * qo.s));
  return binary(c, a, b, (x, y) => {
    const sx = mbqm((x - q1.z) * 2 ** ls, m1, e1);
    const sy = mbqm((y - q2.z) * 2 ** ls, m2, e2);
    return clampTo(mbqm(sx + sign * sy, mo, eo) + qo.z, lo, hi);
  });
}

function mul(c: Ctx, a: number[], b: number[]): number[] {
  const act = String(c.opt('fusedActivationFunction') ?? 'NONE');
  if (c.out.type === 'FLOAT32') {
    const lo = act === 'RELU' || act === 'RELU6' ? 0 : -3.4028234663852886e38;
    const hi = act === 'RELU6' ? 6 : 3.4028234663852886e38;
    return binary(c, a, b, (x, y) => clampTo(f32(x * y), lo, hi));
  }
  const q1 = q(c.ins[0]!);
  const q2 = q(c.ins[1]!);
  const qo = q(c.out);
  const [lo, hi] = actRange(act, qo.s, qo.z, -128, 127);
  const [m, e] = quantizeMultiplierRef(f32(f32(q1.s * q2.s) / qo.s));
  return binary(c, a, b, (x, y) => clampTo(qo.z + mbqm((x - q1.z) * (y - q2.z), m, e), lo, hi));
}

function sat16(x: number): number {
  return clampTo(x, -32768, 32767);
}
const w16 = (x: number): number => (x << 16) >> 16;
function srdhm16(a: number, b: number): number {
  if (a === -32768 && b === -32768) return 32767;
  const p = a * b;
  return Math.trunc((p + (p >= 0 ? 16384 : -16383)) / 32768);
}

function hardSwish(c: Ctx, x: number): number {
  const qi = q(c.ins[0]!);
  const qo = q(c.out);
  const hires = f32(f32(1 / 128) * qi.s);
  const toQ15 = (m: number): number => (m >= 2147483647 - 32768 ? 32767 : (m + 32768) >> 16);
  const [om, oe] = quantizeMultiplierRef(f32(hires / qo.s));
  const [rm, re] = quantizeMultiplierRef(f32(hires / f32(3 / 32768)));
  const o16 = toQ15(om);
  const r16 = toQ15(rm);
  const v = w16(w16(x - qi.z) * 128);
  const pre = srdhm16(v, o16);
  let r = v;
  if (re > 0) r = sat16(r * 2 ** (re - 1));
  r = srdhm16(r, r16);
  if (re > 0) r = sat16(r * 2);
  if (re < 0) r = rdbpot(r, -re);
  r = (r + 32768) >> 1;
  const p = Math.trunc((r * pre) / 32768);
  const out = w16(w16(rdbpot(p, -oe)) + qo.z);
  return clampTo(out, -128, 127);
}

/** Unary int8 ops by float-LUT semantics (PopulateLookupTable). */
function lutValue(c: Ctx, x: number, f: (v: number) => number): number {
  const qi = q(c.ins[0]!);
  const qo = q(c.out);
  const deq = f32(qi.s * (x - qi.z));
  const r = round(f32(f32(f(deq)) * f32(1 / qo.s)));
  return clampTo(Math.trunc(f32(r + qo.z)), -128, 127);
}

function unary(c: Ctx, a: number[]): number[] {
  const t = c.out.type;
  const name = c.name;
  if (t === 'FLOAT32') {
    const alpha = f32(Number(c.opt('alpha') ?? 0.2));
    const fns: Record<string, (x: number) => number> = {
      RELU: (x) => Math.max(0, x),
      RELU6: (x) => Math.min(6, Math.max(0, x)),
      LOGISTIC: (x) => 1 / (1 + Math.exp(-x)),
      TANH: (x) => Math.tanh(x),
      LEAKY_RELU: (x) => (x > 0 ? x : f32(x * alpha)),
    };
    const fn = fns[name] as (x: number) => number;
    return a.map((x) => f32(fn(x)));
  }
  const qi = q(c.ins[0]!);
  const qo = q(c.out);
  switch (name) {
    case 'RELU':
    case 'RELU6': {
      const [m, e] = quantizeMultiplierRef(f32(qi.s / qo.s));
      const lo = Math.max(-128, qo.z);
      const hi = name === 'RELU' ? 127 : Math.min(127, qo.z + round(f32(6 / qo.s)));
      return a.map((x) => clampTo(qo.z + mbqm(x - qi.z, m, e), lo, hi));
    }
    case 'LEAKY_RELU': {
      const alpha = f32(Number(c.opt('alpha') ?? 0.2));
      const [mi, ei] = quantizeMultiplierRef(f32(qi.s / qo.s));
      const [ma, ea] = quantizeMultiplierRef(f32(f32(qi.s * alpha) / qo.s));
      const [lo, hi] = RANGE[t] as [number, number];
      return a.map((x) => {
        const v = x - qi.z;
        return clampTo(qo.z + (v >= 0 ? mbqm(v, mi, ei) : mbqm(v, ma, ea)), lo, hi);
      });
    }
    case 'HARD_SWISH':
      return a.map((x) => hardSwish(c, x));
    case 'LOGISTIC':
      return a.map((x) => lutValue(c, x, (v) => f32(1 / f32(1 + f32(Math.exp(-v))))));
    case 'TANH':
      return a.map((x) => lutValue(c, x, (v) => f32(Math.tanh(v))));
    default:
      throw new Error(`reference: ${name}`);
  }
}

function softmax(c: Ctx, a: number[]): number[] {
  const depth = c.out.shape[c.out.shape.length - 1] as number;
  const beta = f32(Number(c.opt('beta') ?? 1));
  const out: number[] = [];
  for (let r = 0; r < a.length; r += depth) {
    const row = a.slice(r, r + depth);
    const max = Math.max(...row);
    if (c.out.type === 'FLOAT32') {
      const e = row.map((x) => Math.exp((x - max) * beta));
      const sum = e.reduce((s, v) => s + v, 0);
      out.push(...e.map((v) => f32(v / sum)));
      continue;
    }
    const qi = q(c.ins[0]!);
    const qo = q(c.out);
    const k = f32(-qi.s * beta);
    const e = row.map((x) => f32(Math.exp(f32(k * (max - x)))));
    let sum = 0;
    for (const v of e) sum = f32(sum + v);
    const inv = f32(1 / f32(sum * qo.s));
    const [lo, hi] = RANGE[c.out.type] as [number, number];
    out.push(...e.map((v) => clampTo(round(f32(v * inv)) + qo.z, lo, hi)));
  }
  return out;
}

function quantize(c: Ctx, a: number[]): number[] {
  const inT = c.ins[0]!.type;
  const qo = q(c.out);
  const [lo, hi] = RANGE[c.out.type] as [number, number];
  if (inT === 'FLOAT32') {
    return a.map((x) => {
      // TFLite's optimized AffineQuantize divides in double.
      const v = x / qo.s;
      const r = Number.isNaN(v) ? 0 : clampTo(round(v), -(2 ** 30), 2 ** 30);
      return clampTo(r + qo.z, lo, hi);
    });
  }
  const qi = q(c.ins[0]!);
  const [m, e] = quantizeMultiplierRef(qi.s / qo.s);
  return a.map((x) => clampTo(mbqm(x - qi.z, m, e) + qo.z, lo, hi));
}

function pad(c: Ctx, a: number[]): number[] {
  const inS = c.ins[0]!.shape;
  const p = c.constant(1);
  let value = q(c.out).z;
  if (c.name === 'PADV2' && c.ins[2]) value = c.constant(2)[0] as number;
  const out: number[] = [];
  const ist = strides(inS);
  forEachIndex(c.out.shape, (idx) => {
    let o = 0;
    let inside = true;
    idx.forEach((i, d) => {
      const j = i - (p[2 * d] as number);
      if (j < 0 || j >= (inS[d] as number)) inside = false;
      o += j * (ist[d] as number);
    });
    out.push(inside ? (a[o] as number) : value);
  });
  return out;
}

function transpose(c: Ctx, a: number[]): number[] {
  const inS = c.ins[0]!.shape;
  const perm = c.constant(1).map((p) => (p < 0 ? p + inS.length : p));
  const ist = strides(inS);
  const out: number[] = [];
  forEachIndex(c.out.shape, (idx) => {
    let o = 0;
    idx.forEach((i, d) => (o += i * (ist[perm[d] as number] as number)));
    out.push(a[o] as number);
  });
  return out;
}

function concatenation(c: Ctx, ins: number[][]): number[] {
  const r = c.out.shape.length;
  let axis = Number(c.opt('axis') ?? 0);
  if (axis < 0) axis += r;
  const qo = q(c.out);
  const outer = count(c.out.shape.slice(0, axis));
  const inner = count(c.out.shape.slice(axis + 1));
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    c.ins.forEach((t, i) => {
      const n = (t!.shape[axis] as number) * inner;
      const src = (ins[i] as number[]).slice(o * n, o * n + n);
      const qi = q(t!);
      if (qi.s === qo.s && qi.z === qo.z) out.push(...src);
      else {
        const scale = f32(qi.s * f32(1 / qo.s));
        const bias = f32(-qi.z * scale);
        out.push(...src.map((x) => clampTo(round(f32(f32(x * scale) + bias)) + qo.z, -128, 127)));
      }
    });
  }
  return out;
}

/** TF's strided slice (dense spec), written from TF's documented semantics. */
function stridedSlice(c: Ctx, a: number[]): number[] {
  const shape = c.ins[0]!.shape;
  const begin = c.constant(1);
  const end = c.constant(2);
  const st = c.constant(3);
  const m = (k: string): number => Number(c.opt(k) ?? 0);
  const [bm, em, elm, nam, sam] = [
    'beginMask',
    'endMask',
    'ellipsisMask',
    'newAxisMask',
    'shrinkAxisMask',
  ].map(m) as [number, number, number, number, number];
  // Expand the sparse spec over the input dims (new axes do not consume input dims).
  const sel: { b: number; e: number; s: number; bm: boolean; em: boolean; shrink: boolean }[] = [];
  const n = begin.length;
  let dim = 0;
  for (let i = 0; i < n; i++) {
    if ((elm >> i) & 1) {
      let after = 0;
      for (let j = i + 1; j < n; j++) if (!((nam >> j) & 1)) after++;
      const fill = shape.length - dim - after;
      for (let k = 0; k < fill; k++) {
        sel.push({ b: 0, e: 0, s: 1, bm: true, em: true, shrink: false });
        dim++;
      }
      continue;
    }
    if ((nam >> i) & 1) continue;
    sel.push({
      b: begin[i] as number,
      e: end[i] as number,
      s: st[i] as number,
      bm: ((bm >> i) & 1) === 1,
      em: ((em >> i) & 1) === 1,
      shrink: ((sam >> i) & 1) === 1,
    });
    dim++;
  }
  while (sel.length < shape.length)
    sel.push({ b: 0, e: 0, s: 1, bm: true, em: true, shrink: false });
  const lists = sel.map((d, i) => {
    const size = shape[i] as number;
    const norm = (x: number): number => (x < 0 ? x + size : x);
    if (d.shrink) return [norm(d.b)];
    const b = d.bm
      ? d.s > 0
        ? 0
        : size - 1
      : clampTo(norm(d.b), d.s > 0 ? 0 : -1, d.s > 0 ? size : size - 1);
    const e = d.em
      ? d.s > 0
        ? size
        : -1
      : clampTo(norm(d.e), d.s > 0 ? 0 : -1, d.s > 0 ? size : size - 1);
    const idx: number[] = [];
    for (let k = b; d.s > 0 ? k < e : k > e; k += d.s) idx.push(k);
    return idx;
  });
  const ist = strides(shape);
  const out: number[] = [];
  forEachIndex(
    lists.map((l) => l.length),
    (idx) => {
      let o = 0;
      idx.forEach((k, d) => (o += (lists[d]![k] as number) * (ist[d] as number)));
      out.push(a[o] as number);
    },
  );
  return out;
}

function mean(c: Ctx, a: number[]): number[] {
  const shape = c.ins[0]!.shape;
  const axes = c.constant(1);
  const keep = c.opt('keepDims') === true;
  const r = shape.length;
  const red = new Set(axes.map((x) => (x < 0 ? x + r : x)));
  const qi = q(c.ins[0]!);
  const qo = q(c.out);
  const keptShape = shape.filter((_, i) => !red.has(i));
  const sums = new Array<number>(count(keptShape)).fill(0);
  const kst = strides(keptShape);
  forEachIndex(shape, (idx, flat) => {
    let o = 0;
    let k = 0;
    idx.forEach((v, d) => {
      if (!red.has(d)) o += v * (kst[k++] as number);
    });
    sums[o] = (sums[o] as number) + (a[flat] as number);
  });
  const n = count(shape) / count(keptShape);
  const hw =
    keep &&
    r === 4 &&
    axes.length === 2 &&
    ((axes[0] === 1 && axes[1] === 2) || (axes[0] === 2 && axes[1] === 1));
  if (hw) {
    const [m, e] = quantizeMultiplierRef(qi.s / qo.s);
    return sums.map((s) => {
      let acc = mbqm(s - n * qi.z, m, e);
      acc =
        acc > 0
          ? Math.trunc((acc + Math.trunc(n / 2)) / n)
          : Math.trunc((acc - Math.trunc(n / 2)) / n);
      return clampTo(acc + qo.z, -128, 127);
    });
  }
  if (qi.s === qo.s && qi.z === qo.z) return sums.map((s) => Math.trunc(s / n));
  const scale = f32(qi.s / qo.s);
  const bias = f32(-qi.z * scale);
  return sums.map((s) => {
    const meanV = f32(f32(s) / f32(n));
    return clampTo(round(f32(f32(meanV * scale) + bias)) + qo.z, -128, 127);
  });
}

/** Output values of op `index` of subgraph 0, given its non-constant inputs' values by position. */
export function referenceOp(model: Model, index: number, inputs: (number[] | null)[]): number[] {
  const sg = model.subgraphs[0]!;
  const op = sg.operators[index]!;
  const ins = op.inputs.map((t) => (t >= 0 ? sg.tensors[t]! : null));
  const c: Ctx = {
    model,
    op,
    name: opName(model, op.opcodeIndex),
    ins,
    out: sg.tensors[op.outputs[0]!]!,
    opt: (k) => op.builtinOptions?.fields[k],
    constant: (i) => {
      const t = ins[i]!;
      const data = model.buffers[t.buffer]!.data;
      const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
      const out: number[] = [];
      const size = t.type === 'INT8' ? 1 : t.type === 'INT16' ? 2 : 4;
      for (let k = 0; k < data.byteLength; k += size) {
        out.push(
          size === 1 ? v.getInt8(k) : size === 2 ? v.getInt16(k, true) : v.getInt32(k, true),
        );
      }
      return out;
    },
  };
  const vals = (i: number): number[] => inputs[i] ?? c.constant(i);
  switch (c.name) {
    case 'ADD':
      return addSub(c, vals(0), vals(1), 1);
    case 'SUB':
      return addSub(c, vals(0), vals(1), -1);
    case 'MUL':
      return mul(c, vals(0), vals(1));
    case 'MAXIMUM':
      return binary(c, vals(0), vals(1), (x, y) => Math.max(x, y));
    case 'MINIMUM':
      return binary(c, vals(0), vals(1), (x, y) => Math.min(x, y));
    case 'SOFTMAX':
      return softmax(c, vals(0));
    case 'QUANTIZE':
      return quantize(c, vals(0));
    case 'DEQUANTIZE': {
      const qi = q(c.ins[0]!);
      return vals(0).map((x) => f32(qi.s * (x - qi.z)));
    }
    case 'PAD':
    case 'PADV2':
      return pad(c, vals(0));
    case 'TRANSPOSE':
      return transpose(c, vals(0));
    case 'CONCATENATION':
      return concatenation(
        c,
        c.ins.map((_, i) => vals(i)),
      );
    case 'STRIDED_SLICE':
      return stridedSlice(c, vals(0));
    case 'MEAN':
      return mean(c, vals(0));
    default:
      return unary(c, vals(0));
  }
}
