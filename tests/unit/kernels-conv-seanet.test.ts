// The seanet int16x8 models from tflite-micro (shared models folder): every
// CONV_2D and TRANSPOSE_CONV model is packaged, run on the host runtime with
// its recorded input, and must reproduce TFLite's golden output exactly.
// Skipped when the shared models are absent.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { readModel } from '../../src/core/tflite/read.ts';
import { decode, encode, runOnHost } from '../support/conv-run.ts';
import { sharedModelsDir } from '../support/models.ts';

const root = sharedModelsDir();
const csv = (path: string): number[] =>
  readFileSync(path, 'utf8')
    .split(/[,\s]+/)
    .filter((s) => s.length > 0)
    .map(Number);

function cases(folder: string): string[] {
  if (!root) return [];
  return readdirSync(join(root, 'seanet', folder))
    .filter((f) => f.endsWith('.tflite'))
    .map((f) => f.replace('.tflite', ''))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

function runCase(folder: string, name: string): void {
  const dir = join(root as string, 'seanet', folder);
  const read = readModel(new Uint8Array(readFileSync(join(dir, `${name}.tflite`))));
  if (!read.ok) throw new Error(read.error.message);
  const model = read.value;
  const sg = model.subgraphs[0];
  if (!sg) throw new Error('no subgraph');
  // Inputs in graph order; the CSV suffix names each one's type.
  const files = readdirSync(dir).filter((f) => f.startsWith(`${name}_input`));
  const inputs = sg.inputs.map((t, i) => {
    const type = sg.tensors[t]?.type;
    const file = files.find((f) => f.startsWith(`${name}_input${i}_`));
    if (!file || (type !== 'INT16' && type !== 'INT32')) throw new Error(`input ${i} of ${name}`);
    return encode(type, csv(join(dir, file)));
  });
  const res = runOnHost(model, inputs);
  if (!res.ok) throw new Error(res.error);
  const got = decode('INT16', res.outputs[0] as Uint8Array);
  const golden = csv(join(dir, `${name}_golden_int16.csv`));
  expect(got.length).toBe(golden.length);
  const mismatches = got.filter((v, i) => v !== golden[i]).length;
  expect(mismatches).toBe(0);
}

describe.skipIf(!root)('seanet int16x8 models reproduce TFLite golden outputs exactly', () => {
  for (const folder of ['conv', 'transpose_conv']) {
    for (const name of cases(folder)) {
      it(`${folder}/${name}`, () => runCase(folder, name));
    }
  }
});
