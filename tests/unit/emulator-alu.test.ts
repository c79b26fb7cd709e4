// Integer data processing, shifts, multiplies, divides, bit operations and
// extends: each instruction is assembled by arm-none-eabi-as, run on seeded
// operands, and compared with a reference written from the ARM ARM's
// definition (BigInt arithmetic, so the references share no code with the
// emulator).

import { beforeAll, describe, expect, test } from 'vitest';
import {
  SKIP_REASON,
  Snippets,
  apsrFlags,
  armToolchain,
  operands,
  s32,
  snippetSource,
  u32,
  type Flags,
} from '../emulator/toolchain.ts';

const B = BigInt;

function nz(res: number): Pick<Flags, 'n' | 'z'> {
  return { n: (res >>> 31) & 1, z: res === 0 ? 1 : 0 };
}

/** AddWithCarry from the ARM ARM. */
function addWithCarry(x: number, y: number, carry: number): { res: number; flags: Flags } {
  const usum = B(u32(x)) + B(u32(y)) + B(carry);
  const ssum = B(s32(x)) + B(s32(y)) + B(carry);
  const res = u32(usum);
  return {
    res,
    flags: { ...nz(res), c: B(res) === usum ? 0 : 1, v: B(s32(res)) === ssum ? 0 : 1 },
  };
}

type Ref = (a: number, b: number, c: number) => { res: number; flags?: Partial<Flags> };

// ---- shifter reference (Shift_C) ----
function shiftC(v: number, type: string, n: number, cin: number): [number, number] {
  const x = B(u32(v));
  if (type === 'rrx') return [u32((B(cin) << 31n) | (x >> 1n)), Number(x & 1n)];
  if (n === 0) return [u32(v), cin];
  switch (type) {
    case 'lsl':
      return [u32(x << B(n)), Number((x << B(n)) >> 32n) & 1];
    case 'lsr':
      return [u32(x >> B(n)), n > 32 ? 0 : Number((x >> B(n - 1)) & 1n)];
    case 'asr': {
      const sx = B(s32(v));
      const k = B(Math.min(n, 32));
      return [u32(sx >> k), Number((sx >> (k - 1n)) & 1n)];
    }
    default: {
      const m = n % 32;
      const r = m === 0 ? u32(v) : u32((x >> B(m)) | (x << B(32 - m)));
      return [r, r >>> 31];
    }
  }
}

