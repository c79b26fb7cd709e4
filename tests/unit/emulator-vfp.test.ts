// FPv4-SP: arithmetic in all four rounding modes with cumulative FPSCR flags
// against an exact BigInt reference, NaN/infinity/zero rules, flush-to-zero,
// conversions (integer, fixed point, half precision), compares and the VFP
// register transfers.

import { beforeAll, describe, expect, test } from 'vitest';
import {
  RAM,
  SKIP_REASON,
  Snippets,
  armToolchain,
  rng,
  snippetSource,
} from '../emulator/toolchain.ts';
import {
  type Exact,
  type Mode,
  add,
  decode16,
  decode32,
  div,
  isFinite32,
  mul,
  neg,
  round,
  sqrt,
} from '../emulator/fpref.ts';

const IOC = 1;
const DZC = 2;
const OFC = 4;
const UFC = 8;
const IXC = 16;
const IDC = 128;

/** Finite operands: random bit patterns plus tiny, huge, subnormal and exact cases. */
function floats(seed: number, n: number): number[] {
  const next = rng(seed);
  const out = [
    0x3f800000, 0xbf800000, 0x00000001, 0x80800000, 0x7f7fffff, 0x00800000, 0x34000000, 0x4b800000,
  ];
  while (out.length < n) {
    const r = next();
    const kind = next() % 5;
    let b: number;
    if (kind === 0)
      b = r & 0x807fffff; // subnormal
    else if (kind === 1)
      b = (r & 0x81ffffff) | 0x3e000000; // near 1
    else if (kind === 2)
      b = (r & 0x80ffffff) | 0x7e000000; // near overflow
    else if (kind === 3)
      b = (r & 0x80ffffff) | 0x01000000; // near underflow
    else b = r;
    if (!isFinite32(b)) b &= 0xbfffffff;
    out.push(b >>> 0);
  }
  return out;
}

interface Ref {
  bits: number;
  flags: number;
}

function rounded(x: Exact, mode: Mode): Ref {
  if (x.m === 0n) return { bits: mode === 2 ? 0x80000000 : 0, flags: 0 };
  const r = round(x, mode);
  return {
    bits: r.bits,
    flags: (r.inexact ? IXC : 0) | (r.overflow ? OFC : 0) | (r.underflow ? UFC : 0),
  };
}

/** Reference for ops on finite inputs; zero-sum sign rules included. */
const REFS: Record<string, (d: number, n: number, m: number, mode: Mode) => Ref | null> = {
  vadd: (_d, n, m, mode) => sumRef(decode32(n), decode32(m), n, m, mode),
  vsub: (_d, n, m, mode) => sumRef(decode32(n), neg(decode32(m)), n, (m ^ 0x80000000) >>> 0, mode),
  vmul: (_d, n, m, mode) => prodRef(n, m, mode),
  vnmul: (_d, n, m, mode) => {
    const p = prodRef(n, m, mode);
    return { bits: (p.bits ^ 0x80000000) >>> 0, flags: p.flags };
  },
  vfma: (d, n, m, mode) => fmaRef(d, n, m, mode),
  vfms: (d, n, m, mode) => fmaRef(d, (n ^ 0x80000000) >>> 0, m, mode),
  vfnma: (d, n, m, mode) => fmaRef((d ^ 0x80000000) >>> 0, (n ^ 0x80000000) >>> 0, m, mode),
  vfnms: (d, n, m, mode) => fmaRef((d ^ 0x80000000) >>> 0, n, m, mode),
  vmla: (d, n, m, mode) => chained(d, n, m, mode, false, false),
  vmls: (d, n, m, mode) => chained(d, n, m, mode, false, true),
  vnmla: (d, n, m, mode) => chained(d, n, m, mode, true, true),
  vnmls: (d, n, m, mode) => chained(d, n, m, mode, true, false),
  vdiv: (_d, n, m, mode) => {
    if ((m & 0x7fffffff) === 0) return null;
    if ((n & 0x7fffffff) === 0) return { bits: ((n ^ m) & 0x80000000) >>> 0, flags: 0 };
    return rounded(div(decode32(n), decode32(m)), mode);
  },
  vsqrt: (_d, _n, m, mode) => {
    if (m >>> 31 || (m & 0x7fffffff) === 0) return null;
    return rounded(sqrt(decode32(m)), mode);
  },
};

