// The independent reference: TFLite compiled to WASM (tfjs-tflite) in
// headless Chromium. Checked against things it cannot be tuned to: TFLM's
// recorded golden vectors, a real image classified as the model's authors
// say, and float arithmetic done here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueCase, CATALOGUE } from '../../src/core/testgen/catalogue.ts';
import { writeModel } from '../../src/core/tflite/write.ts';
import { generateInputSets } from '../../src/core/validate/inputs.ts';
import { compareTensors } from '../../src/core/validate/metrics.ts';
import { dataFromBytes, elementBytes, isNumericType } from '../../src/core/validate/tensor-data.ts';
import { launchReference, type ReferenceSession } from '../../src/node/reference-chromium.ts';
import { sharedModelsDir } from '../support/models.ts';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const shared = sharedModelsDir();
const file = (rel: string): Uint8Array => new Uint8Array(readFileSync(join(shared as string, rel)));

/** An 8-bit grayscale BMP (bottom-up rows, identity palette) as int8 pixels - 128. */
function bmpAsInt8(bytes: Uint8Array): Int8Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offset = dv.getUint32(10, true);
  const w = dv.getInt32(18, true);
  const h = dv.getInt32(22, true);
  const stride = (w + 3) & ~3;
  const out = new Int8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++)
      out[y * w + x] = (bytes[offset + (h - 1 - y) * stride + x] as number) - 128;
  }
  return out;
}

describe.skipIf(!existsSync(chromium))('TFLite reference in Chromium', () => {
  let ref: ReferenceSession;
  beforeAll(async () => {
    ref = await launchReference({ executablePath: chromium });
  });
  afterAll(async () => {
    await ref?.close();
  });

  it('computes a float FULLY_CONNECTED as float arithmetic does', async () => {
    const c = catalogueCase(CATALOGUE.find((e) => e.name === 'fully_connected_f32/basic')!);
    const sg = c.model.subgraphs[0]!;
    const [, w, b] = sg.operators[0]!.inputs.map((t) => sg.tensors[t]!);
    const weights = dataFromBytes('FLOAT32', c.model.buffers[w!.buffer]!.data);
    const bias = dataFromBytes('FLOAT32', c.model.buffers[b!.buffer]!.data);
    const sets = generateInputSets(c.inputs, 4, 3);
    const out = await ref.runReference(writeModel(c.model), sets);
    sets.forEach((set, s) => {
      const x = set[0]!;
      const expected = Float32Array.from({ length: 16 }, (_, u) => {
        let acc = bias[u]!;
        for (let k = 0; k < 16; k++) acc += x[k]! * weights[u * 16 + k]!;
        return acc;
      });
      expect(compareTensors(out[s]![0]!, expected).maxRelError).toBeLessThan(1e-5);
    });
  });

  it('reports why it refuses a model instead of throwing', async () => {
    const r = await ref.run({ model: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), inputSets: [] });
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toMatch(/could not load/);
  });

  it('rejects inputs of the wrong size, naming the input', async () => {
    const c = catalogueCase(CATALOGUE.find((e) => e.name === 'relu_s8/basic')!);
    const r = await ref.run({ model: writeModel(c.model), inputSets: [[Int8Array.of(1, 2)]] });
    expect(r.ok ? '' : r.error).toMatch(/input 0 .*INT8\[2\].*INT8\[144\]/);
  });

  it.skipIf(!shared)('scores the person image as more of a person than the empty one', async () => {
    const model = file('tflm/person_detect.tflite');
    const inputs = ['person', 'no_person'].map((n) => [
      bmpAsInt8(file(`inputs/person_detect_${n}.bmp`)),
    ]);
    const [person, none] = await ref.runReference(model, inputs);
    // Output order: [no person, person]. Measured: person [9, -9], no person
    // [78, -78]: the model leans "no person" on both sample images (both we
    // and TFLite agree), so only the ordering between images is asserted.
    const margin = (t: ArrayLike<number>): number => (t[1] as number) - (t[0] as number);
    expect(margin(person![0]!)).toBeGreaterThan(margin(none![0]!) + 50);
  });

  it.skipIf(!shared)('reproduces every seanet golden vector exactly', async () => {
    const root = join(shared as string, 'seanet');
    const csv = (p: string): number[] =>
      readFileSync(p, 'utf8')
        .trim()
        .split(/[,\s]+/)
        .map(Number);
    const vector = (p: string) => {
      const type = /_(int16|int32)\.csv$/.exec(p)?.[1]?.toUpperCase() ?? '';
      if (!isNumericType(type)) throw new Error(p);
      const v = csv(p);
      const t = dataFromBytes(type, new Uint8Array(v.length * elementBytes(type)));
      t.set(v);
      return t;
    };
    let checked = 0;
    for (const op of readdirSync(root)) {
      const dir = join(root, op);
      const files = readdirSync(dir);
      for (const m of files.filter((f) => f.endsWith('.tflite'))) {
        const stem = m.slice(0, -7);
        const inputs = files
          .filter((f) => f.startsWith(`${stem}_input`))
          .sort()
          .map((f) => vector(join(dir, f)));
        const golden = vector(
          join(
            dir,
            files.find((f) => f.startsWith(`${stem}_golden`))!,
          ),
        );
        const [out] = await ref.runReference(new Uint8Array(readFileSync(join(dir, m))), [inputs]);
        expect(compareTensors(out![0]!, golden).exactShare, `${op}/${m}`).toBe(1);
        checked++;
      }
    }
    expect(checked).toBe(127);
  });

  it.skipIf(!shared)('runs person_detect batches quickly', async () => {
    const model = file('tflm/person_detect.tflite');
    const sets = generateInputSets([{ type: 'INT8', shape: [1, 96, 96, 1] }], 20, 1);
    const t0 = performance.now();
    const r = await ref.runReference(model, sets);
    const ms = performance.now() - t0;
    expect(r).toHaveLength(20);
    // Measured ~450 ms on 2 cores (builtin kernels, docs/numerics.md); a generous ceiling catches a fallback to
    // something pathological (e.g. one page load per inference).
    expect(ms).toBeLessThan(5_000);
  });
});
