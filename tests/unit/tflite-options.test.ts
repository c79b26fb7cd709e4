// Builtin options: schema facts (union tags, field defaults) and a round trip
// of every table of both unions with every field set away from its default.
import { describe, expect, it } from 'vitest';
import {
  allOptionTables,
  defaultOptions,
  optionsTypeForOp,
  tableByTag,
  tableByType,
  type FieldSpec,
  type FieldValue,
} from '../../src/core/tflite/options.ts';
import { ModelBuilder, completeOptions } from '../../src/core/tflite/build.ts';
import { readModel } from '../../src/core/tflite/read.ts';
import { writeModel } from '../../src/core/tflite/write.ts';
import { firstDifference } from '../../src/core/tflite/equal.ts';
import type { BuiltinOptions, Model } from '../../src/core/tflite/model.ts';

/** A value of the field's type that differs from its default. */
function nonDefault(f: FieldSpec): FieldValue {
  // Subgraph references are validated: point them at the model's second subgraph.
  if (/subgraph/i.test(f.name)) return f.kind.startsWith('[') ? [1, 0] : 1;
  switch (f.kind) {
    case 'bool':
      return !f.def;
    case 'byte':
      return -7;
    case 'ubyte':
      return 200;
    case 'short':
      return -300;
    case 'ushort':
      return 60000;
    case 'int':
      return f.def === 1 ? -123456 : 7 + f.slot;
    case 'uint':
      return 3_000_000_000;
    case 'long':
      // Beyond 2^53 a 64-bit value travels as a decimal string, exactly.
      return f.slot % 2 === 0 ? `${-(2n ** 62n) - BigInt(f.slot)}` : -(2 ** 40) - f.slot;
    case 'ulong':
      return 2 ** 45 + f.slot;
    case 'float':
      return Math.fround(1.5 + f.slot / 3);
    case 'string':
      return `value of ${f.name}`;
    case '[int]':
      return [1, -2, 2147483647];
    case '[uint]':
      return [0, 1, 4294967295];
    case '[ubyte]':
      return [0, 255, 17];
    case '[bool]':
      return [1, 0, 1];
    case '[long]':
      return [2 ** 40, -5, 0];
    case '[float]':
      return [Math.fround(0.1), -2.5];
    case 'enum': {
      const names = f.enumDef?.names ?? [];
      return names.find((n) => n !== f.def) ?? (f.def as string);
    }
  }
}

/** One operator per options table, so the file holds every table once. */
function modelWithOptions(all: BuiltinOptions[]): Model {
  const b = new ModelBuilder();
  let prev = b.addInput({ name: 'x', type: 'FLOAT32', shape: [1] });
  for (const options of all) {
    const next = b.addTensor({ type: 'FLOAT32', shape: [1] });
    const spec = tableByType(options.type);
    // The op does not matter to the codec; options go in the union they belong to.
    b.addOperator('ADD', [prev], [next], options.fields, { optionsType: options.type });
    expect(spec).toBeDefined();
    prev = next;
  }
  b.setOutputs(prev);
  const model = b.build();
  model.subgraphs.push({ name: 'second', tensors: [], inputs: [], outputs: [], operators: [] });
  return model;
}