function sumRef(a: Exact, b: Exact, na: number, nb: number, mode: Mode): Ref {
  const s = add(a, b);
  if (s.m === 0n) {
    const bothZero = (na & 0x7fffffff) === 0 && (nb & 0x7fffffff) === 0;
    if (bothZero && na >>> 31 === nb >>> 31) return { bits: na & 0x80000000, flags: 0 };
    return { bits: mode === 2 ? 0x80000000 : 0, flags: 0 };
  }
  return rounded(s, mode);
}

function prodRef(n: number, m: number, mode: Mode): Ref {
  const p = mul(decode32(n), decode32(m));
  if (p.m === 0n) return { bits: ((n ^ m) & 0x80000000) >>> 0, flags: 0 };
  return rounded(p, mode);
}

function fmaRef(d: number, n: number, m: number, mode: Mode): Ref {
  const p = mul(decode32(n), decode32(m));
  const pSign = (n ^ m) >>> 31;
  if (p.m === 0n && (d & 0x7fffffff) === 0 && d >>> 31 === pSign)
    return { bits: d & 0x80000000, flags: 0 };
  const s = add(decode32(d), p);
  if (s.m === 0n) return { bits: mode === 2 ? 0x80000000 : 0, flags: 0 };
  return rounded(s, mode);
}

function chained(
  d: number,
  n: number,
  m: number,
  mode: Mode,
  negD: boolean,
  negP: boolean,
): Ref | null {
  const p = prodRef(n, m, mode);
  if (!isFinite32(p.bits)) return null; // infinite product: covered by the special-value tests
  const pb = negP ? (p.bits ^ 0x80000000) >>> 0 : p.bits;
  const db = negD ? (d ^ 0x80000000) >>> 0 : d;
  const s = sumRef(decode32(db), decode32(pb), db, pb, mode);
  return { bits: s.bits, flags: s.flags | p.flags };
}

const OPS = Object.keys(REFS);

const TRANSFERS = `
.global vldst
vldst:
  vldr s0, [r1, #4]
  vldr d1, [r1, #8]
  vstr s0, [r1, #-4]
  vldmia r1!, {s4-s7}
  vstmdb r1!, {s4-s5}
  mov sp, r2
  vpush {d8-d9}
  vpop {s20-s23}
  vmov r3, s20
  vmov s24, r3
  vmov r4, r5, d2
  vmov s26, s27, r4, r5
  bkpt 0
.global cmp_branch
cmp_branch:
  vcmp.f32 s0, s1
  vmrs APSR_nzcv, fpscr
  mov r0, #0
  it gt
  movgt r0, #1
  it lt
  movlt r0, #2
  it eq
  moveq r0, #3
  it vs
  movvs r0, #4
  bkpt 0
.global vmov_imm
vmov_imm:
  vmov.f32 s0, #1.0
  vmov.f32 s1, #-0.125
  vmov.f32 s2, #31.0
  vmov.f32 s3, #0.1875
  bkpt 0
`;

