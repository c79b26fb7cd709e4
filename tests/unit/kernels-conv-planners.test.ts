// The conv / fc / pool planners on their own: the param words they emit (the
// contract with firmware/runtime/kernels/td_conv_params.h) and the models
// they refuse, with a reason a user can act on.
import { describe, expect, it } from 'vitest';

import { constantData } from '../../src/core/analysis/tensors.ts';
import {
  isUnsupported,
  type KernelPlan,
  type OpContext,
} from '../../src/core/package/kernel-plan.ts';
import { convKernels } from '../../src/core/package/kernels/conv/index.ts';
import { ModelBuilder } from '../../src/core/tflite/build.ts';
import type { Model } from '../../src/core/tflite/model.ts';
import { opName } from '../../src/core/tflite/ops.ts';

function plan(model: Model): KernelPlan | string {
  const sg = model.subgraphs[0];
  const op = sg?.operators[0];
  if (!sg || !op) throw new Error('no op');
  const name = opName(model, op.opcodeIndex);
  const ctx: OpContext = {
    model,
    subgraph: sg,
    index: 0,
    op,
    opName: name,
    inputs: op.inputs.map((t) => (t >= 0 ? (sg.tensors[t] ?? null) : null)),
    outputs: op.outputs.flatMap((t) => sg.tensors[t] ?? []),
    constData: (t) => {
      const tensor = sg.tensors[t];
      return tensor ? constantData(model, tensor) : null;
    },
  };
  const planner = convKernels[name];
  if (!planner) throw new Error(`no planner for ${name}`);
  const r = planner(ctx);
  return isUnsupported(r) ? r.reason : r;
}

interface ConvSpec {
  input?: number[];
  inType?: 'INT8' | 'INT16' | 'FLOAT32';
  wType?: 'INT8' | 'FLOAT32';
  out?: number[];
  outQ?: { scale: number; zeroPoint: number };
  inQ?: { scale: number; zeroPoint: number };
  wZp?: number;
  fields?: Record<string, string | number>;
  biasType?: 'INT32' | 'INT64' | 'FLOAT32' | null;
}

function convModel(s: ConvSpec = {}): Model {
  const b = new ModelBuilder();
  const inType = s.inType ?? 'INT8';
  const q = inType !== 'FLOAT32';
  const x = b.addInput({
    type: inType,
    shape: s.input ?? [1, 6, 6, 2],
    quant: q ? (s.inQ ?? { scale: 0.5, zeroPoint: 3 }) : null,
  });
  const wType = s.wType ?? (q ? 'INT8' : 'FLOAT32');
  const w = b.addTensor({
    type: wType,
    shape: [2, 3, 3, 2],
    quant:
      wType === 'INT8'
        ? { scale: [0.25, 0.125], zeroPoint: [s.wZp ?? 0, s.wZp ?? 0], quantizedDimension: 0 }
        : null,
    data: Array.from({ length: 36 }, () => 1),
  });
  const biasType =
    s.biasType === undefined
      ? q
        ? inType === 'INT16'
          ? 'INT64'
          : 'INT32'
        : 'FLOAT32'
      : s.biasType;
  const bias = biasType ? b.addTensor({ type: biasType, shape: [2], data: [0, 0] }) : -1;
  const o = b.addOutput({
    type: inType,
    shape: s.out ?? [1, 3, 3, 2],
    quant: q ? (s.outQ ?? { scale: 0.5, zeroPoint: -4 }) : null,
  });
  b.addOperator('CONV_2D', [x, w, bias], [o], {
    padding: 'SAME',
    strideW: 2,
    strideH: 2,
    fusedActivationFunction: 'RELU6',
    ...s.fields,
  });
  return b.build();
}

describe('CONV_2D planner', () => {
  it('emits td_conv_q_params in the C field order', () => {
    const p = plan(convModel());
    if (typeof p === 'string') throw new Error(p);
    expect(p.kernel).toBe('CONV_2D_S8');
    expect(p.scratchBytes).toBe(0);
    // in 6, k 3, stride 2, SAME: out 3, total padding (3-1)*2+3-6 = 1 -> 0 before.
    // effective scales 0.5*0.25/0.5 = 0.25 and 0.125 -> 2^30 with shifts -1, -2.
    // RELU6 on scale 0.5, zp -4: [max(-128, -4), min(127, -4 + 12)] = [-4, 8].
    expect(p.params.slice(0, 11)).toEqual([2, 2, 1, 1, 0, 0, -3, -4, -4, 8, 2]);
    expect(p.params[11]).toEqual({ array: Int32Array.from([2 ** 30, 2 ** 30]) });
    expect(p.params[12]).toEqual({ array: Int32Array.from([-1, -2]) });
    expect(p.params[13]).toBe(0);
  });

  it('chooses the int64 accumulator for int16 activations with an int64 bias only', () => {
    const q16 = { scale: 0.5, zeroPoint: 0 };
    const wide = plan(convModel({ inType: 'INT16', inQ: q16, outQ: q16 }));
    const narrow = plan(convModel({ inType: 'INT16', inQ: q16, outQ: q16, biasType: 'INT32' }));
    const none = plan(convModel({ inType: 'INT16', inQ: q16, outQ: q16, biasType: null }));
    expect(
      [wide, narrow, none].map((p) => (typeof p === 'string' ? p : [p.kernel, p.params[13]])),
    ).toEqual([
      ['CONV_2D_S16', 1],
      ['CONV_2D_S16', 0],
      ['CONV_2D_S16', 0],
    ]);
  });

  it('emits float clamps for float32', () => {
    const p = plan(convModel({ inType: 'FLOAT32' }));
    if (typeof p === 'string') throw new Error(p);
    expect(p.kernel).toBe('CONV_2D_F32');
    expect(p.params).toEqual([2, 2, 1, 1, 0, 0, { f32: 0 }, { f32: 6 }]);
  });

  it.each([
    [
      'a hybrid model (float input, int8 weights)',
      convModel({ inType: 'FLOAT32', wType: 'INT8' }),
      /hybrid/,
    ],
    [
      'a fused TANH',
      convModel({ fields: { fusedActivationFunction: 'TANH' } }),
      /TANH is not supported/,
    ],
    [
      'an output shape that contradicts the geometry',
      convModel({ out: [1, 6, 6, 2] }),
      /does not match the computed \[1, 3, 3, 2\]/,
    ],
    ['asymmetric int8 weights', convModel({ wZp: 2 }), /non-zero zero point/],
    [
      'int16 activations with a zero point',
      convModel({ inType: 'INT16', inQ: { scale: 0.5, zeroPoint: 1 } }),
      /zero points of 0/,
    ],
    [
      'an int8 model with an int64 bias',
      convModel({ biasType: 'INT64' }),
      /no kernel for INT8\/INT8\/INT64\/INT8/,
    ],
  ])('refuses %s', (_, model, reason) => {
    const p = plan(model);
    expect(typeof p).toBe('string');
    expect(p as string).toMatch(reason);
  });
});

