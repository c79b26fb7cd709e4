// DSP extension and long multiplies: references follow the ARM ARM
// pseudocode with BigInt arithmetic; results, the Q flag and the GE bits are
// checked on seeded operands biased toward overflow and saturation edges.

import { beforeAll, describe, expect, test } from 'vitest';
import {
  SKIP_REASON,
  Snippets,
  armToolchain,
  operands,
  s32,
  snippetSource,
  u32,
} from '../emulator/toolchain.ts';

const B = BigInt;
const hs = (v: number, top: number): number => (top ? s32(v) >> 16 : (v << 16) >> 16);
const hu = (v: number, top: number): number => (top ? v >>> 16 : v & 0xffff);
const bs = (v: number, k: number): number => (v << (24 - 8 * k)) >> 24;
const bu = (v: number, k: number): number => (v >>> (8 * k)) & 0xff;

function sat(x: bigint, bits: number, signed: boolean): [number, boolean] {
  const max = signed ? (1n << B(bits - 1)) - 1n : (1n << B(bits)) - 1n;
  const min = signed ? -(1n << B(bits - 1)) : 0n;
  if (x > max) return [Number(max), true];
  if (x < min) return [Number(min), true];
  return [Number(x), false];
}

interface Out {
  r0: number;
  r1?: number;
  q?: boolean;
  ge?: number;
}
/** Operands: n = r2, m = r3, a = r4 (accumulator), lo/hi = r0/r1 (64-bit accumulator). */
type Ref = (n: number, m: number, a: number, lo: number, hi: number) => Out;

const acc64 = (lo: number, hi: number): bigint => (B(s32(hi)) << 32n) | B(u32(lo));
const split = (v: bigint): Out => ({ r0: u32(v), r1: u32(v >> 32n) });
const q32 = (x: bigint): Out => ({ r0: u32(x), q: B(s32(x)) !== x });

function dual(n: number, m: number, x: boolean): [bigint, bigint] {
  const mm = x ? u32((m >>> 16) | (m << 16)) : m;
  return [B(hs(n, 0) * hs(mm, 0)), B(hs(n, 1) * hs(mm, 1))];
}

