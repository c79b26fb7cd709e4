// Multiplies (long and DSP), saturation, parallel add/subtract, packing and
// the other ARMv7E-M DSP-extension operations. Products of 16-bit halves and
// 32x16 products are exact in doubles; 32x32 products use alu.smul64/umul64.

import {
  add64,
  clearSaturated,
  hi32,
  saturated,
  shiftC,
  smul64,
  ssat,
  sub64,
  umul64,
  usat,
} from './alu.ts';
import type { Cpu } from './cpu.ts';
import type { Exec } from './insn.ts';

const lo16 = (v: number): number => (v << 16) >> 16;
const hi16 = (v: number): number => v >> 16;
const half = (v: number, top: number): number => (top ? v >> 16 : (v << 16) >> 16);

/** Adds an exact integer (|v| < 2^53) to the 64-bit accumulator RdHi:RdLo. */
function accumulate(c: Cpu, rdlo: number, rdhi: number, v: number): void {
  const vhi = Math.floor(v / 4294967296);
  const vlo = v - vhi * 4294967296;
  c.r[rdlo] = add64(c.r[rdlo]!, c.r[rdhi]!, vlo | 0, vhi | 0);
  c.r[rdhi] = hi32;
}

// ---- long multiplies: i.rd = RdLo, i.ra = RdHi ----

export const x_smull: Exec = (c, i) => {
  const lo = smul64(c.r[i.rn]!, c.r[i.rm]!);
  c.r[i.rd] = lo;
  c.r[i.ra] = hi32;
};
export const x_umull: Exec = (c, i) => {
  const lo = umul64(c.r[i.rn]!, c.r[i.rm]!);
  c.r[i.rd] = lo;
  c.r[i.ra] = hi32;
};
export const x_smlal: Exec = (c, i) => {
  const lo = smul64(c.r[i.rn]!, c.r[i.rm]!);
  const hi = hi32;
  c.r[i.rd] = add64(c.r[i.rd]!, c.r[i.ra]!, lo, hi);
  c.r[i.ra] = hi32;
};
export const x_umlal: Exec = (c, i) => {
  const lo = umul64(c.r[i.rn]!, c.r[i.rm]!);
  const hi = hi32;
  c.r[i.rd] = add64(c.r[i.rd]!, c.r[i.ra]!, lo, hi);
  c.r[i.ra] = hi32;
};
export const x_umaal: Exec = (c, i) => {
  const lo = umul64(c.r[i.rn]!, c.r[i.rm]!);
  const hi = hi32;
  const l1 = add64(lo, hi, c.r[i.rd]!, 0);
  const h1 = hi32;
  c.r[i.rd] = add64(l1, h1, c.r[i.ra]!, 0);
  c.r[i.ra] = hi32;
};

// ---- halfword multiplies: i.imm = N (top half of Rn), i.imm2 = M (top half of Rm) ----

export const x_smulxy: Exec = (c, i) => {
  c.r[i.rd] = half(c.r[i.rn]!, i.imm) * half(c.r[i.rm]!, i.imm2);
};
export const x_smlaxy: Exec = (c, i) => {
  const sum = half(c.r[i.rn]!, i.imm) * half(c.r[i.rm]!, i.imm2) + c.r[i.ra]!;
  const res = sum | 0;
  if (res !== sum) c.qf = 1;
  c.r[i.rd] = res;
};
export const x_smlalxy: Exec = (c, i) => {
  accumulate(c, i.rd, i.ra, half(c.r[i.rn]!, i.imm) * half(c.r[i.rm]!, i.imm2));
};
/** SMULWy: (Rn * Rm.y) >> 16 (i.imm2 = y). */
export const x_smulwy: Exec = (c, i) => {
  const p = c.r[i.rn]! * half(c.r[i.rm]!, i.imm2);
  c.r[i.rd] = Math.floor(p / 65536) | 0;
};
/** SMLAWy: (Rn * Rm.y + Ra << 16) >> 16, Q on overflow. */
export const x_smlawy: Exec = (c, i) => {
  const p = c.r[i.rn]! * half(c.r[i.rm]!, i.imm2) + c.r[i.ra]! * 65536;
  const q = Math.floor(p / 65536);
  const res = q | 0;
  if (res !== q) c.qf = 1;
  c.r[i.rd] = res;
};

