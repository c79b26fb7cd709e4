// FPv4-SP executors: VFP loads/stores, register transfers, arithmetic,
// compares and conversions. Register numbers are single-precision indices;
// a D register k is the pair S[2k] (low word), S[2k+1].

import type { Cpu } from './cpu.ts';
import { AccessFault } from './faults.ts';
import {
  clearFlags,
  f16ToF32,
  f32ToF16,
  fixedToFp,
  flags,
  fpAbs,
  fpAdd,
  fpCompare,
  fpDiv,
  fpMul,
  fpMulAdd,
  fpNeg,
  fpSqrt,
  fpSub,
  fpToFixed,
} from './fpu.ts';
import type { Exec } from './insn.ts';

const FPSCR_WRITABLE = 0xf7c0009f;

function commit(c: Cpu): void {
  if (flags !== 0) {
    c.fpscr |= flags;
    clearFlags();
  }
}

function aligned(addr: number, access: 'read' | 'write'): void {
  if ((addr & 3) !== 0) throw new AccessFault('unaligned', addr >>> 0, access, 4);
}

// ---- loads and stores: i.list = words (1 or 2) ----

/** VLDR: i.rd first S index, i.imm signed offset, literal when i.rn = 15 (i.target). */
export const x_vldr: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  const addr = i.rn === 15 ? i.target : (c.r[i.rn]! + i.imm) | 0;
  aligned(addr, 'read');
  c.su[i.rd] = c.mem.read32(addr);
  if (i.list === 2) c.su[i.rd + 1] = c.mem.read32(addr + 4);
};
export const x_vstr: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  const addr = (c.r[i.rn]! + i.imm) | 0;
  aligned(addr, 'write');
  c.mem.write32(addr, c.su[i.rd]!);
  if (i.list === 2) c.mem.write32(addr + 4, c.su[i.rd + 1]!);
};
/** VLDM/VSTM/VPUSH/VPOP: i.imm 0 increment-after / 1 decrement-before, i.imm2 writeback, i.ra = 1 for store. */
export const x_vldstm: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  const base = c.r[i.rn]!;
  const bytes = 4 * i.list;
  let addr = i.imm === 0 ? base : (base - bytes) | 0;
  aligned(addr, i.ra ? 'write' : 'read');
  const m = c.mem;
  const su = c.su;
  for (let k = 0; k < i.list; k++) {
    if (i.ra) m.write32(addr, su[i.rd + k]!);
    else su[i.rd + k] = m.read32(addr);
    addr += 4;
  }
  if (i.imm2) c.r[i.rn] = i.imm === 0 ? (base + bytes) | 0 : (base - bytes) | 0;
};

// ---- transfers ----

/** VMOV Sn <- Rt (i.imm = 0) or Rt <- Sn (i.imm = 1); i.rn = S index, i.rd = Rt. */
export const x_vmov_core: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  if (i.imm) c.r[i.rd] = c.su[i.rn]!;
  else c.su[i.rn] = c.r[i.rd]!;
};
/** VMOV two core registers <-> two S / one D: i.rd = Rt, i.ra = Rt2, i.rm = first S, i.imm = 1 to core. */
export const x_vmov_pair: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  if (i.imm) {
    c.r[i.rd] = c.su[i.rm]!;
    c.r[i.ra] = c.su[i.rm + 1]!;
  } else {
    c.su[i.rm] = c.r[i.rd]!;
    c.su[i.rm + 1] = c.r[i.ra]!;
  }
};
/** VMRS Rt, FPSCR (Rt = 15: APSR_nzcv). */
export const x_vmrs: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  if (i.rd === 15) c.setNzcvq((c.fpscr & 0xf0000000) | (c.qf << 27));
  else c.r[i.rd] = c.fpscr;
};
export const x_vmsr: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  c.fpscr = (c.r[i.rd]! & FPSCR_WRITABLE) >>> 0;
};
export const x_vmov_imm: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  c.su[i.rd] = i.imm;
};
export const x_vmov_reg: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  c.su[i.rd] = c.su[i.rm]!;
};
export const x_vabs: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  c.su[i.rd] = fpAbs(c.su[i.rm]!);
};
export const x_vneg: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  c.su[i.rd] = fpNeg(c.su[i.rm]!);
};

// ---- arithmetic ----