const CONV = [
  ['cvt_s32', 'vcvt.s32.f32 s0, s1'],
  ['cvt_u32', 'vcvt.u32.f32 s0, s1'],
  ['cvtr_s32', 'vcvtr.s32.f32 s0, s1'],
  ['cvtr_u32', 'vcvtr.u32.f32 s0, s1'],
  ['cvt_f_s32', 'vcvt.f32.s32 s0, s1'],
  ['cvt_f_u32', 'vcvt.f32.u32 s0, s1'],
  ['cvt_s16_fix', 'vcvt.s16.f32 s0, s0, #7'],
  ['cvt_u32_fix', 'vcvt.u32.f32 s0, s0, #20'],
  ['cvt_f_s16_fix', 'vcvt.f32.s16 s0, s0, #3'],
  ['cvt_f_u32_fix', 'vcvt.f32.u32 s0, s0, #31'],
  ['cvtb_to16', 'vcvtb.f16.f32 s0, s1'],
  ['cvtt_to16', 'vcvtt.f16.f32 s0, s1'],
  ['cvtb_from16', 'vcvtb.f32.f16 s0, s1'],
  ['cvtt_from16', 'vcvtt.f32.f16 s0, s1'],
  ['vcmp', 'vcmp.f32 s1, s2'],
  ['vcmpe', 'vcmpe.f32 s1, s2'],
  ['vcmp0', 'vcmp.f32 s1, #0'],
] as const;

function roundInt(x: number, mode: Mode): number {
  switch (mode) {
    case 0: {
      const f = Math.floor(x);
      const d = x - f;
      return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
    }
    case 1:
      return Math.ceil(x);
    case 2:
      return Math.floor(x);
    default:
      return Math.trunc(x);
  }
}

function toFixedRef(bits: number, size: number, fbits: number, unsigned: boolean, mode: Mode): Ref {
  const f32 = new Float32Array(new Uint32Array([bits]).buffer)[0]!;
  const x = f32 * 2 ** fbits;
  const r = roundInt(x, mode);
  const min = unsigned ? 0 : -(2 ** (size - 1));
  const max = unsigned ? 2 ** size - 1 : 2 ** (size - 1) - 1;
  if (r < min || r > max) return { bits: (r < min ? min : max) >>> 0, flags: IOC };
  return { bits: r >>> 0, flags: r !== x ? IXC : 0 };
}

