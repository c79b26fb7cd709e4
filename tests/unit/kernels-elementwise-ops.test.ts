// Elementwise and data-movement kernels, op by op: single-op models built
// here, planned by our planners, run by the C runtime on the host, and
// compared with the independent TFLite-semantics reference
// (tests/support/reference/elementwise.ts). Integer results must match
// exactly; float transcendental ones within 1e-5 relative.
import { describe, expect, it } from 'vitest';
import type { Model, TensorType } from '../../src/core/tflite/model.ts';
import type { OptionFields } from '../../src/core/tflite/build.ts';
import { decode, encode, rng, runOnHost } from '../support/conv-run.ts';
import { type Q, singleOp } from '../support/reference/elementwise-models.ts';
import { referenceOp } from '../support/reference/elementwise.ts';

const RANGES: Partial<Record<TensorType, [number, number]>> = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
};

function randomValues(type: TensorType, n: number, seed: number): number[] {
  const r = rng(seed);
  if (type === 'FLOAT32') return Array.from({ length: n }, () => Math.fround(r.float(-6, 6)));
  const [lo, hi] = RANGES[type] as [number, number];
  return Array.from({ length: n }, () => r.int(lo, hi));
}

/** Runs the model on random (or given) inputs; returns [got, want]. */
function check(model: Model, seed: number, given?: number[][]): { got: number[]; want: number[] } {
  const sg = model.subgraphs[0]!;
  const values = sg.inputs.map((t, i) => {
    const tensor = sg.tensors[t]!;
    return (
      given?.[i] ??
      randomValues(
        tensor.type,
        tensor.shape.reduce((a, b) => a * b, 1),
        seed + i,
      )
    );
  });
  const r = runOnHost(
    model,
    sg.inputs.map((t, i) => encode(sg.tensors[t]!.type, values[i]!)),
  );
  if (!r.ok) throw new Error(r.error);
  const outType = sg.tensors[sg.outputs[0]!]!.type;
  const got = decode(outType, r.outputs[0]!);
  // Map graph inputs to op input positions (constants are read by the reference).
  const op = sg.operators[0]!;
  const byPos = op.inputs.map((t) => {
    const k = sg.inputs.indexOf(t);
    return k >= 0 ? values[k]! : null;
  });
  return { got, want: referenceOp(model, 0, byPos) };
}

function expectExact(model: Model, seed: number, given?: number[][]): void {
  const { got, want } = check(model, seed, given);
  expect(got.length).toBe(want.length);
  const bad = got.findIndex((v, i) => v !== want[i]);
  expect(
    bad,
    bad >= 0 ? `first difference at ${bad}: got ${got[bad]}, want ${want[bad]}` : '',
  ).toBe(-1);
}

function expectClose(model: Model, seed: number, rel = 1e-5, abs = 1e-6, given?: number[][]): void {
  const { got, want } = check(model, seed, given);
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => {
    const w = want[i] as number;
    if (Math.abs(v - w) > abs + rel * Math.abs(w)) {
      throw new Error(`element ${i}: got ${v}, want ${w}`);
    }
  });
}

const qr = (seed: number, type: 'INT8' | 'INT16'): Q => {
  const r = rng(seed);
  const scale = Math.fround(r.float(0.002, 0.2));
  return { scale, zeroPoint: type === 'INT8' ? r.int(-60, 60) : 0 };
};

const BROADCASTS: [number[], number[], number[]][] = [
  [
    [2, 3, 4, 5],
    [2, 3, 4, 5],
    [2, 3, 4, 5],
  ],
  [
    [2, 1, 4, 1],
    [3, 1, 5],
    [2, 3, 4, 5],
  ],
  [[1], [2, 3], [2, 3]],
  [[7], [], [7]],
  [
    [2, 1, 3, 1, 2, 2],
    [1, 2, 1, 4, 1, 2],
    [2, 2, 3, 4, 2, 2],
  ],
  [
    [3, 1, 2, 1, 5],
    [4, 1, 1, 5],
    [3, 4, 2, 1, 5],
  ],
];

