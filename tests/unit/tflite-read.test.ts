// Reading the third-party models: structure matches the independent MANIFEST,
// option tables decode to the types their ops use, and reading is fast.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModel } from '../../src/core/tflite/read.ts';
import { opName } from '../../src/core/tflite/ops.ts';
import { optionsTypeForOp } from '../../src/core/tflite/options.ts';
import type { Model } from '../../src/core/tflite/model.ts';
import { listSharedModels, readManifest, sharedModelsDir } from '../support/models.ts';

const dir = sharedModelsDir();

function load(rel: string): { bytes: Uint8Array; model: Model } {
  const bytes = new Uint8Array(readFileSync(join(dir as string, rel)));
  const r = readModel(bytes);
  if (!r.ok) throw new Error(`${rel}: ${r.error.code} ${r.error.message}`);
  return { bytes, model: r.value };
}

/** The "in int8[1, 49, 257] ; out int8[1, 3]" line under each MANIFEST row. */
function manifestIo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let last = '';
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells[1]?.endsWith('.tflite')) last = cells[1];
    else if (last && cells[4]?.startsWith('in ')) out.set(last, cells[4]);
  }
  return out;
}

function ioSignature(m: Model): string {
  const sg = m.subgraphs[0];
  if (!sg) return '';
  const fmt = (ts: number[]) =>
    ts
      .map((t) => {
        const tensor = sg.tensors[t];
        return tensor ? `${tensor.type.toLowerCase()}[${tensor.shape.join(', ')}]` : '?';
      })
      .join(' ');
  return `in ${fmt(sg.inputs)} ; out ${fmt(sg.outputs)}`;
}

describe.runIf(dir !== null)('reading the shared models', () => {
  const manifestText = dir ? readFileSync(join(dir, 'MANIFEST.md'), 'utf8') : '';
  const rows = readManifest(manifestText);
  const io = manifestIo(manifestText);

  it('finds every MANIFEST model on disk', () => {
    const files = new Set(listSharedModels());
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) expect(files.has(row.file), row.file).toBe(true);
  });

  it.each(rows.map((r) => [r.file, r] as const))('%s matches the MANIFEST', (file, row) => {
    const { bytes, model } = load(file);
    expect(bytes.length).toBe(row.bytes);
    const operators = model.subgraphs.reduce((n, sg) => n + sg.operators.length, 0);
    expect(operators).toBe(row.operators);
    // The MANIFEST op set lists the model's operator codes.
    const ops = [...new Set(model.operatorCodes.map((_, i) => opName(model, i)))].sort();
    expect(ops).toEqual([...row.ops].sort());
    expect(ioSignature(model)).toBe(io.get(file));
  });

  it('reads every shared model, including the seanet ones', () => {
    const failures: string[] = [];
    for (const file of listSharedModels()) {
      const r = readModel(new Uint8Array(readFileSync(join(dir as string, file))));
      if (!r.ok) failures.push(`${file}: ${r.error.message}`);
    }
    expect(failures).toEqual([]);
  });

  it('decodes each operator with the options table its op uses', () => {
    // Union tags are schema facts: a wrong tag table would give a CONV_2D
    // some other op's options here.
    let checked = 0;
    for (const file of listSharedModels()) {
      const { model } = load(file);
      for (const sg of model.subgraphs) {
        for (const op of sg.operators) {
          if (!op.builtinOptions) continue;
          expect(op.builtinOptions.type, `${file} ${opName(model, op.opcodeIndex)}`).toBe(
            optionsTypeForOp(opName(model, op.opcodeIndex)),
          );
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('decodes convolution options to plausible values (field ids are right)', () => {
    const { model } = load('tflm/person_detect.tflite');
    const convs = model.subgraphs[0]?.operators.filter((op) =>
      ['CONV_2D', 'DEPTHWISE_CONV_2D'].includes(opName(model, op.opcodeIndex)),
    );
    expect(convs?.length).toBeGreaterThan(10);
    for (const op of convs ?? []) {
      const f = op.builtinOptions?.fields ?? {};
      expect(['SAME', 'VALID']).toContain(f.padding);
      expect([1, 2]).toContain(f.strideW);
      expect([1, 2]).toContain(f.strideH);
      expect(f.dilationWFactor).toBe(1);
      expect(f.dilationHFactor).toBe(1);
      expect(['NONE', 'RELU', 'RELU6']).toContain(f.fusedActivationFunction);
    }
  });

  it('reads per-channel quantization of conv weights', () => {
    const { model } = load('tflm/person_detect.tflite');
    const sg = model.subgraphs[0];
    const conv = sg?.operators.find((op) => opName(model, op.opcodeIndex) === 'CONV_2D');
    const weights = sg?.tensors[conv?.inputs[1] ?? -1];
    const q = weights?.quantization;
    expect(weights?.type).toBe('INT8');
    // One scale per output channel, along dimension 0.
    expect(q?.scale.length).toBe(weights?.shape[0]);
    expect(q?.zeroPoint.length).toBe(q?.scale.length);
    expect(q?.quantizedDimension).toBe(0);
    expect(q?.scale.every((s) => s > 0 && Number.isFinite(s))).toBe(true);
  });

  it('keeps weights as views into the file and sizes them by shape', () => {
    const { bytes, model } = load('tflm/mobilenet_v2_quantized_1x3x224x224.tflite');
    const sg = model.subgraphs[0];
    let constants = 0;
    for (const t of sg?.tensors ?? []) {
      const data = model.buffers[t.buffer]?.data;
      if (!data || data.length === 0) continue;
      constants++;
      expect(data.buffer).toBe(bytes.buffer);
      const elementBytes = { INT8: 1, INT32: 4, FLOAT32: 4, INT64: 8, INT16: 2 }[t.type as string];
      const elements = t.shape.reduce((a, b) => a * b, 1);
      expect(data.length, t.name).toBe(elements * (elementBytes ?? NaN));
    }
    expect(constants).toBeGreaterThan(100);
  });

  it('reads the 4 MB mobilenet in a few milliseconds', () => {
    const bytes = new Uint8Array(
      readFileSync(join(dir as string, 'tflm/mobilenet_v2_quantized_1x3x224x224.tflite')),
    );
    readModel(bytes); // warm-up (JIT)
    // Best of up to 20 runs: the machine may be busy, the reader should not be slow.
    const times: number[] = [];
    for (let i = 0; i < 20 && Math.min(...times) >= 20; i++) {
      const t0 = performance.now();
      expect(readModel(bytes).ok).toBe(true);
      times.push(performance.now() - t0);
    }
    expect(Math.min(...times)).toBeLessThan(20);
  });
});

describe('reading without the shared models', () => {
  it('reads a model written by the project itself', async () => {
    const { sampleConvNet } = await import('../../src/core/tflite/samples.ts');
    const { writeModel } = await import('../../src/core/tflite/write.ts');
    const r = readModel(writeModel(sampleConvNet()));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const m = r.value;
    expect(m.subgraphs[0]?.operators.map((op) => opName(m, op.opcodeIndex))).toEqual([
      'CONV_2D',
      'DEPTHWISE_CONV_2D',
      'AVERAGE_POOL_2D',
      'RESHAPE',
      'FULLY_CONNECTED',
      'SOFTMAX',
    ]);
  });
});