describe.skipIf(!armToolchain)('FPv4-SP single precision', () => {
  let s: Snippets;
  beforeAll(() => {
    const arith = OPS.map(
      (op) => [op, op === 'vsqrt' ? 'vsqrt.f32 s0, s2' : `${op}.f32 s0, s1, s2`] as const,
    );
    s = new Snippets(snippetSource([...arith, ...CONV]) + TRANSFERS);
  });

  function runOp(
    label: string,
    fpscr: number,
    regs: Record<number, number>,
  ): { res: number; fpscr: number } {
    const c = s.cpu;
    for (const [k, v] of Object.entries(regs)) c.su[Number(k)] = v;
    c.fpscr = fpscr;
    s.run(label);
    return { res: c.su[0]!, fpscr: c.fpscr };
  }

  test.each(OPS)('%s matches the exact reference in all rounding modes, with flags', (op) => {
    const xs = floats(op.length * 97 + op.charCodeAt(2), 64);
    let checked = 0;
    for (let mode = 0 as Mode; mode < 4; mode = (mode + 1) as Mode) {
      for (let k = 0; k < xs.length; k++) {
        const [d, n, m] = [xs[k]!, xs[(k * 7 + 3) % xs.length]!, xs[(k * 13 + 5) % xs.length]!];
        // Keep FMA-style addends in range of the product sometimes.
        const dd =
          k % 3 === 0
            ? ((n & 0x80000000) |
                (Math.min(0x7f000000, ((n & 0x7f800000) + (m & 0x7f800000)) / 2 + 0x1800000) &
                  0x7f800000) |
                (d & 0x7fffff)) >>>
              0
            : d;
        const want = REFS[op]!(dd, n, m, mode);
        if (want === null) continue;
        const got = runOp(op, mode << 22, { 0: dd, 1: n, 2: m });
        const ctx = `${op} mode=${mode} d=${dd.toString(16)} n=${n.toString(16)} m=${m.toString(16)}`;
        expect(got.res.toString(16), ctx).toBe(want.bits.toString(16));
        expect(got.fpscr & 0x9f, `${ctx} flags`).toBe(want.flags);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  test('NaNs: signalling ones are quietened with IOC, the first operand wins, DN forces the default NaN', () => {
    const snan = 0x7f800123;
    const qnan = 0xffc00456;
    expect(runOp('vadd', 0, { 1: snan, 2: qnan })).toEqual({ res: 0x7fc00123, fpscr: IOC });
    expect(runOp('vadd', 0, { 1: qnan, 2: snan })).toEqual({ res: 0x7fc00123, fpscr: IOC });
    expect(runOp('vmul', 0, { 1: qnan, 2: 0x3f800000 })).toEqual({ res: qnan, fpscr: 0 });
    // VSUB propagates the subtrahend NaN unchanged (its sign is not flipped).
    expect(runOp('vsub', 0, { 1: 0, 2: 0x7fc00001 })).toEqual({ res: 0x7fc00001, fpscr: 0 });
    expect(runOp('vmul', 1 << 25, { 1: qnan, 2: 0x3f800000 }).res).toBe(0x7fc00000);
    // VFMA: the addend (Sd) is the first operand.
    expect(runOp('vfma', 0, { 0: 0x7fc00001, 1: 0x7fc00002, 2: 0 }).res).toBe(0x7fc00001);
    // ...but a quiet NaN addend does not hide inf * 0 (default NaN, IOC).
    expect(runOp('vfma', 0, { 0: 0x7fc00001, 1: 0x7f800000, 2: 0 })).toEqual({
      res: 0x7fc00000,
      fpscr: IOC,
    });
  });

  test('invalid operations, division by zero and infinities', () => {
    expect(runOp('vadd', 0, { 1: 0x7f800000, 2: 0xff800000 })).toEqual({
      res: 0x7fc00000,
      fpscr: IOC,
    });
    expect(runOp('vmul', 0, { 1: 0x7f800000, 2: 0x80000000 })).toEqual({
      res: 0x7fc00000,
      fpscr: IOC,
    });
    expect(runOp('vdiv', 0, { 1: 0xbf800000, 2: 0 })).toEqual({ res: 0xff800000, fpscr: DZC });
    expect(runOp('vdiv', 0, { 1: 0, 2: 0x80000000 })).toEqual({ res: 0x7fc00000, fpscr: IOC });
    expect(runOp('vsqrt', 0, { 2: 0xbf800000 })).toEqual({ res: 0x7fc00000, fpscr: IOC });
    expect(runOp('vsqrt', 0, { 2: 0x80000000 })).toEqual({ res: 0x80000000, fpscr: 0 });
    expect(runOp('vsub', 0, { 1: 0x7f800000, 2: 0x7f7fffff })).toEqual({
      res: 0x7f800000,
      fpscr: 0,
    });
  });

  test('flush-to-zero: denormal inputs count as zero (IDC), tiny results flush (UFC)', () => {
    const fz = 1 << 24;
    expect(runOp('vadd', fz, { 1: 0x00000005, 2: 0x3f800000 })).toEqual({
      res: 0x3f800000,
      fpscr: fz | IDC,
    });
    expect(runOp('vmul', fz, { 1: 0x00800000, 2: 0x3f000000 })).toEqual({
      res: 0,
      fpscr: fz | UFC,
    });
    expect(runOp('vmul', 0, { 1: 0x00800000, 2: 0x3f000000 })).toEqual({
      res: 0x00400000,
      fpscr: 0,
    });
  });

  test('float <-> integer conversions: VCVT rounds toward zero, VCVTR uses FPSCR, both saturate', () => {
    const xs = [
      ...floats(4242, 80),
      0x4f000000,
      0xcf000000,
      0x4f800000,
      0x3f000000,
      0x3fc00000,
      0x40200000,
      0xbfc00000,
      0x7fc00000,
    ];
    const f32 = (b: number): number => new Float32Array(new Uint32Array([b]).buffer)[0]!;
    for (const x of xs) {
      const nan = (x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0;
      for (let mode = 0 as Mode; mode < 4; mode = (mode + 1) as Mode) {
        for (const [label, unsigned, rz] of [
          ['cvt_s32', false, true],
          ['cvt_u32', true, true],
          ['cvtr_s32', false, false],
          ['cvtr_u32', true, false],
        ] as const) {
          const want = nan
            ? { bits: 0, flags: IOC }
            : toFixedRef(x, 32, 0, unsigned, rz ? 3 : mode);
          const got = runOp(label, mode << 22, { 1: x });
          expect([got.res, got.fpscr & 0x9f], `${label} ${x.toString(16)} mode ${mode}`).toEqual([
            want.bits,
            want.flags,
          ]);
        }
      }
    }
    for (const i of [0, 1, -1, 0x7fffffff, -0x80000000, 0x1000001, 0xffffff, 12345678, -16777217]) {
      for (let mode = 0 as Mode; mode < 4; mode = (mode + 1) as Mode) {
        const ws = i === 0 ? { bits: 0, flags: 0 } : rounded({ m: BigInt(i), e: 0 }, mode);
        expect(runOp('cvt_f_s32', mode << 22, { 1: i >>> 0 }).res, `s32 ${i}`).toBe(ws.bits);
        const u = i >>> 0;
        const wu = u === 0 ? { bits: 0, flags: 0 } : rounded({ m: BigInt(u), e: 0 }, mode);
        expect(runOp('cvt_f_u32', mode << 22, { 1: u }).res, `u32 ${u}`).toBe(wu.bits);
      }
    }
    expect(f32(runOp('cvt_f_s32', 0, { 1: 7 }).res)).toBe(7);
  });

  test('fixed-point conversions in place', () => {
    for (const x of floats(77, 60)) {
      const w16 = toFixedRef(x, 16, 7, false, 3);
      const got16 = runOp('cvt_s16_fix', 0, { 0: x });
      expect(got16.res, `s16 ${x.toString(16)}`).toBe(((w16.bits << 16) >> 16) >>> 0);
      expect(got16.fpscr & 0x9f).toBe(w16.flags);
      const w32 = toFixedRef(x, 32, 20, true, 3);
      expect(runOp('cvt_u32_fix', 0, { 0: x }).res, `u32 ${x.toString(16)}`).toBe(w32.bits);
    }
    for (const v of [0x7fff, 0x8000, 0x1234, 0xffff, 0xabcd8001]) {
      const sv = (v << 16) >> 16;
      const want = sv === 0 ? 0 : rounded({ m: BigInt(sv), e: -3 }, 0).bits;
      expect(runOp('cvt_f_s16_fix', 0, { 0: v }).res).toBe(want);
      const wu = rounded({ m: BigInt(v >>> 0), e: -31 }, 0).bits;
      expect(runOp('cvt_f_u32_fix', 0, { 0: v }).res).toBe(wu);
    }
  });

  test('half precision: every F16 converts exactly; F32 -> F16 rounds like the reference', () => {
    for (let h = 0; h < 0x10000; h += 1) {
      const ex = (h >>> 10) & 0x1f;
      if (ex === 0x1f) continue;
      const want = (h & 0x7fff) === 0 ? (h << 16) >>> 0 : round(decode16(h), 0).bits;
      const got = runOp(h & 1 ? 'cvtt_from16' : 'cvtb_from16', 0, {
        1: h & 1 ? (h << 16) >>> 0 : h,
      });
      if (got.res !== want)
        expect(got.res.toString(16), `f16 ${h.toString(16)}`).toBe(want.toString(16));
    }
    for (const x of floats(99, 200)) {
      if ((x & 0x7fffffff) === 0) continue;
      for (let mode = 0 as Mode; mode < 4; mode = (mode + 1) as Mode) {
        const r = round(decode32(x), mode, 5, 10);
        const flags = (r.inexact ? IXC : 0) | (r.overflow ? OFC : 0) | (r.underflow ? UFC : 0);
        const b = runOp('cvtb_to16', mode << 22, { 0: 0xdead0000, 1: x });
        expect([b.res.toString(16), b.fpscr & 0x9f], `to16 ${x.toString(16)} mode ${mode}`).toEqual(
          [((0xdead0000 | r.bits) >>> 0).toString(16), flags],
        );
        const t = runOp('cvtt_to16', mode << 22, { 0: 0x0000beef, 1: x });
        expect(t.res, `to16t ${x.toString(16)}`).toBe(((r.bits << 16) | 0xbeef) >>> 0);
      }
    }
  });

  test('VCMP/VCMPE set FPSCR.NZCV; VCMPE signals on quiet NaNs', () => {
    const cases: Array<[number, number, number]> = [
      [0x3f800000, 0x40000000, 0b1000],
      [0x40000000, 0x3f800000, 0b0010],
      [0x80000000, 0x00000000, 0b0110],
      [0x7fc00000, 0x3f800000, 0b0011],
    ];
    for (const [a, b, nzcv] of cases) {
      const r = runOp('vcmp', 0, { 1: a, 2: b });
      expect(r.fpscr >>> 28).toBe(nzcv);
      expect(r.fpscr & IOC).toBe(0);
    }
    expect(runOp('vcmpe', 0, { 1: 0x7fc00000, 2: 0 }).fpscr & IOC).toBe(IOC);
    expect(runOp('vcmp', 0, { 1: 0x7f800001, 2: 0 }).fpscr & IOC).toBe(IOC);
    expect(runOp('vcmp0', 0, { 1: 0xbf800000 }).fpscr >>> 28).toBe(0b1000);
  });

  test('VMRS APSR_nzcv drives conditional execution after a compare', () => {
    const want: Array<[number, number, number]> = [
      [0x40000000, 0x3f800000, 1],
      [0x3f800000, 0x40000000, 2],
      [0x3f800000, 0x3f800000, 3],
      [0x7fc00000, 0x3f800000, 4],
    ];
    for (const [a, b, r0] of want) {
      s.cpu.su[0] = a;
      s.cpu.su[1] = b;
      s.run('cmp_branch');
      expect(s.reg(0)).toBe(r0);
    }
  });

  test('VMOV immediates expand as VFPExpandImm says', () => {
    s.run('vmov_imm');
    expect([...s.cpu.s.slice(0, 4)]).toEqual([1, -0.125, 31, 0.1875]);
  });

  test('VLDR/VSTR/VLDM/VSTM/VPUSH/VPOP and core transfers move the right words', () => {
    const words = Array.from({ length: 16 }, (_, k) => (0x11111111 * (k + 1)) >>> 0);
    const base = RAM + 0x200;
    const bytes = new Uint8Array(new Uint32Array(words).buffer);
    s.m.mem.load(base, bytes);
    s.cpu.su[16] = 0xaaaa0001;
    s.cpu.su[17] = 0xaaaa0002;
    s.cpu.su[18] = 0xaaaa0003;
    s.cpu.su[19] = 0xaaaa0004;
    s.run('vldst', { 1: base, 2: RAM + 0x1000 });
    const c = s.cpu;
    expect(c.su[0]).toBe(words[1]);
    expect([c.su[2], c.su[3]]).toEqual([words[2], words[3]]);
    expect(s.m.mem.peek32(base - 4)).toBe(words[1]);
    expect([c.su[4], c.su[5], c.su[6], c.su[7]]).toEqual(words.slice(0, 4));
    // vstmdb r1! wrote s4,s5 below the incremented base and left r1 there.
    expect(s.reg(1)).toBe(base + 16 - 8);
    expect(s.m.mem.peek32(base + 8)).toBe(words[0]);
    expect([c.su[20], c.su[21], c.su[22], c.su[23]]).toEqual([
      0xaaaa0001, 0xaaaa0002, 0xaaaa0003, 0xaaaa0004,
    ]);
    expect(s.reg(13)).toBe(RAM + 0x1000);
    expect(c.su[24]).toBe(0xaaaa0001);
    expect([s.reg(4), s.reg(5)]).toEqual([words[0], words[1]]);
    expect([c.su[26], c.su[27]]).toEqual([words[0], words[1]]);
  });
});

if (!armToolchain) test.skip(`FPv4-SP: ${SKIP_REASON}`, () => {});