describe('binary arithmetic', () => {
  for (const op of ['ADD', 'SUB', 'MUL', 'MAXIMUM', 'MINIMUM']) {
    it(`${op} int8 matches TFLite for same shapes and broadcasts up to rank 6`, () => {
      BROADCASTS.forEach(([a, b, o], k) => {
        for (const act of op === 'MAXIMUM' || op === 'MINIMUM'
          ? ['NONE']
          : ['NONE', 'RELU', 'RELU6']) {
          const seed = 100 * k + act.length;
          const shared = qr(seed, 'INT8');
          const q = (s: number): Q =>
            op === 'MAXIMUM' || op === 'MINIMUM' ? shared : qr(s, 'INT8');
          const opts = op === 'MAXIMUM' || op === 'MINIMUM' ? {} : { fusedActivationFunction: act };
          const m = singleOp(
            op,
            [
              { type: 'INT8', shape: a, quant: q(seed + 1) },
              { type: 'INT8', shape: b, quant: q(seed + 2) },
            ],
            { type: 'INT8', shape: o, quant: q(seed + 3) },
            opts,
          );
          expectExact(m, seed);
        }
      });
    });
  }

  it('ADD int8 with a constant operand and equal input scales', () => {
    const qa = { scale: 0.05, zeroPoint: 3 };
    const m = singleOp(
      'ADD',
      [
        { type: 'INT8', shape: [1, 4, 4, 8], quant: qa },
        { type: 'INT8', shape: [8], quant: qa, data: randomValues('INT8', 8, 9) },
      ],
      { type: 'INT8', shape: [1, 4, 4, 8], quant: { scale: 0.09, zeroPoint: -7 } },
    );
    expectExact(m, 5);
  });

  for (const op of ['ADD', 'SUB']) {
    it(`${op} int16, general scales (pot_scale_int16 false), with broadcasting`, () => {
      BROADCASTS.slice(0, 5).forEach(([a, b, o], k) => {
        const m = singleOp(
          op,
          [
            { type: 'INT16', shape: a, quant: qr(k + 1, 'INT16') },
            { type: 'INT16', shape: b, quant: qr(k + 2, 'INT16') },
          ],
          { type: 'INT16', shape: o, quant: qr(k + 3, 'INT16') },
          { potScaleInt16: false },
        );
        expectExact(m, k);
      });
    });

    it(`${op} int16, power-of-two scales take TFLite's shift-only path`, () => {
      const p = (e: number): Q => ({ scale: 2 ** e, zeroPoint: 0 });
      for (const [s1, s2] of [
        [-12, -12],
        [-12, -14],
        [-15, -12],
      ] as const) {
        const m = singleOp(
          op,
          [
            { type: 'INT16', shape: [2, 3, 8], quant: p(s1) },
            { type: 'INT16', shape: [2, 3, 8], quant: p(s2) },
          ],
          { type: 'INT16', shape: [2, 3, 8], quant: p(-12) },
          { fusedActivationFunction: 'RELU' },
        );
        expectExact(m, s1 * 7 + s2);
      }
    });
  }

  it('ADD and MUL float32 with fused activations', () => {
    for (const op of ['ADD', 'MUL']) {
      for (const act of ['NONE', 'RELU', 'RELU6']) {
        const m = singleOp(
          op,
          [
            { type: 'FLOAT32', shape: [2, 1, 5] },
            { type: 'FLOAT32', shape: [3, 1] },
          ],
          { type: 'FLOAT32', shape: [2, 3, 5] },
          { fusedActivationFunction: act },
        );
        expectExact(m, act.length);
      }
    }
  });
});

const ALL_INT8 = [Array.from({ length: 256 }, (_, i) => i - 128)];