const ALU: Array<[string, string, Ref]> = [
  ['adds', 'adds r0, r1, r2', (a, b) => addWithCarry(a, b, 0)],
  ['adds_w', 'adds.w r0, r1, r2, lsl #3', (a, b) => addWithCarry(a, u32(B(b) << 3n), 0)],
  ['subs', 'subs r0, r1, r2', (a, b) => addWithCarry(a, u32(~b), 1)],
  [
    'subs_w',
    'subs.w r0, r1, r2, asr #7',
    (a, b) => addWithCarry(a, u32(~shiftC(b, 'asr', 7, 0)[0]), 1),
  ],
  ['adcs', 'adcs r1, r2; mov r0, r1', (a, b, c) => addWithCarry(a, b, c)],
  ['sbcs', 'sbcs r1, r2; mov r0, r1', (a, b, c) => addWithCarry(a, u32(~b), c)],
  [
    'adc_w',
    'adcs.w r0, r1, r2, ror #5',
    (a, b, c) => addWithCarry(a, shiftC(b, 'ror', 5, c)[0], c),
  ],
  [
    'sbc_w',
    'sbcs.w r0, r1, r2, lsr #1',
    (a, b, c) => addWithCarry(a, u32(~shiftC(b, 'lsr', 1, c)[0]), c),
  ],
  ['rsbs', 'rsbs.w r0, r1, r2', (a, b) => addWithCarry(u32(~a), b, 1)],
  ['negs', 'negs r0, r1', (a) => addWithCarry(u32(~a), 0, 1)],
  [
    'cmp',
    'cmp r1, r2; mov r0, #0',
    (a, b) => ({ res: 0, flags: addWithCarry(a, u32(~b), 1).flags }),
  ],
  ['cmn', 'cmn.w r1, r2; mov r0, #0', (a, b) => ({ res: 0, flags: addWithCarry(a, b, 0).flags })],
  [
    'ands',
    'ands.w r0, r1, r2, lsl #4',
    (a, b, c) => logic(a & shiftC(b, 'lsl', 4, c)[0], shiftC(b, 'lsl', 4, c)[1]),
  ],
  ['orrs', 'orrs r1, r2; mov r0, r1', (a, b, c) => logic(a | b, c)],
  [
    'eors',
    'eors.w r0, r1, r2, asr #31',
    (a, b, c) => logic(a ^ shiftC(b, 'asr', 31, c)[0], shiftC(b, 'asr', 31, c)[1]),
  ],
  [
    'bics',
    'bics.w r0, r1, r2, ror #16',
    (a, b, c) => logic(a & ~shiftC(b, 'ror', 16, c)[0], shiftC(b, 'ror', 16, c)[1]),
  ],
  [
    'orns',
    'orns r0, r1, r2, lsr #2',
    (a, b, c) => logic(a | ~shiftC(b, 'lsr', 2, c)[0], shiftC(b, 'lsr', 2, c)[1]),
  ],
  [
    'mvns',
    'mvns.w r0, r2, lsl #31',
    (_a, b, c) => logic(~shiftC(b, 'lsl', 31, c)[0], shiftC(b, 'lsl', 31, c)[1]),
  ],
  [
    'tst',
    'tst.w r1, r2, lsr #32; mov r0, #0',
    (a, b, c) => ({
      res: 0,
      flags: logic(a & shiftC(b, 'lsr', 32, c)[0], shiftC(b, 'lsr', 32, c)[1]).flags,
    }),
  ],
  ['teq', 'teq r1, r2; mov r0, #0', (a, b, c) => ({ res: 0, flags: logic(a ^ b, c).flags })],
  ['lsls_imm', 'lsls r0, r1, #5', (a, _b, c) => logicShift(a, 'lsl', 5, c)],
  ['lsrs_imm', 'lsrs r0, r1, #32', (a, _b, c) => logicShift(a, 'lsr', 32, c)],
  ['asrs_imm', 'asrs r0, r1, #17', (a, _b, c) => logicShift(a, 'asr', 17, c)],
  ['rors_imm', 'rors.w r0, r1, #3', (a, _b, c) => logicShift(a, 'ror', 3, c)],
  ['rrxs', 'rrxs r0, r1', (a, _b, c) => logicShift(a, 'rrx', 1, c)],
  ['lsls_reg', 'lsls r1, r2; mov r0, r1', (a, b, c) => logicShift(a, 'lsl', b & 0xff, c)],
  ['lsrs_reg', 'lsrs.w r0, r1, r2', (a, b, c) => logicShift(a, 'lsr', b & 0xff, c)],
  ['asrs_reg', 'asrs r1, r2; mov r0, r1', (a, b, c) => logicShift(a, 'asr', b & 0xff, c)],
  ['rors_reg', 'rors.w r0, r1, r2', (a, b, c) => logicShift(a, 'ror', b & 0xff, c)],
  // modified immediates (the carry comes from the rotation when there is one)
  ['ands_imm', 'ands r0, r1, #0xff000000', (a, _b, c) => logic(a & 0xff000000, 1 | (c & 0))],
  ['orrs_imm', 'orrs r0, r1, #0x00ab00ab', (a, _b, c) => logic(a | 0x00ab00ab, c)],
  ['adds_imm', 'adds.w r0, r1, #0x3fc', (a) => addWithCarry(a, 0x3fc, 0)],
  ['subs_imm', 'subs.w r0, r1, #0xab00ab00', (a) => addWithCarry(a, u32(~0xab00ab00), 1)],
  [
    'cmp_imm',
    'cmp.w r1, #0x80000000; mov r0, #0',
    (a) => ({ res: 0, flags: addWithCarry(a, 0x7fffffff, 1).flags }),
  ],
  ['adc_imm', 'adc r0, r1, #0x10000', (a, _b, c) => ({ res: addWithCarry(a, 0x10000, c).res })],
  ['rsb_imm', 'rsb r0, r1, #100', (a) => ({ res: u32(100 - a) })],
  ['addw', 'addw r0, r1, #4095', (a) => ({ res: u32(a + 4095) })],
  ['subw', 'subw r0, r1, #2049', (a) => ({ res: u32(a - 2049) })],
  ['movw_movt', 'movw r0, #0xbeef; movt r0, #0xdead', () => ({ res: 0xdeadbeef })],
  ['movt_keeps', 'mov r0, r1; movt r0, #0x1234', (a) => ({ res: u32(0x12340000 + (a & 0xffff)) })],
  // multiplies and divides
  [
    'mul16',
    'muls r1, r2, r1; mov r0, r1',
    (a, b) => ({ res: u32(B(a) * B(b)), flags: nz(u32(B(a) * B(b))) }),
  ],
  ['mla', 'mla r0, r1, r2, r3', (a, b, _c, d = 0) => ({ res: u32(B(a) * B(b) + B(d)) })],
  ['mls', 'mls r0, r1, r2, r3', (a, b, _c, d = 0) => ({ res: u32(B(d) - B(a) * B(b)) })],
  ['sdiv', 'sdiv r0, r1, r2', (a, b) => ({ res: b === 0 ? 0 : u32(B(s32(a)) / B(s32(b))) })],
  ['udiv', 'udiv r0, r1, r2', (a, b) => ({ res: b === 0 ? 0 : u32(B(a) / B(b)) })],
  // bit manipulation
  ['clz', 'clz r0, r1', (a) => ({ res: a === 0 ? 32 : 31 - Math.floor(Math.log2(a)) })],
  [
    'rbit',
    'rbit r0, r1',
    (a) => ({ res: parseInt(a.toString(2).padStart(32, '0').split('').reverse().join(''), 2) }),
  ],
  [
    'rev',
    'rev r0, r1',
    (a) => ({
      res: u32(
        (B(a & 0xff) << 24n) |
          (B((a >>> 8) & 0xff) << 16n) |
          (B((a >>> 16) & 0xff) << 8n) |
          B(a >>> 24),
      ),
    }),
  ],
  [
    'rev16',
    'rev16.w r0, r1',
    (a) => ({
      res: u32(
        ((a & 0xff) << 8) |
          ((a >>> 8) & 0xff) |
          (((a >>> 16) & 0xff) << 24) |
          (((a >>> 24) & 0xff) << 16),
      ),
    }),
  ],
  [
    'revsh',
    'revsh r0, r1',
    (a) => ({ res: u32(s32(((a & 0xff) << 24) >> 16) | ((a >>> 8) & 0xff)) }),
  ],
  ['ubfx', 'ubfx r0, r1, #7, #13', (a) => ({ res: (a >>> 7) & 0x1fff })],
  ['sbfx', 'sbfx r0, r1, #20, #12', (a) => ({ res: u32(s32(a << 0) >> 20) })],
  ['sbfx_full', 'sbfx r0, r1, #0, #32', (a) => ({ res: a })],
  [
    'bfi',
    'mov r0, r2; bfi r0, r1, #9, #11',
    (a, b) => ({ res: u32((b & ~(0x7ff << 9)) | ((a & 0x7ff) << 9)) }),
  ],
  ['bfc', 'mov r0, r2; bfc r0, #31, #1', (_a, b) => ({ res: u32(b & 0x7fffffff) })],
  // extends (with rotation and accumulation)
  ['sxtb', 'sxtb r0, r1', (a) => ({ res: u32((a << 24) >> 24) })],
  ['uxth', 'uxth.w r0, r1, ror #8', (a) => ({ res: shiftC(a, 'ror', 8, 0)[0] & 0xffff })],
  ['sxtah', 'sxtah r0, r2, r1, ror #16', (a, b) => ({ res: u32(b + ((a >> 16) << 0)) })],
  [
    'uxtab',
    'uxtab r0, r2, r1, ror #24',
    (a, b) => ({ res: u32(b + (shiftC(a, 'ror', 24, 0)[0] & 0xff)) }),
  ],
  ['sxtb16', 'sxtb16 r0, r1, ror #8', (a) => ({ res: sxtb16(shiftC(a, 'ror', 8, 0)[0], 0) })],
  ['sxtab16', 'sxtab16 r0, r2, r1', (a, b) => ({ res: sxtb16(a, b) })],
  ['uxtb16', 'uxtb16 r0, r1', (a) => ({ res: a & 0x00ff00ff })],
  [
    'uxtab16',
    'uxtab16 r0, r2, r1, ror #8',
    (a, b) => ({ res: uxtab16(shiftC(a, 'ror', 8, 0)[0], b) }),
  ],
];