// ---- dual 16-bit multiplies: i.imm = X (swap Rm halves); i.ra < 0: no accumulate ----

function dualProducts(c: Cpu, rn: number, rm: number, x: number): [number, number] {
  const a = c.r[rn]!;
  const b = c.r[rm]!;
  return x ? [lo16(a) * hi16(b), hi16(a) * lo16(b)] : [lo16(a) * lo16(b), hi16(a) * hi16(b)];
}

export const x_smlad: Exec = (c, i) => {
  const [p1, p2] = dualProducts(c, i.rn, i.rm, i.imm);
  const sum = p1 + p2 + (i.ra < 0 ? 0 : c.r[i.ra]!);
  const res = sum | 0;
  if (res !== sum) c.qf = 1;
  c.r[i.rd] = res;
};
export const x_smlsd: Exec = (c, i) => {
  const [p1, p2] = dualProducts(c, i.rn, i.rm, i.imm);
  const sum = p1 - p2 + (i.ra < 0 ? 0 : c.r[i.ra]!);
  const res = sum | 0;
  if (res !== sum) c.qf = 1;
  c.r[i.rd] = res;
};
/** SMLALD / SMLSLD: i.rd = RdLo, i.ra = RdHi, i.imm2 = 1 for subtract. */
export const x_smlald: Exec = (c, i) => {
  const [p1, p2] = dualProducts(c, i.rn, i.rm, i.imm);
  accumulate(c, i.rd, i.ra, i.imm2 ? p1 - p2 : p1 + p2);
};

// ---- most-significant-word multiplies: i.imm = R (round), i.imm2 = 0 SMMUL/SMMLA, 1 SMMLS ----

export const x_smmla: Exec = (c, i) => {
  const lo = smul64(c.r[i.rn]!, c.r[i.rm]!);
  const hi = hi32;
  const acc = i.ra < 0 ? 0 : c.r[i.ra]!;
  let rlo: number;
  if (i.imm2 === 1) rlo = sub64(0, acc, lo, hi);
  else rlo = add64(lo, hi, 0, acc);
  let rhi = hi32;
  if (i.imm) {
    add64(rlo, rhi, 0x80000000 | 0, 0);
    rhi = hi32;
  }
  c.r[i.rd] = rhi;
};

// ---- saturation ----

/** SSAT/USAT: i.imm = saturate bits, i.sh/i.ra = shift type/amount of Rn. */
export const x_ssat: Exec = (c, i) => {
  clearSaturated();
  c.r[i.rd] = ssat(shiftC(c.r[i.rn]!, i.sh, i.ra, c.cf), i.imm);
  if (saturated) c.qf = 1;
};
export const x_usat: Exec = (c, i) => {
  clearSaturated();
  c.r[i.rd] = usat(shiftC(c.r[i.rn]!, i.sh, i.ra, c.cf), i.imm);
  if (saturated) c.qf = 1;
};
export const x_ssat16: Exec = (c, i) => {
  clearSaturated();
  const v = c.r[i.rn]!;
  const r0 = ssat(lo16(v), i.imm);
  const r1 = ssat(hi16(v), i.imm);
  c.r[i.rd] = (r0 & 0xffff) | (r1 << 16);
  if (saturated) c.qf = 1;
};
export const x_usat16: Exec = (c, i) => {
  clearSaturated();
  const v = c.r[i.rn]!;
  const r0 = usat(lo16(v), i.imm);
  const r1 = usat(hi16(v), i.imm);
  c.r[i.rd] = (r0 & 0xffff) | (r1 << 16);
  if (saturated) c.qf = 1;
};

/** QADD/QSUB/QDADD/QDSUB Rd, Rm, Rn: i.imm bit0 = subtract, bit1 = double Rn. */
export const x_qaddsub: Exec = (c, i) => {
  clearSaturated();
  let n = c.r[i.rn]!;
  if (i.imm & 2) n = ssat(2 * n, 32);
  const m = c.r[i.rm]!;
  c.r[i.rd] = ssat(i.imm & 1 ? m - n : m + n, 32);
  if (saturated) c.qf = 1;
};