describe('int8 activations (every input value)', () => {
  const cases: [string, Q, Q, OptionFields][] = [
    ['RELU', { scale: 0.05, zeroPoint: 10 }, { scale: 0.03, zeroPoint: -128 }, {}],
    ['RELU', { scale: 0.05, zeroPoint: -20 }, { scale: 0.05, zeroPoint: -20 }, {}],
    ['RELU6', { scale: 0.06, zeroPoint: 5 }, { scale: 6 / 255, zeroPoint: -128 }, {}],
    ['RELU6', { scale: 0.01, zeroPoint: 0 }, { scale: 0.02, zeroPoint: 3 }, {}],
    ['LEAKY_RELU', { scale: 0.05, zeroPoint: 4 }, { scale: 0.04, zeroPoint: -30 }, { alpha: 0.1 }],
    ['LEAKY_RELU', { scale: 0.05, zeroPoint: 4 }, { scale: 0.08, zeroPoint: 0 }, { alpha: -0.5 }],
    ['LEAKY_RELU', { scale: 0.02, zeroPoint: -4 }, { scale: 0.02, zeroPoint: -4 }, { alpha: 1.7 }],
    ['HARD_SWISH', { scale: 0.04, zeroPoint: 12 }, { scale: 0.03, zeroPoint: -50 }, {}],
    ['HARD_SWISH', { scale: 0.2, zeroPoint: -3 }, { scale: 0.1, zeroPoint: -100 }, {}],
    ['HARD_SWISH', { scale: 0.005, zeroPoint: 0 }, { scale: 0.004, zeroPoint: -128 }, {}],
    ['LOGISTIC', { scale: 0.06, zeroPoint: 7 }, { scale: 1 / 256, zeroPoint: -128 }, {}],
    ['LOGISTIC', { scale: 0.01, zeroPoint: -100 }, { scale: 1 / 256, zeroPoint: -128 }, {}],
    ['TANH', { scale: 0.03, zeroPoint: -5 }, { scale: 1 / 128, zeroPoint: 0 }, {}],
    ['TANH', { scale: 0.2, zeroPoint: 60 }, { scale: 1 / 128, zeroPoint: 0 }, {}],
  ];
  it.each(cases.map((c, i) => [`${c[0]} #${i}`, c] as const))('%s', (_n, [op, qi, qo, opts]) => {
    const m = singleOp(
      op,
      [{ type: 'INT8', shape: [1, 256], quant: qi }],
      {
        type: 'INT8',
        shape: [1, 256],
        quant: qo,
      },
      opts,
    );
    expectExact(m, 1, ALL_INT8);
  });

  it('LEAKY_RELU int16', () => {
    for (const [alpha, si, so] of [
      [0.2, 0.001, 0.001],
      [0.3, 0.0007, 0.0011],
      [-0.25, 0.002, 0.0005],
    ] as const) {
      const m = singleOp(
        'LEAKY_RELU',
        [{ type: 'INT16', shape: [2, 3, 50], quant: { scale: si, zeroPoint: 0 } }],
        { type: 'INT16', shape: [2, 3, 50], quant: { scale: so, zeroPoint: 0 } },
        { alpha },
      );
      expectExact(m, Math.round(alpha * 100));
    }
  });
});