function logic(res: number, c: number): { res: number; flags: Partial<Flags> } {
  const r = u32(res);
  return { res: r, flags: { ...nz(r), c } };
}

function logicShift(
  a: number,
  type: string,
  n: number,
  cin: number,
): { res: number; flags: Partial<Flags> } {
  const [r, c] = shiftC(a, type, n, cin);
  return { res: r, flags: { ...nz(r), c } };
}

function sxtb16(v: number, acc: number): number {
  const lo = ((v << 24) >> 24) + ((acc << 16) >> 16);
  const hi = ((v << 8) >> 24) + (acc >> 16);
  return u32((lo & 0xffff) | (hi << 16));
}

function uxtab16(v: number, acc: number): number {
  const lo = (v & 0xff) + (acc & 0xffff);
  const hi = ((v >>> 16) & 0xff) + (acc >>> 16);
  return u32((lo & 0xffff) | (hi << 16));
}

describe.skipIf(!armToolchain)('integer instructions against ARM ARM references', () => {
  let s: Snippets;
  beforeAll(() => {
    s = new Snippets(snippetSource(ALU.map(([label, body]) => [label, body] as const)));
  });

  test.each(ALU.map(([label, body, ref]) => [label, body, ref] as const))(
    '%s (%s)',
    (label, _body, ref) => {
      const ops = operands(label.length * 7919 + label.charCodeAt(0), 48);
      let checked = 0;
      for (let k = 0; k < ops.length; k++) {
        const a = ops[k]!;
        const b =
          label === 'udiv' || label === 'sdiv'
            ? ops[(k * 5 + 3) % ops.length]! >>> (k % 31)
            : ops[(k * 7 + 1) % ops.length]!;
        const d = ops[(k * 3 + 2) % ops.length]!;
        const carry = k & 1;
        const cpu = s.cpu;
        cpu.cf = carry;
        // Set C before the run (the snippet runner clears registers but not flags).
        const res = s.run(label, { 1: a, 2: b, 3: d });
        expect(res.reason).toBe('bkpt');
        const want = (ref as (a: number, b: number, c: number, d: number) => ReturnType<Ref>)(
          a,
          b,
          carry,
          d,
        );
        const got = s.reg(0);
        expect(got, `${label}(${a.toString(16)}, ${b.toString(16)}, c=${carry})`).toBe(
          want.res >>> 0,
        );
        if (want.flags) {
          const f = apsrFlags(s.reg(12));
          for (const [k2, v] of Object.entries(want.flags)) {
            expect(
              f[k2 as keyof Flags],
              `${label} flag ${k2} for ${a.toString(16)}, ${b.toString(16)}`,
            ).toBe(v);
          }
        }
        checked++;
      }
      expect(checked).toBe(ops.length);
    },
  );

  test('SDIV of INT_MIN by -1 and division by zero give the architected results', () => {
    s.run('sdiv', { 1: 0x80000000, 2: 0xffffffff });
    expect(s.reg(0)).toBe(0x80000000);
    s.run('udiv', { 1: 1234, 2: 0 });
    expect(s.reg(0)).toBe(0);
  });
});

if (!armToolchain) test.skip(`integer instructions: ${SKIP_REASON}`, () => {});
