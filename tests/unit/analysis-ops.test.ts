import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/core/analysis/analyze.ts';
import type { Layer } from '../../src/core/analysis/types.ts';
import { tensorSize } from '../../src/core/analysis/tensors.ts';
import { ModelBuilder } from '../../src/core/tflite/build.ts';
import type { OptionFields, TensorSpec } from '../../src/core/tflite/build.ts';
import { act, ints, oneOp, weights } from './analysis-graphs.ts';

function layer(
  op: string,
  inputs: Array<TensorSpec | null>,
  outputs: TensorSpec[],
  fields: OptionFields = {},
): Layer {
  const l = analyzeModel(oneOp(op, inputs, outputs, fields), 0).layers[0];
  if (!l) throw new Error('no layer');
  return l;
}

const conv = { padding: 'SAME', strideH: 2, strideW: 2 } as const;

describe('MACs by op', () => {
  it('CONV_2D counts output elements x kh x kw x input channels per group', () => {
    // 6 input channels, filter depth 3: two groups.
    const l = layer(
      'CONV_2D',
      [act([1, 9, 9, 6]), weights([8, 3, 3, 3]), weights([8], 'INT32')],
      [act([1, 5, 5, 8])],
      conv,
    );
    expect(l.macs).toBe(1 * 5 * 5 * 8 * (3 * 3 * 3));
    expect(l.filterShape).toEqual([8, 3, 3, 3]);
    expect(l.stride).toEqual([2, 2]);
    expect(l.padding).toBe('SAME');
    expect(l.warnings).toEqual([]);
  });

  it('DEPTHWISE_CONV_2D counts output elements x kh x kw', () => {
    const l = layer(
      'DEPTHWISE_CONV_2D',
      [act([1, 8, 8, 4]), weights([1, 3, 3, 8])],
      [act([1, 6, 6, 8])],
      { padding: 'VALID', strideH: 1, strideW: 1, depthMultiplier: 2, dilationHFactor: 1 },
    );
    expect(l.macs).toBe(6 * 6 * 8 * (3 * 3));
    expect(l.warnings).toEqual([]);
  });

  it('dilation widens the window in the shape check', () => {
    // 3x3 dilated by 2 covers 5x5: 10 - 5 + 1 = 6.
    const fields = {
      padding: 'VALID',
      strideH: 1,
      strideW: 1,
      dilationHFactor: 2,
      dilationWFactor: 2,
    };
    const ok = layer(
      'CONV_2D',
      [act([1, 10, 10, 1]), weights([1, 3, 3, 1])],
      [act([1, 6, 6, 1])],
      fields,
    );
    const bad = layer(
      'CONV_2D',
      [act([1, 10, 10, 1]), weights([1, 3, 3, 1])],
      [act([1, 8, 8, 1])],
      fields,
    );
    expect(ok.dilation).toEqual([2, 2]);
    expect(ok.warnings).toEqual([]);
    expect(bad.warnings.join()).toMatch(/inconsistent/);
  });

  it('FULLY_CONNECTED counts output elements x depth', () => {
    const l = layer('FULLY_CONNECTED', [act([2, 10]), weights([5, 10]), null], [act([2, 5])]);
    expect(l.macs).toBe(2 * 5 * 10);
    expect(l.inputShapes).toEqual([
      [2, 10],
      [5, 10],
    ]);
  });

  it('FULLY_CONNECTED flattens a 4-D input into rows of the filter depth', () => {
    const l = layer('FULLY_CONNECTED', [act([1, 2, 2, 8]), weights([3, 32])], [act([1, 3])]);
    expect(l.macs).toBe(3 * 32);
    expect(l.warnings).toEqual([]);
  });

  it('TRANSPOSE_CONV counts input elements x kh x kw x output channels', () => {
    const l = layer(
      'TRANSPOSE_CONV',
      [ints([1, 8, 8, 2]), weights([2, 3, 3, 3]), act([1, 4, 4, 3])],
      [act([1, 8, 8, 2])],
      conv,
    );
    expect(l.macs).toBe(4 * 4 * 3 * (3 * 3) * 2);
    expect(l.warnings).toEqual([]);
  });

  it('BATCH_MATMUL counts batch x M x N x K, honouring adjY', () => {
    const plain = layer('BATCH_MATMUL', [act([2, 3, 4]), act([2, 4, 5])], [act([2, 3, 5])]);
    const adj = layer('BATCH_MATMUL', [act([2, 3, 4]), act([1, 5, 4])], [act([2, 3, 5])], {
      adjY: true,
    });
    expect(plain.macs).toBe(2 * 3 * 5 * 4);
    expect(adj.macs).toBe(2 * 3 * 5 * 4);
    expect([...plain.warnings, ...adj.warnings]).toEqual([]);
  });

  it('SVDF counts the feature and the time matmuls', () => {
    const l = layer(
      'SVDF',
      [
        act([2, 10]),
        weights([8, 10]),
        weights([8, 4], 'INT16'),
        weights([4], 'INT32'),
        { type: 'INT16', shape: [2, 32], isVariable: true },
      ],
      [act([2, 4])],
      { rank: 2 },
    );
    expect(l.macs).toBe(2 * 8 * 10 + 2 * 8 * 4);
    expect(l.warnings).toEqual([]);
  });

  /** 24 LSTM inputs; `omit` lists positions left out (-1). */
  function lstm(omit: number[], nOutput: number, projection: boolean): Layer {
    const [steps, nInput, nCell] = [5, 3, 4];
    const inputs: Array<TensorSpec | null> = [act([1, steps, nInput])];
    for (let i = 1; i < 24; i++) {
      let spec: TensorSpec | null = null;
      if (i <= 4) spec = weights([nCell, nInput]);
      else if (i <= 8) spec = weights([nCell, nOutput]);
      else if (i <= 15) spec = weights([nCell], 'INT32');
      else if (i === 16 && projection) spec = weights([nOutput, nCell]);
      else if (i === 18) spec = { type: 'INT8', shape: [1, nOutput], isVariable: true };
      else if (i === 19) spec = { type: 'INT16', shape: [1, nCell], isVariable: true };
      inputs.push(omit.includes(i) ? null : spec);
    }
    return layer('UNIDIRECTIONAL_SEQUENCE_LSTM', inputs, [act([1, steps, nOutput])]);
  }

  it('LSTM counts 4 gates x (n_input + n_output) x n_cell per step', () => {
    // Peepholes 9-11 omitted, no projection.
    const l = lstm([9, 10, 11], 4, false);
    expect(l.macs).toBe(5 * 4 * 4 * (3 + 4));
    expect(l.warnings).toEqual([]);
  });

  it('LSTM with CIFG, peepholes and projection adds their terms', () => {
    // No input gate (1, 5, 9, 12 omitted): 3 gates, 2 peepholes; projection to 2 outputs.
    const l = lstm([1, 5, 9, 12], 2, true);
    expect(l.macs).toBe(5 * (3 * 4 * (3 + 2) + 2 * 4 + 2 * 4));
  });

  it('elementwise, pooling and data movement count 0 MACs', () => {
    const add = layer('ADD', [act([1, 4, 4, 3]), act([3])], [act([1, 4, 4, 3])], {
      fusedActivationFunction: 'RELU',
    });
    const pool = layer('MAX_POOL_2D', [act([1, 8, 8, 3])], [act([1, 4, 4, 3])], {
      padding: 'VALID',
      strideH: 2,
      strideW: 2,
      filterHeight: 2,
      filterWidth: 2,
    });
    expect(add.macs).toBe(0);
    expect(add.activation).toBe('RELU');
    expect(pool.macs).toBe(0);
    expect(pool.filterShape).toEqual([2, 2]);
    expect([...add.warnings, ...pool.warnings]).toEqual([]);
  });
});