describe('float32 activations and softmax', () => {
  const grid = [Array.from({ length: 400 }, (_, i) => Math.fround(-20 + i * 0.1003))];
  for (const op of ['RELU', 'RELU6']) {
    it(`${op} float32 is exact`, () => {
      const m = singleOp(op, [{ type: 'FLOAT32', shape: [400] }], {
        type: 'FLOAT32',
        shape: [400],
      });
      expectExact(m, 0, grid);
    });
  }
  for (const op of ['LOGISTIC', 'TANH']) {
    it(`${op} float32 is within 1e-5 relative of the exact value`, () => {
      const fine = [Array.from({ length: 2000 }, (_, i) => Math.fround(-30 + i * 0.03 + 1e-4))];
      const small = [Array.from({ length: 2000 }, (_, i) => Math.fround((i - 1000) * 1e-6))];
      const m = singleOp(op, [{ type: 'FLOAT32', shape: [2000] }], {
        type: 'FLOAT32',
        shape: [2000],
      });
      expectClose(m, 0, 1e-5, 0, fine);
      expectClose(m, 0, 1e-5, 0, small);
    });
  }
  it('SOFTMAX float32 is within 1e-5 relative', () => {
    for (const beta of [1, 0.5, 2]) {
      const m = singleOp(
        'SOFTMAX',
        [{ type: 'FLOAT32', shape: [3, 4, 17] }],
        { type: 'FLOAT32', shape: [3, 4, 17] },
        { beta },
      );
      expectClose(m, beta * 10, 1e-5, 1e-9);
    }
  });
  it('SOFTMAX int8 -> int16 matches TFLite', () => {
    const m = singleOp(
      'SOFTMAX',
      [{ type: 'INT8', shape: [2, 40], quant: { scale: 0.06, zeroPoint: 1 } }],
      { type: 'INT16', shape: [2, 40], quant: { scale: 1 / 65536, zeroPoint: -32768 } },
      { beta: 1 },
    );
    expectExact(m, 77);
  });
  it('SOFTMAX int8 matches TFLite', () => {
    for (const [depth, beta, s] of [
      [10, 1, 0.1],
      [1, 1, 0.05],
      [1000, 1, 0.2],
      [7, 0.7, 0.03],
      [64, 2, 0.08],
    ] as const) {
      const m = singleOp(
        'SOFTMAX',
        [{ type: 'INT8', shape: [3, depth], quant: { scale: s, zeroPoint: -5 } }],
        { type: 'INT8', shape: [3, depth], quant: { scale: 1 / 256, zeroPoint: -128 } },
        { beta },
      );
      expectExact(m, depth);
    }
  });
});

describe('QUANTIZE and DEQUANTIZE', () => {
  const shape = [2, 3, 40];
  const combos: [TensorType, Q, TensorType, Q][] = [
    ['FLOAT32', null, 'INT8', { scale: 0.03, zeroPoint: -9 }],
    ['FLOAT32', null, 'INT16', { scale: 0.0002, zeroPoint: 0 }],
    ['INT8', { scale: 0.05, zeroPoint: 3 }, 'INT8', { scale: 0.03, zeroPoint: -20 }],
    ['INT8', { scale: 0.05, zeroPoint: 3 }, 'INT8', { scale: 0.5, zeroPoint: 1 }],
    ['INT16', { scale: 0.0003, zeroPoint: 0 }, 'INT8', { scale: 0.04, zeroPoint: 5 }],
    ['INT8', { scale: 0.02, zeroPoint: -1 }, 'INT16', { scale: 0.0001, zeroPoint: 0 }],
    ['INT16', { scale: 0.0005, zeroPoint: 0 }, 'INT16', { scale: 0.0007, zeroPoint: 0 }],
    ['INT16', { scale: 0.0005, zeroPoint: 0 }, 'INT32', { scale: 1.49e-7, zeroPoint: 0 }],
    ['INT32', { scale: 1.49e-7, zeroPoint: 0 }, 'INT16', { scale: 0.0009, zeroPoint: 0 }],
  ];
  it.each(combos.map((c) => [`${c[0]} -> ${c[2]}`, c] as const))(
    'QUANTIZE %s',
    (_n, [it_, qi, ot, qo]) => {
      const m = singleOp('QUANTIZE', [{ type: it_, shape, quant: qi }], {
        type: ot,
        shape,
        quant: qo,
      });
      expectExact(m, 3);
    },
  );
  it('QUANTIZE float saturates, rounds ties away from zero', () => {
    const m = singleOp('QUANTIZE', [{ type: 'FLOAT32', shape: [8] }], {
      type: 'INT8',
      shape: [8],
      quant: { scale: 0.5, zeroPoint: 0 },
    });
    expectExact(m, 0, [[0.25, -0.25, 0.75, -0.75, 1e9, -1e9, Infinity, -Infinity]]);
  });
  it('DEQUANTIZE int8 and int16', () => {
    for (const t of ['INT8', 'INT16'] as const) {
      const m = singleOp(
        'DEQUANTIZE',
        [{ type: t, shape, quant: { scale: 0.0123, zeroPoint: t === 'INT8' ? -7 : 0 } }],
        {
          type: 'FLOAT32',
          shape,
        },
      );
      expectExact(m, 4);
    }
  });
});