export const x_vadd: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  c.su[i.rd] = fpAdd(c.su[i.rn]!, c.su[i.rm]!, c.fpscr);
  commit(c);
};
export const x_vsub: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  c.su[i.rd] = fpSub(c.su[i.rn]!, c.su[i.rm]!, c.fpscr);
  commit(c);
};
export const x_vmul: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  c.su[i.rd] = fpMul(c.su[i.rn]!, c.su[i.rm]!, c.fpscr);
  commit(c);
};
export const x_vnmul: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  c.su[i.rd] = fpNeg(fpMul(c.su[i.rn]!, c.su[i.rm]!, c.fpscr));
  commit(c);
};
export const x_vdiv: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  c.su[i.rd] = fpDiv(c.su[i.rn]!, c.su[i.rm]!, c.fpscr);
  commit(c);
};
export const x_vsqrt: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  c.su[i.rd] = fpSqrt(c.su[i.rm]!, c.fpscr);
  commit(c);
};

/**
 * Chained multiply-accumulate (two roundings). i.imm selects:
 * 0 VMLA d+p, 1 VMLS d-p, 2 VNMLS -d+p, 3 VNMLA -d-p.
 */
export const x_vmla: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  const f = c.fpscr;
  const p = fpMul(c.su[i.rn]!, c.su[i.rm]!, f);
  const d = c.su[i.rd]!;
  switch (i.imm) {
    case 0:
      c.su[i.rd] = fpAdd(d, p, f);
      break;
    case 1:
      c.su[i.rd] = fpAdd(d, fpNeg(p), f);
      break;
    case 2:
      c.su[i.rd] = fpAdd(fpNeg(d), p, f);
      break;
    default:
      c.su[i.rd] = fpAdd(fpNeg(d), fpNeg(p), f);
  }
  commit(c);
};

/** Fused: i.imm bit0 negates Sn (VFMS, VFNMA), bit1 negates Sd (VFNMA, VFNMS). */
export const x_vfma: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  const n = c.su[i.rn]!;
  const d = c.su[i.rd]!;
  c.su[i.rd] = fpMulAdd(i.imm & 2 ? fpNeg(d) : d, i.imm & 1 ? fpNeg(n) : n, c.su[i.rm]!, c.fpscr);
  commit(c);
};

/** VCMP/VCMPE: i.imm = 1 for E, i.rm < 0 compares with +0. */
export const x_vcmp: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  const nzcv = fpCompare(c.su[i.rd]!, i.rm < 0 ? 0 : c.su[i.rm]!, c.fpscr, i.imm === 1);
  c.fpscr = ((c.fpscr & 0x0fffffff) | (nzcv << 28)) >>> 0;
  commit(c);
};

// ---- conversions ----

/** VCVT{R}.{S32,U32}.F32: i.imm bit0 = signed, bit1 = round toward zero. */
export const x_vcvt_f2i: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  c.su[i.rd] = fpToFixed(c.su[i.rm]!, 32, 0, (i.imm & 1) === 0, (i.imm & 2) !== 0, c.fpscr);
  commit(c);
};
/** VCVT.F32.{S32,U32}: i.imm = 1 signed. */
export const x_vcvt_i2f: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  const v = i.imm ? c.su[i.rm]! | 0 : c.su[i.rm]!;
  c.su[i.rd] = fixedToFp(v, 0, c.fpscr, false);
  commit(c);
};
/**
 * VCVT between F32 and fixed point in place (Sd): i.imm bit0 = to fixed,
 * bit1 = unsigned; i.imm2 = size (16/32); i.list = fraction bits.
 */
export const x_vcvt_fixed: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  const size = i.imm2;
  const unsigned = (i.imm & 2) !== 0;
  const v = c.su[i.rd]!;
  if (i.imm & 1) {
    const res = fpToFixed(v, size, i.list, unsigned, true, c.fpscr);
    c.su[i.rd] = size === 16 ? (unsigned ? res & 0xffff : (res << 16) >> 16) : res;
  } else {
    const src = size === 16 ? (unsigned ? v & 0xffff : (v << 16) >> 16) : unsigned ? v : v | 0;
    c.su[i.rd] = fixedToFp(src, i.list, c.fpscr, false);
  }
  commit(c);
};
/** VCVTB/VCVTT: i.imm bit0 = to F16, bit1 = top half (T). */
export const x_vcvt_f16: Exec = (c, i) => {
  if (!c.fpReady) c.fpCheck();
  const top = (i.imm & 2) !== 0;
  if (i.imm & 1) {
    const h = f32ToF16(c.su[i.rm]!, c.fpscr);
    const d = c.su[i.rd]!;
    c.su[i.rd] = top ? (d & 0xffff) | (h << 16) : (d & 0xffff0000) | h;
  } else {
    const m = c.su[i.rm]!;
    c.su[i.rd] = f16ToF32(top ? m >>> 16 : m & 0xffff, c.fpscr);
  }
  commit(c);
};