/** Each case builds one op whose output shape is given; `good` is consistent, `bad` not. */
const SHAPE_CASES: Array<{
  op: string;
  inputs: Array<TensorSpec | null>;
  good: number[][];
  bad: number[][];
  fields?: OptionFields;
}> = [
  {
    op: 'CONV_2D',
    inputs: [act([1, 9, 9, 6]), weights([8, 3, 3, 6])],
    good: [[1, 5, 5, 8]],
    bad: [[1, 4, 4, 8]],
    fields: conv,
  },
  {
    op: 'DEPTHWISE_CONV_2D',
    inputs: [act([1, 9, 9, 4]), weights([1, 3, 3, 4])],
    good: [[1, 7, 7, 4]],
    bad: [[1, 7, 7, 8]],
    fields: { padding: 'VALID', strideH: 1, strideW: 1 },
  },
  {
    op: 'AVERAGE_POOL_2D',
    inputs: [act([1, 7, 7, 2])],
    good: [[1, 3, 3, 2]],
    bad: [[1, 4, 4, 2]],
    fields: { padding: 'VALID', strideH: 2, strideW: 2, filterHeight: 2, filterWidth: 2 },
  },
  { op: 'FULLY_CONNECTED', inputs: [act([4, 6]), weights([3, 6])], good: [[4, 3]], bad: [[4, 4]] },
  { op: 'SUB', inputs: [act([2, 1, 3]), act([4, 1])], good: [[2, 4, 3]], bad: [[2, 4, 4]] },
  { op: 'MINIMUM', inputs: [act([2, 3]), act([2, 3])], good: [[2, 3]], bad: [[3, 2]] },
  { op: 'SOFTMAX', inputs: [act([1, 10])], good: [[1, 10]], bad: [[1, 9]] },
  { op: 'HARD_SWISH', inputs: [act([1, 4])], good: [[1, 4]], bad: [[4]] },
  { op: 'RESHAPE', inputs: [act([1, 2, 3]), ints([3, 2])], good: [[3, 2]], bad: [[3, 3]] },
  { op: 'SQUEEZE', inputs: [act([1, 3, 1, 2])], good: [[3, 2]], bad: [[3, 1, 2]] },
  {
    op: 'SQUEEZE',
    inputs: [act([1, 3, 1, 2])],
    good: [[3, 1, 2]],
    bad: [[3, 2]],
    fields: { squeezeDims: [0] },
  },
  { op: 'EXPAND_DIMS', inputs: [act([3, 2]), ints([-1])], good: [[3, 2, 1]], bad: [[1, 3, 2]] },
  { op: 'SHAPE', inputs: [act([1, 2, 3])], good: [[3]], bad: [[4]] },
  {
    op: 'CONCATENATION',
    inputs: [act([1, 2, 3]), act([1, 4, 3])],
    good: [[1, 6, 3]],
    bad: [[1, 6, 4]],
    fields: { axis: -2 },
  },
  {
    op: 'PACK',
    inputs: [act([2, 3]), act([2, 3])],
    good: [[2, 2, 3]],
    bad: [[2, 3, 2]],
    fields: { valuesCount: 2, axis: 1 },
  },
  {
    op: 'PAD',
    inputs: [act([1, 4, 4, 2]), ints([0, 0, 1, 2, 3, 0, 0, 0], [4, 2])],
    good: [[1, 7, 7, 2]],
    bad: [[1, 6, 6, 2]],
  },
  {
    op: 'PADV2',
    inputs: [act([2, 3]), ints([1, 1, 0, 0], [2, 2]), act([])],
    good: [[4, 3]],
    bad: [[2, 5]],
  },
  {
    op: 'MEAN',
    inputs: [act([1, 7, 7, 8]), ints([1, 2])],
    good: [[1, 8]],
    bad: [[1, 1, 1, 8]],
  },
  {
    op: 'MEAN',
    inputs: [act([1, 7, 7, 8]), ints([1, 2])],
    good: [[1, 1, 1, 8]],
    bad: [[1, 8]],
    fields: { keepDims: true },
  },
  {
    op: 'TRANSPOSE',
    inputs: [act([1, 2, 3, 4]), ints([0, 3, 1, 2])],
    good: [[1, 4, 2, 3]],
    bad: [[1, 2, 3, 4]],
  },
  {
    // Rows 1..5 step 2 (3 rows), all columns reversed, batch axis shrunk.
    op: 'STRIDED_SLICE',
    inputs: [act([1, 6, 4]), ints([0, 1, 0]), ints([1, 6, 0]), ints([1, 2, -1])],
    good: [[3, 4]],
    bad: [[1, 3, 4]],
    fields: { shrinkAxisMask: 1, endMask: 4, beginMask: 4 },
  },
  {
    op: 'STRIDED_SLICE',
    inputs: [act([10]), ints([-3]), ints([2]), ints([1])],
    good: [[2]],
    bad: [[3]],
    fields: { offset: true },
  },
  {
    op: 'SPLIT',
    inputs: [ints([1]), act([2, 6])],
    good: [
      [2, 3],
      [2, 3],
    ],
    bad: [
      [2, 3],
      [2, 2],
    ],
    fields: { numSplits: 2 },
  },
  {
    op: 'TRANSPOSE_CONV',
    inputs: [ints([1, 7, 7, 2]), weights([2, 3, 3, 3]), act([1, 3, 3, 3])],
    good: [[1, 7, 7, 2]],
    bad: [[1, 9, 9, 2]],
    fields: { padding: 'VALID', strideH: 2, strideW: 2 },
  },
  {
    op: 'BATCH_MATMUL',
    inputs: [act([3, 4]), act([4, 5])],
    good: [[3, 5]],
    bad: [[3, 4]],
  },
];

