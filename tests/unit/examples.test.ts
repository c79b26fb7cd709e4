import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/core/analysis/analyze.ts';
import { EXAMPLES, buildExample, exampleBytes } from '../../src/core/examples/index.ts';
import type { Model, Tensor } from '../../src/core/tflite/model.ts';
import { opName } from '../../src/core/tflite/ops.ts';
import { readModel } from '../../src/core/tflite/read.ts';

function read(bytes: Uint8Array): Model {
  const result = readModel(bytes);
  if (!result.ok) throw result.error;
  return result.value;
}

const graph = (m: Model) => m.subgraphs[0]!;
const tensor = (m: Model, i: number): Tensor => graph(m).tensors[i]!;
const product = (xs: number[]): number => xs.reduce((a, b) => a * b, 1);

/** MACs from the TFLite definitions: output elements × the work per output. */
function expectedMacs(m: Model): number {
  let macs = 0;
  for (const op of graph(m).operators) {
    const name = opName(m, op.opcodeIndex);
    const out = tensor(m, op.outputs[0]!).shape;
    const filter = op.inputs[1] === undefined ? [] : tensor(m, op.inputs[1]).shape;
    if (name === 'CONV_2D') macs += product(out) * product(filter.slice(1));
    if (name === 'DEPTHWISE_CONV_2D') macs += product(out) * product(filter.slice(1, 3));
    if (name === 'FULLY_CONNECTED') macs += product(out) * (filter[1] ?? 0);
  }
  return macs;
}

describe.each(EXAMPLES.map((e) => [e.id, e] as const))('example %s', (id) => {
  const bytes = exampleBytes(id)!;

  it('is a valid .tflite file that reads back as the model that was built', () => {
    expect(bytes).not.toBeNull();
    expect(read(bytes)).toEqual(buildExample(id));
  });

  it('is the same bytes on every build', () => {
    expect(exampleBytes(id)).toEqual(bytes);
  });

  it('analyses without warnings, with the MACs its layers define', () => {
    const model = read(bytes);
    const analysis = analyzeModel(model, bytes.length);
    expect(analysis.warnings).toEqual([]);
    expect(analysis.layers.flatMap((l) => l.warnings)).toEqual([]);
    expect(analysis.totals.layers).toBe(graph(model).operators.length);
    expect(analysis.totals.macs).toBe(expectedMacs(model));
    expect(analysis.totals.macs).toBeGreaterThan(0);
  });

  it('quantizes biases at input scale × weight scale, per channel', () => {
    const model = read(bytes);
    for (const op of graph(model).operators) {
      const name = opName(model, op.opcodeIndex);
      if (!['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED'].includes(name)) continue;
      const [input, weights, bias] = op.inputs.map((i) => tensor(model, i));
      if (input?.type !== 'INT8') continue;
      const ws = weights!.quantization!.scale;
      const expected = ws.map((s) => Math.fround(input.quantization!.scale[0]! * s));
      expect(bias!.type).toBe('INT32');
      expect(bias!.quantization!.scale).toEqual(expected);
      expect(ws.length).toBe(bias!.shape[0]);
    }
  });
});

describe('example set', () => {
  it('covers an int8 CNN, a float model and a model with unsupported custom ops', () => {
    const analyses = EXAMPLES.map((e) => {
      const bytes = exampleBytes(e.id)!;
      return analyzeModel(read(bytes), bytes.length);
    });
    const ops = (i: number) => analyses[i]!.opSet.map((o) => o.op);
    expect(ops(0)).toEqual(
      expect.arrayContaining([
        'CONV_2D',
        'DEPTHWISE_CONV_2D',
        'AVERAGE_POOL_2D',
        'FULLY_CONNECTED',
        'SOFTMAX',
      ]),
    );
    expect(analyses[0]!.model.inputs[0]!.type).toBe('INT8');
    expect(analyses[1]!.model.inputs[0]!.type).toBe('FLOAT32');
    expect(analyses[2]!.unsupportedOps).toEqual(['CUSTOM:AudioSpectrogram', 'CUSTOM:Mfcc']);
    expect(analyses[0]!.unsupportedOps).toEqual([]);
    expect(analyses[1]!.unsupportedOps).toEqual([]);
  });

  it('answers null for an unknown id', () => {
    expect(buildExample('no-such-model')).toBeNull();
    expect(exampleBytes('no-such-model')).toBeNull();
  });
});