const CASES: Array<[string, string, Ref]> = [
  ['smull', 'smull r0, r1, r2, r3', (n, m) => split(B(s32(n)) * B(s32(m)))],
  ['umull', 'umull r0, r1, r2, r3', (n, m) => split(B(n) * B(m))],
  [
    'smlal',
    'smlal r0, r1, r2, r3',
    (n, m, _a, lo, hi) => split(acc64(lo, hi) + B(s32(n)) * B(s32(m))),
  ],
  [
    'umlal',
    'umlal r0, r1, r2, r3',
    (n, m, _a, lo, hi) => split(((B(u32(hi)) << 32n) | B(u32(lo))) + B(n) * B(m)),
  ],
  ['umaal', 'umaal r0, r1, r2, r3', (n, m, _a, lo, hi) => split(B(n) * B(m) + B(lo) + B(hi))],
  [
    'smlad',
    'smlad r0, r2, r3, r4',
    (n, m, a) => q32(dual(n, m, false).reduce((s, p) => s + p, B(s32(a)))),
  ],
  [
    'smladx',
    'smladx r0, r2, r3, r4',
    (n, m, a) => q32(dual(n, m, true).reduce((s, p) => s + p, B(s32(a)))),
  ],
  ['smuad', 'smuad r0, r2, r3', (n, m) => q32(dual(n, m, false).reduce((s, p) => s + p, 0n))],
  ['smuadx', 'smuadx r0, r2, r3', (n, m) => q32(dual(n, m, true).reduce((s, p) => s + p, 0n))],
  [
    'smlsd',
    'smlsd r0, r2, r3, r4',
    (n, m, a) => {
      const [p1, p2] = dual(n, m, false);
      return q32(B(s32(a)) + p1 - p2);
    },
  ],
  [
    'smlsdx',
    'smlsdx r0, r2, r3, r4',
    (n, m, a) => {
      const [p1, p2] = dual(n, m, true);
      return q32(B(s32(a)) + p1 - p2);
    },
  ],
  [
    'smusd',
    'smusd r0, r2, r3',
    (n, m) => {
      const [p1, p2] = dual(n, m, false);
      return { r0: u32(p1 - p2) };
    },
  ],
  [
    'smusdx',
    'smusdx r0, r2, r3',
    (n, m) => {
      const [p1, p2] = dual(n, m, true);
      return { r0: u32(p1 - p2) };
    },
  ],
  [
    'smlald',
    'smlald r0, r1, r2, r3',
    (n, m, _a, lo, hi) => {
      const [p1, p2] = dual(n, m, false);
      return split(acc64(lo, hi) + p1 + p2);
    },
  ],
  [
    'smlaldx',
    'smlaldx r0, r1, r2, r3',
    (n, m, _a, lo, hi) => {
      const [p1, p2] = dual(n, m, true);
      return split(acc64(lo, hi) + p1 + p2);
    },
  ],
  [
    'smlsld',
    'smlsld r0, r1, r2, r3',
    (n, m, _a, lo, hi) => {
      const [p1, p2] = dual(n, m, false);
      return split(acc64(lo, hi) + p1 - p2);
    },
  ],
  [
    'smlsldx',
    'smlsldx r0, r1, r2, r3',
    (n, m, _a, lo, hi) => {
      const [p1, p2] = dual(n, m, true);
      return split(acc64(lo, hi) + p1 - p2);
    },
  ],
  ...(['bb', 'bt', 'tb', 'tt'] as const).flatMap((xy): Array<[string, string, Ref]> => {
    const [x, y] = [xy[0] === 't' ? 1 : 0, xy[1] === 't' ? 1 : 0];
    return [
      [`smul${xy}`, `smul${xy} r0, r2, r3`, (n, m) => ({ r0: u32(hs(n, x) * hs(m, y)) })],
      [
        `smla${xy}`,
        `smla${xy} r0, r2, r3, r4`,
        (n, m, a) => q32(B(hs(n, x) * hs(m, y)) + B(s32(a))),
      ],
      [
        `smlal${xy}`,
        `smlal${xy} r0, r1, r2, r3`,
        (n, m, _a, lo, hi) => split(acc64(lo, hi) + B(hs(n, x) * hs(m, y))),
      ],
    ];
  }),
  ...([0, 1] as const).flatMap((y): Array<[string, string, Ref]> => {
    const w = y ? 't' : 'b';
    return [
      [
        `smulw${w}`,
        `smulw${w} r0, r2, r3`,
        (n, m) => ({ r0: u32((B(s32(n)) * B(hs(m, y))) >> 16n) }),
      ],
      [
        `smlaw${w}`,
        `smlaw${w} r0, r2, r3, r4`,
        (n, m, a) => {
          const r = (B(s32(n)) * B(hs(m, y)) + (B(s32(a)) << 16n)) >> 16n;
          return q32(r);
        },
      ],
    ];
  }),
  ['smmul', 'smmul r0, r2, r3', (n, m) => ({ r0: u32((B(s32(n)) * B(s32(m))) >> 32n) })],
  [
    'smmulr',
    'smmulr r0, r2, r3',
    (n, m) => ({ r0: u32((B(s32(n)) * B(s32(m)) + 0x80000000n) >> 32n) }),
  ],
  [
    'smmla',
    'smmla r0, r2, r3, r4',
    (n, m, a) => ({ r0: u32(((B(s32(a)) << 32n) + B(s32(n)) * B(s32(m))) >> 32n) }),
  ],
  [
    'smmlar',
    'smmlar r0, r2, r3, r4',
    (n, m, a) => ({ r0: u32(((B(s32(a)) << 32n) + B(s32(n)) * B(s32(m)) + 0x80000000n) >> 32n) }),
  ],
  [
    'smmls',
    'smmls r0, r2, r3, r4',
    (n, m, a) => ({ r0: u32(((B(s32(a)) << 32n) - B(s32(n)) * B(s32(m))) >> 32n) }),
  ],
  [
    'smmlsr',
    'smmlsr r0, r2, r3, r4',
    (n, m, a) => ({ r0: u32(((B(s32(a)) << 32n) - B(s32(n)) * B(s32(m)) + 0x80000000n) >> 32n) }),
  ],
  [
    'ssat',
    'ssat r0, #9, r2, lsl #3',
    (n) => {
      const [v, q] = sat(B(s32(u32(n << 3))), 9, true);
      return { r0: u32(v), q };
    },
  ],
  [
    'ssat_asr',
    'ssat r0, #1, r2, asr #31',
    (n) => {
      const [v, q] = sat(B(s32(n) >> 31), 1, true);
      return { r0: u32(v), q };
    },
  ],
  [
    'usat',
    'usat r0, #12, r2, asr #4',
    (n) => {
      const [v, q] = sat(B(s32(n) >> 4), 12, false);
      return { r0: u32(v), q };
    },
  ],
  [
    'usat0',
    'usat r0, #0, r2',
    (n) => {
      const [v, q] = sat(B(s32(n)), 0, false);
      return { r0: u32(v), q };
    },
  ],
  [
    'ssat16',
    'ssat16 r0, #7, r2',
    (n) => {
      const [a, qa] = sat(B(hs(n, 0)), 7, true);
      const [b, qb] = sat(B(hs(n, 1)), 7, true);
      return { r0: u32((a & 0xffff) | (b << 16)), q: qa || qb };
    },
  ],
  [
    'usat16',
    'usat16 r0, #15, r2',
    (n) => {
      const [a, qa] = sat(B(hs(n, 0)), 15, false);
      const [b, qb] = sat(B(hs(n, 1)), 15, false);
      return { r0: u32((a & 0xffff) | (b << 16)), q: qa || qb };
    },
  ],
  [
    'qadd',
    'qadd r0, r2, r3',
    (n, m) => {
      const [v, q] = sat(B(s32(n)) + B(s32(m)), 32, true);
      return { r0: u32(v), q };
    },
  ],
  [
    'qsub',
    'qsub r0, r2, r3',
    (n, m) => {
      const [v, q] = sat(B(s32(n)) - B(s32(m)), 32, true);
      return { r0: u32(v), q };
    },
  ],
  [
    'qdadd',
    'qdadd r0, r2, r3',
    (n, m) => {
      const [d, q1] = sat(2n * B(s32(m)), 32, true);
      const [v, q2] = sat(B(s32(n)) + B(d), 32, true);
      return { r0: u32(v), q: q1 || q2 };
    },
  ],
  [
    'qdsub',
    'qdsub r0, r2, r3',
    (n, m) => {
      const [d, q1] = sat(2n * B(s32(m)), 32, true);
      const [v, q2] = sat(B(s32(n)) - B(d), 32, true);
      return { r0: u32(v), q: q1 || q2 };
    },
  ],
  [
    'usad8',
    'usad8 r0, r2, r3',
    (n, m) => ({ r0: [0, 1, 2, 3].reduce((s, k) => s + Math.abs(bu(n, k) - bu(m, k)), 0) }),
  ],
  [
    'usada8',
    'usada8 r0, r2, r3, r4',
    (n, m, a) => ({ r0: u32([0, 1, 2, 3].reduce((s, k) => s + Math.abs(bu(n, k) - bu(m, k)), a)) }),
  ],
  [
    'pkhbt',
    'pkhbt r0, r2, r3, lsl #13',
    (n, m) => ({ r0: u32((n & 0xffff) | (u32(m << 13) & 0xffff0000)) }),
  ],
  [
    'pkhtb',
    'pkhtb r0, r2, r3, asr #32',
    (n, m) => ({ r0: u32((n & 0xffff0000) | ((s32(m) >> 31) & 0xffff)) }),
  ],
  [
    'pkhtb_r',
    'pkhtb r0, r2, r3, asr #5',
    (n, m) => ({ r0: u32((n & 0xffff0000) | ((s32(m) >> 5) & 0xffff)) }),
  ],
];

