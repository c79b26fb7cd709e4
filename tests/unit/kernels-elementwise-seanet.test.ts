// The seanet per-operator int16 models (TFLite's own golden outputs) through
// the host runtime: add, sub, leaky_relu, pad, quantize, strided_slice must
// match exactly. Skipped when the shared models are absent.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModel } from '../../src/core/tflite/read.ts';
import { runPackage } from '../support/host-runtime.ts';
import { sharedModelsDir } from '../support/models.ts';
import { packageOf } from '../support/package-fixtures.ts';

const OPS = ['add', 'sub', 'leaky_relu', 'pad', 'quantize', 'strided_slice'];
const dir = sharedModelsDir();

function csv(path: string): number[] {
  return readFileSync(path, 'utf8')
    .split(/[,\s]+/)
    .filter((s) => s.length > 0)
    .map(Number);
}

function encode(type: string, values: number[]): Uint8Array {
  if (type === 'INT16') return new Uint8Array(Int16Array.from(values).buffer);
  if (type === 'INT32') return new Uint8Array(Int32Array.from(values).buffer);
  if (type === 'INT8') return new Uint8Array(Int8Array.from(values).buffer);
  throw new Error(`unexpected input type ${type}`);
}

function decode(type: string, bytes: Uint8Array): number[] {
  const b = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  if (type === 'INT16') return Array.from(new Int16Array(b));
  if (type === 'INT32') return Array.from(new Int32Array(b));
  if (type === 'INT8') return Array.from(new Int8Array(b));
  throw new Error(`unexpected output type ${type}`);
}

interface Case {
  op: string;
  name: string;
  model: string;
  inputs: string[];
  golden: string;
}

function cases(): Case[] {
  if (!dir) return [];
  const out: Case[] = [];
  for (const op of OPS) {
    const d = join(dir, 'seanet', op);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d)
      .filter((n) => n.endsWith('.tflite'))
      .sort()) {
      const name = f.replace(/\.tflite$/, '');
      // Files are named by their element type (int16, or int32 for QUANTIZE).
      const find = (stem: string): string | undefined =>
        ['int16', 'int32', 'int8']
          .map((t) => join(d, `${stem}_${t}.csv`))
          .find((p) => existsSync(p));
      const golden = find(`${name}_golden`);
      if (!golden) continue;
      const inputs: string[] = [];
      for (let i = 0; find(`${name}_input${i}`); i++) inputs.push(find(`${name}_input${i}`)!);
      out.push({ op, name, model: join(d, f), inputs, golden });
    }
  }
  return out;
}

const all = cases();

describe.skipIf(all.length === 0)('seanet int16 golden vectors through the host runtime', () => {
  it.each(all.map((c) => [c.name, c] as const))('%s matches TFLite exactly', (_name, c) => {
    const m = readModel(new Uint8Array(readFileSync(c.model)));
    if (!m.ok) throw m.error;
    const model = m.value;
    const sg = model.subgraphs[0]!;
    const build = packageOf(model);
    const parts = sg.inputs.map((t, i) => encode(sg.tensors[t]!.type, csv(c.inputs[i]!)));
    const input = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      input.set(p, at);
      at += p.length;
    }
    const r = runPackage(build.bytes, input);
    if (!r.ok) throw new Error(`${r.status} layer ${r.layer}: ${r.stderr}`);
    const outType = sg.tensors[sg.outputs[0]!]!.type;
    const got = decode(outType, r.outputs);
    const want = csv(c.golden);
    expect(got.length).toBe(want.length);
    const diffs = got.filter((v, i) => v !== want[i]).length;
    expect(diffs, `${diffs} of ${want.length} values differ`).toBe(0);
  });
});