// ---- parallel add/subtract ----
// i.imm2: lane operation 0 ADD16, 1 ASX, 2 SAX, 3 SUB16, 4 ADD8, 5 SUB8
// i.imm:  variant 0 S, 1 Q, 2 SH, 3 U, 4 UQ, 5 UH

export const x_parallel: Exec = (c, i) => {
  const a = c.r[i.rn]!;
  const b = c.r[i.rm]!;
  const op = i.imm2;
  const variant = i.imm;
  const signed = variant < 3;
  let res = 0;
  let ge = 0;
  if (op <= 3) {
    const a0 = signed ? lo16(a) : a & 0xffff;
    const a1 = signed ? hi16(a) : a >>> 16;
    const b0 = signed ? lo16(b) : b & 0xffff;
    const b1 = signed ? hi16(b) : b >>> 16;
    const add0 = op === 0 || op === 2;
    const add1 = op === 0 || op === 1;
    const x0 = op === 1 || op === 2 ? b1 : b0;
    const x1 = op === 1 || op === 2 ? b0 : b1;
    const r0 = add0 ? a0 + x0 : a0 - x0;
    const r1 = add1 ? a1 + x1 : a1 - x1;
    res = (lane(r0, variant, 16) & 0xffff) | (lane(r1, variant, 16) << 16);
    ge = (laneGe(r0, variant, add0, 16) ? 3 : 0) | (laneGe(r1, variant, add1, 16) ? 12 : 0);
  } else {
    const add = op === 4;
    for (let k = 0; k < 4; k++) {
      const ak = signed ? (a << (24 - 8 * k)) >> 24 : (a >>> (8 * k)) & 0xff;
      const bk = signed ? (b << (24 - 8 * k)) >> 24 : (b >>> (8 * k)) & 0xff;
      const rk = add ? ak + bk : ak - bk;
      res |= (lane(rk, variant, 8) & 0xff) << (8 * k);
      if (laneGe(rk, variant, add, 8)) ge |= 1 << k;
    }
  }
  c.r[i.rd] = res;
  if (variant === 0 || variant === 3) c.ge = ge;
};

function lane(r: number, variant: number, bits: number): number {
  switch (variant) {
    case 1:
      return ssat(r, bits);
    case 4:
      return usat(r, bits);
    case 2:
    case 5:
      return r >> 1;
    default:
      return r;
  }
}

function laneGe(r: number, variant: number, add: boolean, bits: number): boolean {
  if (variant === 0) return r >= 0;
  return add ? r >= 1 << bits : r >= 0;
}

export const x_sel: Exec = (c, i) => {
  const a = c.r[i.rn]!;
  const b = c.r[i.rm]!;
  const ge = c.ge;
  let res = 0;
  for (let k = 0; k < 4; k++) res |= ((ge >> k) & 1 ? a : b) & (0xff << (8 * k));
  c.r[i.rd] = res;
};

/** USAD8 / USADA8 (i.ra < 0: no accumulate). */
export const x_usad8: Exec = (c, i) => {
  const a = c.r[i.rn]!;
  const b = c.r[i.rm]!;
  let sum = i.ra < 0 ? 0 : c.r[i.ra]!;
  for (let k = 0; k < 32; k += 8) sum += Math.abs(((a >>> k) & 0xff) - ((b >>> k) & 0xff));
  c.r[i.rd] = sum | 0;
};

/** PKHBT (i.imm2 = 0, LSL) / PKHTB (i.imm2 = 1, ASR); i.ra = shift amount. */
export const x_pkh: Exec = (c, i) => {
  const n = c.r[i.rn]!;
  if (i.imm2 === 0) c.r[i.rd] = (n & 0xffff) | ((c.r[i.rm]! << i.ra) & 0xffff0000);
  else c.r[i.rd] = (n & 0xffff0000) | ((c.r[i.rm]! >> Math.min(i.ra, 31)) & 0xffff);
};