// ---- parallel add/subtract: 6 operations x 6 variants ----

const LANE_OPS: Record<string, { lanes: 2 | 4; ops: Array<[number, number, 'add' | 'sub']> }> = {
  add16: {
    lanes: 2,
    ops: [
      [0, 0, 'add'],
      [1, 1, 'add'],
    ],
  },
  asx: {
    lanes: 2,
    ops: [
      [0, 1, 'sub'],
      [1, 0, 'add'],
    ],
  },
  sax: {
    lanes: 2,
    ops: [
      [0, 1, 'add'],
      [1, 0, 'sub'],
    ],
  },
  sub16: {
    lanes: 2,
    ops: [
      [0, 0, 'sub'],
      [1, 1, 'sub'],
    ],
  },
  add8: { lanes: 4, ops: [0, 1, 2, 3].map((k) => [k, k, 'add'] as [number, number, 'add']) },
  sub8: { lanes: 4, ops: [0, 1, 2, 3].map((k) => [k, k, 'sub'] as [number, number, 'sub']) },
};

function parallelRef(prefix: string, op: string): Ref {
  return (n, m) => {
    const { lanes, ops } = LANE_OPS[op]!;
    const bits = lanes === 2 ? 16 : 8;
    const signed = !prefix.startsWith('u');
    const get = (v: number, k: number): number =>
      lanes === 2 ? (signed ? hs(v, k) : hu(v, k)) : signed ? bs(v, k) : bu(v, k);
    let r0 = 0;
    let ge = 0;
    ops.forEach(([ka, kb, kind], lane) => {
      const x = kind === 'add' ? get(n, ka) + get(m, kb) : get(n, ka) - get(m, kb);
      let out: number;
      if (prefix === 'q' || prefix === 'uq') out = sat(B(x), bits, prefix === 'q')[0];
      else if (prefix === 'sh' || prefix === 'uh') out = Math.floor(x / 2);
      else out = x;
      r0 |= (out & ((1 << bits) - 1)) << (bits * lane);
      const geSet = prefix === 's' ? x >= 0 : kind === 'add' ? x >= 1 << bits : x >= 0;
      if (geSet) ge |= (lanes === 2 ? 3 : 1) << (lane * (lanes === 2 ? 2 : 1));
    });
    return { r0: u32(r0), ...(prefix === 's' || prefix === 'u' ? { ge } : {}) };
  };
}

