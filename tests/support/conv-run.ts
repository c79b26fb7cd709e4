// Test plumbing for the conv / fc / pool kernels: typed encode/decode of
// tensor bytes, a seeded random source, and "package this model and run it
// on the host runtime".
import { activationLifetimes } from '../../src/core/analysis/lifetimes.ts';
import { planMemory } from '../../src/core/analysis/planner.ts';
import { buildPackage } from '../../src/core/package/build-package.ts';
import type { Model, TensorType } from '../../src/core/tflite/model.ts';
import { runPackage, type RunOptions } from './host-runtime.ts';

/** mulberry32: small, seedable. */
export function rng(seed: number): {
  int(lo: number, hi: number): number;
  float(lo: number, hi: number): number;
} {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    float: (lo, hi) => lo + next() * (hi - lo),
  };
}

export function encode(type: TensorType, values: readonly number[]): Uint8Array {
  switch (type) {
    case 'INT8':
      return new Uint8Array(Int8Array.from(values).buffer);
    case 'INT16':
      return new Uint8Array(Int16Array.from(values).buffer);
    case 'INT32':
      return new Uint8Array(Int32Array.from(values).buffer);
    case 'INT64':
      return new Uint8Array(BigInt64Array.from(values.map((v) => BigInt(v))).buffer);
    case 'FLOAT32':
      return new Uint8Array(Float32Array.from(values).buffer);
    default:
      throw new Error(`encode: ${type}`);
  }
}

export function decode(type: TensorType, bytes: Uint8Array): number[] {
  const buf = bytes.slice().buffer;
  switch (type) {
    case 'INT8':
      return [...new Int8Array(buf)];
    case 'INT16':
      return [...new Int16Array(buf)];
    case 'INT32':
      return [...new Int32Array(buf)];
    case 'FLOAT32':
      return [...new Float32Array(buf)];
    default:
      throw new Error(`decode: ${type}`);
  }
}

const SIZES: Partial<Record<TensorType, number>> = {
  INT8: 1,
  INT16: 2,
  INT32: 4,
  INT64: 8,
  FLOAT32: 4,
};

export type HostRun = { ok: true; outputs: Uint8Array[] } | { ok: false; error: string };

/** Packages a model (subgraph 0) and runs one sample on the host runtime. */
export function runOnHost(
  model: Model,
  inputs: readonly Uint8Array[],
  options: RunOptions = {},
): HostRun {
  const sg = model.subgraphs[0];
  if (!sg) return { ok: false, error: 'no subgraph' };
  const plan = planMemory(activationLifetimes(model, 0), sg.operators.length);
  const built = buildPackage(model, plan);
  if (!built.ok) return { ok: false, error: built.error.message };
  const total = inputs.reduce((s, b) => s + b.length, 0);
  const joined = new Uint8Array(total);
  let at = 0;
  for (const b of inputs) {
    joined.set(b, at);
    at += b.length;
  }
  const r = runPackage(built.value.bytes, joined, options);
  if (!r.ok) return { ok: false, error: `${r.status ?? 'failure'} ${r.stderr}` };
  const outputs: Uint8Array[] = [];
  at = 0;
  for (const t of sg.outputs) {
    const tensor = sg.tensors[t];
    if (!tensor) return { ok: false, error: 'bad output' };
    const n = tensor.shape.reduce((a, b) => a * b, 1) * (SIZES[tensor.type] ?? 1);
    outputs.push(r.outputs.subarray(at, at + n));
    at += n;
  }
  return { ok: true, outputs };
}
