import { describe, expect, it } from 'vitest';
import { ModelBuilder, encodeValues } from '../../src/core/tflite/build.ts';
import { readModel } from '../../src/core/tflite/read.ts';
import { writeModel } from '../../src/core/tflite/write.ts';
import { firstDifference } from '../../src/core/tflite/equal.ts';

const u16 = (b: Uint8Array) => [...new Uint16Array(b.buffer, b.byteOffset, b.length / 2)];

describe('ModelBuilder', () => {
  it('encodes numbers as little-endian elements of the tensor type', () => {
    expect([...encodeValues('INT16', [1, -2])]).toEqual([1, 0, 0xfe, 0xff]);
    expect([...encodeValues('INT64', [-1])]).toEqual(Array(8).fill(0xff));
    expect([...encodeValues('FLOAT32', [1])]).toEqual([0, 0, 0x80, 0x3f]);
    // IEEE half: 1, -2, max, smallest subnormal, 0, inf, 65520 (rounds to inf), NaN.
    expect(u16(encodeValues('FLOAT16', [1, -2, 65504, 2 ** -24, 0, Infinity, 65520, NaN]))).toEqual(
      [0x3c00, 0xc000, 0x7bff, 0x0001, 0, 0x7c00, 0x7c00, 0x7e00],
    );
    expect(() => encodeValues('STRING', [1])).toThrow(/cannot encode/);
  });

  it('builds models equal to what reading their file gives', () => {
    const b = new ModelBuilder();
    const x = b.addInput({ type: 'INT8', shape: [1, 4], quant: { scale: 0.1, zeroPoint: 3 } });
    const w = b.addTensor({
      type: 'INT8',
      shape: [2, 4],
      data: new Int8Array(8).fill(-3),
      quant: { scale: [0.3, 0.7], zeroPoint: [0, 0] },
    });
    const y = b.addOutput({
      type: 'INT8',
      shape: [1, 2],
      quant: { scale: 1 / 3, zeroPoint: -128 },
    });
    b.addOperator('FULLY_CONNECTED', [x, w, -1], [y], {
      fusedActivationFunction: 'RELU',
      keepNumDims: undefined,
    });
    const m = b.build();
    const q = m.subgraphs[0]?.tensors[1]?.quantization;
    expect(q?.scale).toEqual([Math.fround(0.3), Math.fround(0.7)]);
    expect(m.subgraphs[0]?.operators[0]?.builtinOptions?.fields.keepNumDims).toBe(false);
    const r = readModel(writeModel(m));
    expect(r.ok && firstDifference(m, r.value)).toBeNull();
  });

  it('shares operator codes between operators of the same op and version', () => {
    const b = new ModelBuilder();
    const x = b.addInput({ type: 'FLOAT32', shape: [1] });
    const t1 = b.addTensor({ type: 'FLOAT32', shape: [1] });
    const t2 = b.addTensor({ type: 'FLOAT32', shape: [1] });
    const t3 = b.addOutput({ type: 'FLOAT32', shape: [1] });
    b.addOperator('RELU', [x], [t1]);
    b.addOperator('RELU', [t1], [t2]);
    b.addOperator('RELU', [t2], [t3], {}, { version: 2 });
    const m = b.build();
    expect(m.operatorCodes.map((c) => c.version)).toEqual([1, 2]);
    expect(m.subgraphs[0]?.operators.map((o) => o.opcodeIndex)).toEqual([0, 0, 1]);
  });

  it('rejects unknown ops, unknown fields and options on option-less ops', () => {
    const b = new ModelBuilder();
    expect(() => b.addOperator('CONV_9D', [], [])).toThrow(/unknown builtin operator 'CONV_9D'/);
    expect(() => b.addOperator('CONV_2D', [], [], { stride: 2 })).toThrow(/no field 'stride'/);
    expect(() => b.addOperator('LOGISTIC', [], [], { alpha: 1 })).toThrow(/no builtin options/);
  });

  it('returns independent copies from build()', () => {
    const b = new ModelBuilder();
    b.addInput({ type: 'FLOAT32', shape: [1] });
    const first = b.build();
    b.addTensor({ type: 'FLOAT32', shape: [2] });
    expect(first.subgraphs[0]?.tensors.length).toBe(1);
    expect(b.build().subgraphs[0]?.tensors.length).toBe(2);
  });
});