describe('options schema facts', () => {
  it('numbers union tags as in schema.fbs', () => {
    // Spot checks against tags fixed by the schema (and used by every .tflite).
    const expected: Array<[1 | 2, number, string]> = [
      [1, 1, 'Conv2DOptions'],
      [1, 2, 'DepthwiseConv2DOptions'],
      [1, 5, 'Pool2DOptions'],
      [1, 8, 'FullyConnectedOptions'],
      [1, 9, 'SoftmaxOptions'],
      [1, 11, 'AddOptions'],
      [1, 17, 'ReshapeOptions'],
      [1, 27, 'ReducerOptions'],
      [1, 32, 'StridedSliceOptions'],
      [1, 49, 'TransposeConvOptions'],
      [1, 71, 'UnidirectionalSequenceLSTMOptions'],
      [1, 89, 'QuantizeOptions'],
      [1, 101, 'BatchMatMulOptions'],
      [1, 126, 'RightShiftOptions'],
      [2, 1, 'StablehloConcatenateOptions'],
      [2, 21, 'StableHLOCompositeOptions'],
      [2, 23, 'StablehloCaseOptions'],
    ];
    for (const [union, tag, type] of expected) expect(tableByTag(union, tag)?.type).toBe(type);
    expect(tableByTag(1, 127)).toBeUndefined();
  });

  it('fills schema defaults, including the non-zero ones', () => {
    expect(defaultOptions('Conv2DOptions').fields).toEqual({
      padding: 'SAME',
      strideW: 0,
      strideH: 0,
      fusedActivationFunction: 'NONE',
      dilationWFactor: 1,
      dilationHFactor: 1,
      quantizedBiasType: 'FLOAT32',
    });
    expect(defaultOptions('AddOptions').fields.potScaleInt16).toBe(true);
    expect(defaultOptions('UniqueOptions').fields.idxOutType).toBe('INT32');
    expect(defaultOptions('BidirectionalSequenceLSTMOptions').fields.timeMajor).toBe(true);
    // Deprecated slots are skipped but keep their field ids.
    expect(Object.keys(defaultOptions('ResizeBilinearOptions').fields)).toEqual([
      'alignCorners',
      'halfPixelCenters',
    ]);
    expect(
      tableByType('ResizeBilinearOptions')?.fields.find((f) => f.name === 'alignCorners')?.slot,
    ).toBe(2);
  });

  it('covers the options of the ops the project needs', () => {
    const ops = [
      'CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'AVERAGE_POOL_2D', 'MAX_POOL_2D', 'ADD',
      'SUB', 'MUL', 'SOFTMAX', 'RESHAPE', 'SQUEEZE', 'EXPAND_DIMS', 'QUANTIZE', 'DEQUANTIZE',
      'LEAKY_RELU', 'HARD_SWISH', 'CONCATENATION', 'PAD', 'PADV2', 'MEAN', 'STRIDED_SLICE',
      'TRANSPOSE', 'TRANSPOSE_CONV', 'SVDF', 'UNIDIRECTIONAL_SEQUENCE_LSTM', 'SHAPE', 'PACK',
      'UNPACK', 'SPLIT', 'MAXIMUM', 'MINIMUM', 'BATCH_MATMUL', 'CAST', 'DIV',
    ]; // prettier-ignore
    for (const op of ops) {
      const type = optionsTypeForOp(op);
      expect(type, op).not.toBeNull();
      expect(tableByType(type as string), op).toBeDefined();
    }
    expect(optionsTypeForOp('MAX_POOL_2D')).toBe('Pool2DOptions');
    expect(optionsTypeForOp('MEAN')).toBe('ReducerOptions');
    expect(optionsTypeForOp('LOGISTIC')).toBeNull();
  });
});

describe('options codec', () => {
  const tables = allOptionTables();

  it('round-trips every table of both unions with non-default fields', () => {
    expect(tables.length).toBe(126 + 23);
    const all = tables.map((t) => {
      const fields: BuiltinOptions['fields'] = {};
      for (const f of t.fields) if (!f.deprecated) fields[f.name] = nonDefault(f);
      return completeOptions(t.type, fields);
    });
    const model = modelWithOptions(all);
    const r = readModel(writeModel(model));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(firstDifference(model, r.value)).toBeNull();
    // And the values did leave their defaults (the test is not vacuous).
    const conv = r.value.subgraphs[0]?.operators[0]?.builtinOptions;
    expect(conv?.type).toBe('Conv2DOptions');
    expect(conv?.fields.dilationWFactor).toBe(-123456);
    expect(conv?.fields.padding).toBe('VALID');
  });

  it('round-trips every table at its defaults', () => {
    const model = modelWithOptions(tables.map((t) => defaultOptions(t.type)));
    const r = readModel(writeModel(model));
    expect(r.ok && firstDifference(model, r.value)).toBeNull();
  });

  it('keeps an unknown union tag and writes it back', () => {
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', type: 'FLOAT32', shape: [1] });
    const y = b.addOutput({ name: 'y', type: 'FLOAT32', shape: [1] });
    b.addOperator('ADD', [x], [y]);
    const model = b.build();
    model.subgraphs[0]!.operators[0]!.builtinOptions = { type: 'Unknown#200', fields: {} };
    const r = readModel(writeModel(model));
    expect(r.ok && r.value.subgraphs[0]?.operators[0]?.builtinOptions).toEqual({
      type: 'Unknown#200',
      fields: {},
    });
  });

  it('refuses to write fields that do not exist or have the wrong type', () => {
    const model = modelWithOptions([completeOptions('Conv2DOptions', { strideW: 2 })]);
    const bad = structuredClone(model);
    bad.subgraphs[0]!.operators[0]!.builtinOptions!.fields.strideX = 1;
    expect(() => writeModel(bad)).toThrow(/Conv2DOptions has no field 'strideX'/);
    const badEnum = structuredClone(model);
    badEnum.subgraphs[0]!.operators[0]!.builtinOptions!.fields.padding = 'FULL';
    expect(() => writeModel(badEnum)).toThrow(/'FULL' is not one of SAME, VALID/);
    const badUnion = structuredClone(model);
    badUnion.subgraphs[0]!.operators[0]!.builtinOptions2 = defaultOptions('Conv2DOptions');
    expect(() => writeModel(badUnion)).toThrow(/not builtinOptions2/);
    expect(() => completeOptions('SoftmaxOptions', { alpha: 1 })).toThrow(/no field 'alpha'/);
  });
});