describe('shape checks', () => {
  for (const c of SHAPE_CASES) {
    const name = `${c.op} ${JSON.stringify(c.fields ?? {})}`;
    const run = (outs: number[][]): Layer =>
      layer(
        c.op,
        c.inputs,
        outs.map((s) => act(s)),
        c.fields,
      );
    it(`${name}: accepts a consistent output and flags an inconsistent one`, () => {
      expect(run(c.good).warnings).toEqual([]);
      expect(run(c.bad).warnings.length).toBeGreaterThan(0);
      expect(run(c.good).supported).toBe(true);
    });
  }

  it('UNPACK: outputs drop the axis and match its size', () => {
    const ok = layer('UNPACK', [act([2, 3])], [act([2]), act([2]), act([2])], { num: 3, axis: 1 });
    const bad = layer('UNPACK', [act([2, 3])], [act([2]), act([2])], { num: 2, axis: 1 });
    expect(ok.warnings).toEqual([]);
    expect(bad.warnings.length).toBeGreaterThan(0);
  });

  it('reports a missing input instead of failing', () => {
    const l = layer('CONV_2D', [act([1, 4, 4, 1])], [act([1, 4, 4, 1])], conv);
    expect(l.warnings.join()).toMatch(/input 1 is missing/);
    expect(l.macs).toBe(0);
  });

  it('works without builtin options (schema defaults)', () => {
    const b = new ModelBuilder();
    const x = b.addInput(act([1, 4, 4, 1]));
    const w = b.addTensor(weights([1, 1, 1, 1]));
    const y = b.addOutput(act([1, 4, 4, 1]));
    b.addOperator('CONV_2D', [x, w], [y], {}, { optionsType: null });
    const l = analyzeModel(b.build(), 0).layers[0] as Layer;
    expect(l.macs).toBe(16);
    expect(l.stride).toEqual([1, 1]);
    expect(l.warnings.join()).toMatch(/padding option missing/);
  });
});

