import { describe, expect, it } from 'vitest';
import { prepareReferenceModel } from '../../src/core/reference/normalize.ts';
import { ModelBuilder } from '../../src/core/tflite/build.ts';
import { opName } from '../../src/core/tflite/ops.ts';
import { readModel } from '../../src/core/tflite/read.ts';
import { writeModel } from '../../src/core/tflite/write.ts';
import type { Model } from '../../src/core/tflite/model.ts';
import { exposeIntermediates, extractLayer } from '../../src/core/validate/layer-model.ts';

/** input -> FULLY_CONNECTED(weights, bias) -> RELU -> output */
function twoLayers(): Model {
  const b = new ModelBuilder();
  const q = (scale: number, zeroPoint: number) => ({ scale, zeroPoint });
  const input = b.addInput({ type: 'INT8', shape: [1, 4], quant: q(0.1, 3) });
  const weights = b.addTensor({
    type: 'INT8',
    shape: [2, 4],
    quant: q(0.05, 0),
    data: [1, -2, 3, -4, 5, 6, 7, 8],
  });
  const bias = b.addTensor({ type: 'INT32', shape: [2], quant: q(0.005, 0), data: [10, -10] });
  const mid = b.addTensor({ type: 'INT8', shape: [1, 2], quant: q(0.2, -5) });
  const out = b.addOutput({ type: 'INT8', shape: [1, 2], quant: q(0.2, -5) });
  b.addOperator('FULLY_CONNECTED', [input, weights, bias], [mid]);
  b.addOperator('RELU', [mid], [out]);
  return b.build();
}

const readOk = (bytes: Uint8Array): Model => {
  const r = readModel(bytes);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const reread = (m: Model): Model => readOk(writeModel(m));

describe('extractLayer', () => {
  it('cuts one operator out with its constants, as a valid model', () => {
    const model = twoLayers();
    const fc = extractLayer(model, 0);
    const m = reread(fc.model);
    const sg = m.subgraphs[0];
    expect(opName(m, sg?.operators[0]?.opcodeIndex ?? -1)).toBe('FULLY_CONNECTED');
    expect(sg?.inputs).toHaveLength(1);
    expect(sg?.tensors).toHaveLength(4);
    expect([...(m.buffers[sg?.tensors[1]?.buffer ?? 0]?.data ?? [])]).toEqual([
      1, 254, 3, 252, 5, 6, 7, 8,
    ]);
    expect(fc.sourceInputs).toEqual([0]);
    expect(fc.sourceOutputs).toEqual([3]);
    const relu = extractLayer(model, 1);
    expect(relu.sourceInputs).toEqual([3]);
    expect(reread(relu.model).subgraphs[0]?.tensors[0]?.quantization?.zeroPoint).toEqual([-5]);
  });

  it('refuses an operator index that does not exist', () => {
    expect(() => extractLayer(twoLayers(), 2)).toThrow(/no operator/);
  });
});

describe('exposeIntermediates', () => {
  it('appends every operator output after the model outputs, leaving the original intact', () => {
    const model = twoLayers();
    const { model: exposed, outputs } = exposeIntermediates(model);
    expect(outputs).toEqual([4, 3]);
    expect(exposed.subgraphs[0]?.outputs).toEqual([4, 3]);
    expect(model.subgraphs[0]?.outputs).toEqual([4]);
  });
});

describe('prepareReferenceModel', () => {
  it('turns constant filters into trailing inputs fed with their bytes', () => {
    const bytes = writeModel(twoLayers());
    const ref = prepareReferenceModel(bytes);
    const m = readOk(ref.bytes);
    expect(m.subgraphs[0]?.inputs).toEqual([0, 1]);
    expect(m.buffers[m.subgraphs[0]?.tensors[1]?.buffer ?? 0]?.data.byteLength).toBe(0);
    expect(ref.extraInputs).toHaveLength(1);
    expect([...(ref.extraInputs[0] ?? [])]).toEqual([1, -2, 3, -4, 5, 6, 7, 8]);
    expect(ref.outputs).toEqual([4]);
  });

  it('repairs a quantized dimension outside the tensor rank (as in person_detect)', () => {
    const model = twoLayers();
    const bias = model.subgraphs[0]?.tensors[2];
    if (!bias?.quantization) throw new Error('fixture');
    bias.quantization.quantizedDimension = 3;
    const ref = prepareReferenceModel(writeModel(model));
    expect(readOk(ref.bytes).subgraphs[0]?.tensors[2]?.quantization?.quantizedDimension).toBe(0);
  });

  it('passes unreadable bytes through untouched', () => {
    const junk = Uint8Array.of(1, 2, 3);
    expect(prepareReferenceModel(junk)).toEqual({ bytes: junk, outputs: [], extraInputs: [] });
  });
});