for (const prefix of ['s', 'q', 'sh', 'u', 'uq', 'uh']) {
  for (const op of Object.keys(LANE_OPS)) {
    CASES.push([prefix + op, `${prefix}${op} r0, r2, r3`, parallelRef(prefix, op)]);
  }
}

describe.skipIf(!armToolchain)('DSP extension against ARM ARM references', () => {
  let s: Snippets;
  beforeAll(() => {
    const extra: Array<[string, string]> = [['sel', 'msr APSR_g, r4; sel r0, r2, r3']];
    s = new Snippets(snippetSource([...CASES.map(([l, b]) => [l, b] as const), ...extra]));
  });

  test.each(CASES.map(([label, body, ref]) => [label, body, ref] as const))(
    '%s (%s)',
    (label, _b, ref) => {
      const ops = operands(label.length * 131 + label.charCodeAt(1), 40);
      for (let k = 0; k < ops.length; k++) {
        const [n, m, a, lo, hi] = [0, 1, 2, 3, 4].map(
          (j) => ops[(k * (2 * j + 1) + j) % ops.length]!,
        ) as [number, number, number, number, number];
        s.cpu.qf = 0;
        s.run(label, { 0: lo, 1: hi, 2: n, 3: m, 4: a });
        const want = ref(n, m, a, lo, hi);
        const ctx = `${label}(n=${n.toString(16)}, m=${m.toString(16)}, a=${a.toString(16)}, acc=${hi.toString(16)}:${lo.toString(16)})`;
        expect(s.reg(0), ctx).toBe(want.r0);
        if (want.r1 !== undefined) expect(s.reg(1), ctx).toBe(want.r1);
        const apsr = s.reg(12);
        expect((apsr >>> 27) & 1, `${ctx} Q`).toBe(want.q ? 1 : 0);
        if (want.ge !== undefined) expect((apsr >>> 16) & 15, `${ctx} GE`).toBe(want.ge);
      }
    },
  );

  test('SEL picks bytes by the GE bits', () => {
    for (let ge = 0; ge < 16; ge++) {
      s.run('sel', { 2: 0x11223344, 3: 0xaabbccdd, 4: ge << 16 });
      let want = 0;
      for (let k = 0; k < 4; k++)
        want |= ((ge >> k) & 1 ? 0x11223344 : 0xaabbccdd) & (0xff << (8 * k));
      expect(s.reg(0)).toBe(u32(want));
    }
  });
});

if (!armToolchain) test.skip(`DSP extension: ${SKIP_REASON}`, () => {});