describe('the model as a whole', () => {
  it('names unsupported ops, flags them and goes on with the next layers', () => {
    const b = new ModelBuilder();
    const x = b.addInput(act([1, 8], 'FLOAT32'));
    const y = b.addTensor(act([1, 8], 'FLOAT32'));
    b.addOperator('CUSTOM:MyOp', [x], [y]);
    const z = b.addTensor(act([1, 8], 'FLOAT32'));
    b.addOperator('DIV', [y, x], [z]);
    const w = b.addTensor(weights([4, 8], 'FLOAT32'));
    const out = b.addOutput(act([1, 4], 'FLOAT32'));
    b.addOperator('FULLY_CONNECTED', [z, w], [out]);
    const a = analyzeModel(b.build(), 123);
    expect(a.layers.map((l) => [l.op, l.supported])).toEqual([
      ['CUSTOM:MyOp', false],
      ['DIV', false],
      ['FULLY_CONNECTED', true],
    ]);
    expect(a.unsupportedOps).toEqual(['CUSTOM:MyOp', 'DIV']);
    expect(a.layers[2]?.macs).toBe(32);
    expect(a.totals.macs).toBe(32);
    expect(a.model.fileBytes).toBe(123);
  });

  it('counts parameters per layer and once per shared buffer in the totals', () => {
    const b = new ModelBuilder();
    const x = b.addInput(act([1, 8]));
    const w = b.addTensor(weights([8, 8]));
    const bias = b.addTensor(weights([8], 'INT32'));
    const h = b.addTensor(act([1, 8]));
    b.addOperator('FULLY_CONNECTED', [x, w, bias], [h]);
    const out = b.addOutput(act([1, 8]));
    b.addOperator('FULLY_CONNECTED', [h, w, bias], [out]);
    const a = analyzeModel(b.build(), 0);
    expect(a.layers.map((l) => l.paramBytes)).toEqual([64 + 32, 64 + 32]);
    expect(a.totals.paramBytes).toBe(64 + 32);
    expect(a.layers.map((l) => l.outputBytes)).toEqual([8, 8]);
  });

  it('builds the op set with counts and lists declared operator codes', () => {
    const b = new ModelBuilder();
    const x = b.addInput(act([4]));
    const y = b.addTensor(act([4]));
    b.addOperator('RELU', [x], [y]);
    const z = b.addOutput(act([4]));
    b.addOperator('RELU', [y], [z]);
    const m = b.build();
    // An operator code no operator uses still belongs to the model's declared ops.
    m.operatorCodes.push({
      builtinCode: 6,
      deprecatedBuiltinCode: 6,
      customCode: null,
      version: 1,
    });
    const a = analyzeModel(m, 0);
    expect(a.opSet).toEqual([{ op: 'RELU', count: 2, supported: true }]);
    expect(a.model.ops).toEqual(['DEQUANTIZE', 'RELU']);
    expect(a.warnings.join()).toMatch(/DEQUANTIZE/);
  });
});

describe('tensor sizes', () => {
  const t = (type: 'INT4' | 'STRING' | 'FLOAT16' | 'INT8', shape: number[]) => ({
    name: 'x',
    shape,
    shapeSignature: null,
    type,
    buffer: 0,
    isVariable: false,
    quantization: null,
  });
  it('packs INT4 two per byte, rounding up', () => {
    expect(tensorSize(t('INT4', [3, 3])).bytes).toBe(5);
    expect(tensorSize(t('FLOAT16', [3, 3])).bytes).toBe(18);
  });
  it('sizes a scalar as one element', () => {
    expect(tensorSize(t('INT8', [])).bytes).toBe(1);
  });
  it('counts STRING as 0 bytes with a warning', () => {
    const s = tensorSize(t('STRING', [4]));
    expect(s.bytes).toBe(0);
    expect(s.warning).toMatch(/STRING/);
  });
  it('surfaces size warnings on the layer', () => {
    const l = layer(
      'RESHAPE',
      [{ type: 'STRING', shape: [4] }],
      [{ type: 'STRING', shape: [2, 2] }],
    );
    expect(l.warnings.join()).toMatch(/STRING/);
  });
});