describe('FULLY_CONNECTED, pool and TRANSPOSE_CONV planners', () => {
  it('keeps an asymmetric per-tensor weight zero point as the filter offset', () => {
    const b = new ModelBuilder();
    const x = b.addInput({ type: 'INT8', shape: [1, 4], quant: { scale: 0.5, zeroPoint: 1 } });
    const w = b.addTensor({
      type: 'INT8',
      shape: [3, 4],
      quant: { scale: 0.25, zeroPoint: 5 },
      data: Array(12).fill(1),
    });
    const o = b.addOutput({ type: 'INT8', shape: [1, 3], quant: { scale: 1, zeroPoint: 0 } });
    b.addOperator('FULLY_CONNECTED', [x, w, -1], [o], {});
    const p = plan(b.build());
    if (typeof p === 'string') throw new Error(p);
    expect(p.kernel).toBe('FULLY_CONNECTED_S8');
    expect(p.params.slice(0, 6)).toEqual([-1, -5, 0, -128, 127, 1]);
  });

  it('refuses shuffled weights and mismatched rows', () => {
    const make = (out: number[], fields: Record<string, string | number | boolean>): Model => {
      const b = new ModelBuilder();
      const x = b.addInput({ type: 'FLOAT32', shape: [2, 6] });
      const w = b.addTensor({ type: 'FLOAT32', shape: [3, 6], data: Array(18).fill(0) });
      const o = b.addOutput({ type: 'FLOAT32', shape: out });
      b.addOperator('FULLY_CONNECTED', [x, w, -1], [o], fields);
      return b.build();
    };
    expect(plan(make([2, 3], { weightsFormat: 'SHUFFLED4x16INT8' }))).toMatch(/weights format/);
    expect(plan(make([1, 3], {}))).toMatch(/does not hold 2 rows of 3 units/);
    expect(plan(make([2, 3], { keepNumDims: true }))).toMatchObject({
      kernel: 'FULLY_CONNECTED_F32',
    });
  });

  it('refuses an int8 pool whose input and output quantization differ', () => {
    const b = new ModelBuilder();
    const x = b.addInput({
      type: 'INT8',
      shape: [1, 4, 4, 1],
      quant: { scale: 0.5, zeroPoint: 0 },
    });
    const o = b.addOutput({
      type: 'INT8',
      shape: [1, 2, 2, 1],
      quant: { scale: 0.25, zeroPoint: 0 },
    });
    b.addOperator('MAX_POOL_2D', [x], [o], {
      padding: 'VALID',
      strideW: 2,
      strideH: 2,
      filterWidth: 2,
      filterHeight: 2,
    });
    expect(plan(b.build())).toMatch(/quantization differ/);
  });

  it('refuses a constant output shape that disagrees with the output tensor, and non-int16 types', () => {
    const make = (shape: number[], type: 'INT16' | 'INT8'): Model => {
      const b = new ModelBuilder();
      const s = b.addTensor({ type: 'INT32', shape: [4], data: shape });
      const w = b.addTensor({
        type: 'INT8',
        shape: [2, 3, 3, 1],
        quant: { scale: 0.5, zeroPoint: 0 },
        data: Array(18).fill(1),
      });
      const x = b.addInput({ type, shape: [1, 2, 2, 1], quant: { scale: 0.5, zeroPoint: 0 } });
      const o = b.addOutput({ type, shape: [1, 4, 4, 2], quant: { scale: 0.5, zeroPoint: 0 } });
      b.addOperator('TRANSPOSE_CONV', [s, w, x], [o], { padding: 'SAME', strideW: 2, strideH: 2 });
      return b.build();
    };
    expect(plan(make([1, 4, 4, 2], 'INT16'))).toMatchObject({ kernel: 'TRANSPOSE_CONV_S16' });
    expect(plan(make([1, 5, 5, 2], 'INT16'))).toMatch(/differs from output/);
    expect(plan(make([1, 4, 4, 2], 'INT8'))).toMatch(/only int16 x int8/);
  });
});