describe('data movement', () => {
  it('PAD and PADV2, int8 and int16, rank 1 to 5', () => {
    const cases: [number[], number[]][] = [
      [[5], [2, 3]],
      [
        [2, 3],
        [0, 1, 2, 0],
      ],
      [
        [1, 2, 160, 2],
        [0, 0, 0, 0, 3, 3, 0, 0],
      ],
      [
        [2, 3, 2, 2, 3],
        [1, 0, 0, 2, 1, 1, 0, 0, 2, 1],
      ],
    ];
    cases.forEach(([shape, pads], k) => {
      const out = shape.map((d, i) => d + (pads[2 * i] as number) + (pads[2 * i + 1] as number));
      for (const t of ['INT8', 'INT16'] as const) {
        const quant = { scale: 0.1, zeroPoint: t === 'INT8' ? -11 : 0 };
        const p = { type: 'INT32' as const, shape: [shape.length, 2], data: pads };
        expectExact(
          singleOp('PAD', [{ type: t, shape, quant }, p], { type: t, shape: out, quant }),
          k,
        );
      }
      const quant = { scale: 0.1, zeroPoint: 4 };
      const m = singleOp(
        'PADV2',
        [
          { type: 'INT8', shape, quant },
          { type: 'INT32', shape: [shape.length, 2], data: pads },
          { type: 'INT8', shape: [], quant, data: [-77] },
        ],
        { type: 'INT8', shape: out, quant },
      );
      expectExact(m, k);
    });
  });

  it('TRANSPOSE int8, rank 1 to 6', () => {
    const cases: [number[], number[]][] = [
      [[7], [0]],
      [
        [3, 5],
        [1, 0],
      ],
      [
        [1, 3, 224, 2],
        [0, 2, 3, 1],
      ],
      [
        [2, 3, 4, 5],
        [3, 1, 0, 2],
      ],
      [
        [2, 3, 1, 4, 2],
        [4, 2, 0, 3, 1],
      ],
      [
        [2, 1, 3, 2, 2, 3],
        [5, 0, 4, 1, 3, 2],
      ],
    ];
    cases.forEach(([shape, perm], k) => {
      const quant = { scale: 0.1, zeroPoint: 0 };
      const m = singleOp(
        'TRANSPOSE',
        [
          { type: 'INT8', shape, quant },
          { type: 'INT32', shape: [perm.length], data: perm },
        ],
        { type: 'INT8', shape: perm.map((p) => shape[p] as number), quant },
      );
      expectExact(m, k);
    });
  });

  it('CONCATENATION int8 on every axis, copying or requantizing inputs', () => {
    const shapes = [
      [2, 3, 4],
      [2, 5, 4],
      [2, 1, 4],
    ];
    for (let axis = -3; axis < 3; axis++) {
      const a = axis < 0 ? axis + 3 : axis;
      const ins = shapes.map((s) => s.map((d, i) => (i === a ? d : ([2, 3, 4][i] as number))));
      const out = [2, 3, 4].map((d, i) =>
        i === a ? ins.reduce((n, s) => n + (s[i] as number), 0) : d,
      );
      const qo = { scale: 0.05, zeroPoint: 2 };
      const qs = [qo, { scale: 0.11, zeroPoint: -9 }, { scale: 0.02, zeroPoint: 30 }];
      const m = singleOp(
        'CONCATENATION',
        ins.map((shape, i) => ({ type: 'INT8' as const, shape, quant: qs[i] })),
        { type: 'INT8', shape: out, quant: qo },
        { axis },
      );
      expectExact(m, axis + 10);
    }
  });

  it('STRIDED_SLICE int8 and int16 with masks, negative strides, ellipsis, new and shrunk axes', () => {
    const cases: {
      shape: number[];
      begin: number[];
      end: number[];
      strides: number[];
      masks?: OptionFields;
      out: number[];
    }[] = [
      {
        shape: [1, 8, 166, 2],
        begin: [0, -6, 0, 0],
        end: [0, 0, 0, 2],
        strides: [1, 1, 1, 1],
        masks: { beginMask: 13, endMask: 15 },
        out: [1, 6, 166, 2],
      },
      { shape: [10], begin: [8], end: [1], strides: [-3], out: [3] },
      { shape: [4, 6], begin: [1, 5], end: [4, 0], strides: [2, -2], out: [2, 3] },
      {
        shape: [4, 6],
        begin: [2, 0],
        end: [3, 6],
        strides: [1, 1],
        masks: { shrinkAxisMask: 1 },
        out: [6],
      },
      {
        shape: [4, 6],
        begin: [-1, 0],
        end: [0, 6],
        strides: [1, 1],
        masks: { shrinkAxisMask: 1 },
        out: [6],
      },
      {
        shape: [2, 3, 4, 5],
        begin: [0, 1],
        end: [0, 3],
        strides: [1, 1],
        masks: { ellipsisMask: 1 },
        out: [2, 3, 4, 2],
      },
      {
        shape: [2, 3, 4],
        begin: [0, 0, 1],
        end: [0, 0, 3],
        strides: [1, 1, 1],
        masks: { newAxisMask: 1, beginMask: 2, endMask: 2 },
        out: [1, 2, 2, 4],
      },
      { shape: [3, 4, 5], begin: [1], end: [3], strides: [1], out: [2, 4, 5] },
      {
        shape: [2, 3, 4, 2, 3, 2],
        begin: [0, 2, 3, 0, 2, 1],
        end: [2, 0, 0, 2, 0, 2],
        strides: [1, -1, -2, 1, -1, 1],
        out: [2, 2, 2, 2, 2, 1],
      },
    ];
    cases.forEach((c, k) => {
      for (const t of ['INT8', 'INT16'] as const) {
        const quant = { scale: 0.1, zeroPoint: 0 };
        const n = c.begin.length;
        const m = singleOp(
          'STRIDED_SLICE',
          [
            { type: t, shape: c.shape, quant },
            { type: 'INT32', shape: [n], data: c.begin },
            { type: 'INT32', shape: [n], data: c.end },
            { type: 'INT32', shape: [n], data: c.strides },
          ],
          { type: t, shape: c.out, quant },
          c.masks ?? {},
        );
        expectExact(m, k);
      }
    });
  });

  it('MEAN int8: the 4D spatial path, the same-scale path and the float path', () => {
    const cases: {
      shape: number[];
      axes: number[];
      keep: boolean;
      out: number[];
      same?: boolean;
    }[] = [
      { shape: [1, 7, 7, 16], axes: [1, 2], keep: true, out: [1, 1, 1, 16] },
      { shape: [2, 5, 3, 4], axes: [2, 1], keep: true, out: [2, 1, 1, 4] },
      { shape: [2, 5, 3, 4], axes: [1, 2], keep: false, out: [2, 4] },
      { shape: [2, 5, 3, 4], axes: [1, 2], keep: false, out: [2, 4], same: true },
      { shape: [3, 4, 5], axes: [-1], keep: true, out: [3, 4, 1] },
      { shape: [3, 4, 5], axes: [0, 2], keep: false, out: [4] },
      { shape: [2, 3, 2, 2, 3], axes: [1, 3, 4], keep: false, out: [2, 2], same: true },
      { shape: [6], axes: [0], keep: false, out: [] },
    ];
    cases.forEach((c, k) => {
      const qi = { scale: 0.07, zeroPoint: -13 };
      const qo = c.same ? qi : { scale: 0.03, zeroPoint: 9 };
      const m = singleOp(
        'MEAN',
        [
          { type: 'INT8', shape: c.shape, quant: qi },
          { type: 'INT32', shape: [c.axes.length], data: c.axes },
        ],
        { type: 'INT8', shape: c.out, quant: qo },
        { keepDims: c.keep },
      );
      expectExact(m, k);
    });
  });
});
