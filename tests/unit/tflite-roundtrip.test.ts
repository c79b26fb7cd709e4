// read -> write -> read gives an equal model, for third-party models and for
// models built from scratch, in both the inline and the large (external) form.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModel } from '../../src/core/tflite/read.ts';
import { writeModel } from '../../src/core/tflite/write.ts';
import { firstDifference, modelsEqual } from '../../src/core/tflite/equal.ts';
import { sampleModels } from '../../src/core/tflite/samples.ts';
import { FlatReader } from '../../src/core/tflite/flat.ts';
import type { Model } from '../../src/core/tflite/model.ts';
import { listSharedModels, sharedModelsDir } from '../support/models.ts';

const dir = sharedModelsDir();

function mustRead(bytes: Uint8Array): Model {
  const r = readModel(bytes);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

function expectRoundTrip(model: Model, external = false): Uint8Array {
  const bytes = writeModel(model, { external });
  const back = mustRead(bytes);
  expect(firstDifference(model, back)).toBeNull();
  return bytes;
}

/** Offsets of every non-empty buffer's data relative to the file start. */
function dataOffsets(bytes: Uint8Array, model: Model): number[] {
  return model.buffers
    .filter((b) => b.data.length > 0)
    .map((b) => b.data.byteOffset - bytes.byteOffset);
}

describe('round trip of built models', () => {
  it.each(sampleModels())('%s survives write -> read unchanged', (_name, model) => {
    const bytes = expectRoundTrip(model);
    expect(new TextDecoder().decode(bytes.subarray(4, 8))).toBe('TFL3');
  });

  it.each(sampleModels())('%s survives the large-model form', (_name, model) => {
    const bytes = expectRoundTrip(model, true);
    const back = mustRead(bytes);
    // The data really lies after the flatbuffer: buffer tables carry no data vector.
    const root = new FlatReader(bytes).root();
    const buffers = root.tables(4, 'buffers', (i) => `buffer ${i}`);
    const withData = buffers.filter((t) => t.has(0));
    expect(withData).toEqual([]);
    // So do non-empty custom options (large_custom_options_offset/size).
    const ops = root
      .tables(2, 'subgraphs', String)
      .flatMap((sg) => sg.tables(3, 'operators', String));
    for (const op of ops) expect(op.has(5)).toBe(false);
    const custom = back.subgraphs.flatMap((sg) => sg.operators).filter((op) => op.customOptions);
    expect(ops.filter((op) => op.has(9)).length).toBe(custom.length);
    const offsets = dataOffsets(bytes, back);
    expect(offsets.length).toBeGreaterThan(0);
    for (const o of offsets) expect(o % 16).toBe(0);
  });

  it('aligns every constant buffer to 16 bytes', () => {
    for (const [, model] of sampleModels()) {
      const bytes = writeModel(model);
      const offsets = dataOffsets(bytes, mustRead(bytes));
      expect(offsets.length).toBeGreaterThan(0);
      for (const o of offsets) expect(o % 16).toBe(0);
    }
  });

  it('reads from a view that does not start at its buffer start', () => {
    const [[, model]] = sampleModels() as [[string, Model]];
    const bytes = writeModel(model);
    const host = new Uint8Array(bytes.length + 11);
    host.set(bytes, 3);
    const view = host.subarray(3, 3 + bytes.length);
    expect(firstDifference(model, mustRead(view))).toBeNull();
  });

  it('is deterministic', () => {
    for (const [, model] of sampleModels()) {
      expect(writeModel(model)).toEqual(writeModel(model));
    }
  });

  it('detects a changed model (the equality helper is not vacuous)', () => {
    const [[, a]] = sampleModels() as [[string, Model]];
    const b = structuredClone(a);
    expect(modelsEqual(a, b)).toBe(true);
    const data = b.buffers[1]?.data as Uint8Array;
    data[0] = (data[0] as number) ^ 1;
    expect(firstDifference(a, b)).toMatch(/^model\.buffers\[1\]\.data\[0\]/);
    const c = structuredClone(a);
    c.subgraphs[0]!.tensors[0]!.quantization!.scale[0] = 0.25;
    expect(modelsEqual(a, c)).toBe(false);
  });
});

describe.runIf(dir !== null)('round trip of the shared models', () => {
  const files = listSharedModels();

  it.each(files.filter((f) => !f.startsWith('seanet/')))('%s', (file) => {
    const model = mustRead(new Uint8Array(readFileSync(join(dir as string, file))));
    const bytes = expectRoundTrip(model);
    for (const o of dataOffsets(bytes, mustRead(bytes))) expect(o % 16).toBe(0);
  });

  it('round-trips all seanet models', () => {
    const seanet = files.filter((f) => f.startsWith('seanet/'));
    expect(seanet.length).toBeGreaterThan(50);
    for (const file of seanet) {
      const model = mustRead(new Uint8Array(readFileSync(join(dir as string, file))));
      const back = mustRead(writeModel(model));
      expect(firstDifference(model, back), file).toBeNull();
    }
  });

  it('reads the large-model form of a real model', () => {
    const model = mustRead(
      new Uint8Array(readFileSync(join(dir as string, 'tflm/person_detect.tflite'))),
    );
    expectRoundTrip(model, true);
  });
});
