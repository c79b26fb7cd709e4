// Data-processing executors: arithmetic and logical operations with an
// immediate, a register, or a shifted register as second operand, with and
// without flag setting. The hot combinations are written out; the rest share
// generic bodies parameterised by the instruction's fields.

import { shiftC, shiftCarry } from './alu.ts';
import type { Cpu } from './cpu.ts';
import type { Exec } from './insn.ts';

// ---- flag helpers ----

export function setNZ(c: Cpu, res: number): void {
  c.nf = res;
  c.zf = res;
}

function addFlags(c: Cpu, a: number, b: number, res: number): void {
  c.nf = res;
  c.zf = res;
  c.cf = (a >>> 0) + (b >>> 0) > 0xffffffff ? 1 : 0;
  c.vf = ((a ^ res) & (b ^ res)) >>> 31;
}

function subFlags(c: Cpu, a: number, b: number, res: number): void {
  c.nf = res;
  c.zf = res;
  c.cf = a >>> 0 >= b >>> 0 ? 1 : 0;
  c.vf = ((a ^ b) & (a ^ res)) >>> 31;
}

/** AddWithCarry with flag update; returns the int32 result. */
function adcS(c: Cpu, a: number, b: number, carry: number): number {
  const u = (a >>> 0) + (b >>> 0) + carry;
  const res = u | 0;
  c.nf = res;
  c.zf = res;
  c.cf = u > 0xffffffff ? 1 : 0;
  c.vf = ((a ^ res) & (b ^ res)) >>> 31;
  return res;
}

// ---- operation kinds ----

export const Op = {
  AND: 0,
  BIC: 1,
  ORR: 2,
  ORN: 3,
  EOR: 4,
  ADD: 5,
  ADC: 6,
  SBC: 7,
  SUB: 8,
  RSB: 9,
  MOV: 10,
  MVN: 11,
  TST: 12,
  TEQ: 13,
  CMP: 14,
  CMN: 15,
} as const;
export type Op = (typeof Op)[keyof typeof Op];

function compute(c: Cpu, op: number, a: number, b: number, s: boolean, carry: number): number {
  switch (op) {
    case Op.AND:
    case Op.TST:
      return logic(c, a & b, s, carry);
    case Op.BIC:
      return logic(c, a & ~b, s, carry);
    case Op.ORR:
      return logic(c, a | b, s, carry);
    case Op.ORN:
      return logic(c, a | ~b, s, carry);
    case Op.EOR:
    case Op.TEQ:
      return logic(c, a ^ b, s, carry);
    case Op.MOV:
      return logic(c, b, s, carry);
    case Op.MVN:
      return logic(c, ~b, s, carry);
    case Op.ADD:
    case Op.CMN: {
      const res = (a + b) | 0;
      if (s) addFlags(c, a, b, res);
      return res;
    }
    case Op.SUB:
    case Op.CMP: {
      const res = (a - b) | 0;
      if (s) subFlags(c, a, b, res);
      return res;
    }
    case Op.RSB: {
      const res = (b - a) | 0;
      if (s) subFlags(c, b, a, res);
      return res;
    }
    case Op.ADC:
      if (s) return adcS(c, a, b, c.cf);
      return (a + b + c.cf) | 0;
    case Op.SBC:
      if (s) return adcS(c, a, ~b, c.cf);
      return (a + ~b + c.cf) | 0;
    default:
      return 0;
  }
}

function logic(c: Cpu, res: number, s: boolean, carry: number): number {
  if (s) {
    c.nf = res;
    c.zf = res;
    if (carry >= 0) c.cf = carry;
  }
  return res;
}

/** Tests and compares write no register. */
export function isCompare(op: number): boolean {
  return op === Op.TST || op === Op.TEQ || op === Op.CMP || op === Op.CMN;
}

// Generic bodies: i.imm2 holds the Op (and i.list the immediate carry + 1 for logical ops).

/** Op with immediate operand (i.imm); i.list = carry+1 from ThumbExpandImm (0: unchanged). */
export const x_dp_imm: Exec = (c, i) => {
  const res = compute(c, i.imm2, c.r[i.rn]!, i.imm, i.s, i.list - 1);
  if (!isCompare(i.imm2)) c.r[i.rd] = res;
};

/** Op with shifted register operand: Rm shifted by (i.sh, i.ra) immediate. */
export const x_dp_reg: Exec = (c, i) => {
  const b = shiftC(c.r[i.rm]!, i.sh, i.ra, c.cf);
  const res = compute(c, i.imm2, c.r[i.rn]!, b, i.s, shiftCarry);
  if (!isCompare(i.imm2)) c.r[i.rd] = res;
};

// ---- specialised hot forms ----

export const x_mov_imm: Exec = (c, i) => {
  c.r[i.rd] = i.imm;
};
export const x_movs_imm: Exec = (c, i) => {
  c.r[i.rd] = i.imm;
  c.nf = c.zf = i.imm;
  if (i.list !== 0) c.cf = i.list - 1;
};
export const x_mov_reg: Exec = (c, i) => {
  c.r[i.rd] = c.r[i.rm]!;
};
export const x_movs_reg: Exec = (c, i) => {
  const v = c.r[i.rm]!;
  c.r[i.rd] = v;
  c.nf = c.zf = v;
};
/** MOV PC, Rm (and ADD PC, Rm): BranchWritePC, no interworking. */
export const x_mov_pc: Exec = (c, i) => {
  const v = i.name === 'add' ? (c.r[15]! + c.r[i.rm]!) | 0 : c.r[i.rm]!;
  c.pc = (v & ~1) >>> 0;
  c.cycles += c.refill(c.pc, true);
};

export const x_movt: Exec = (c, i) => {
  c.r[i.rd] = (c.r[i.rd]! & 0xffff) | (i.imm << 16);
};

export const x_add_imm: Exec = (c, i) => {
  c.r[i.rd] = (c.r[i.rn]! + i.imm) | 0;
};
export const x_adds_imm: Exec = (c, i) => {
  const a = c.r[i.rn]!;
  const res = (a + i.imm) | 0;
  c.r[i.rd] = res;
  addFlags(c, a, i.imm, res);
};
export const x_sub_imm: Exec = (c, i) => {
  c.r[i.rd] = (c.r[i.rn]! - i.imm) | 0;
};
export const x_subs_imm: Exec = (c, i) => {
  const a = c.r[i.rn]!;
  const res = (a - i.imm) | 0;
  c.r[i.rd] = res;
  subFlags(c, a, i.imm, res);
};
export const x_cmp_imm: Exec = (c, i) => {
  const a = c.r[i.rn]!;
  subFlags(c, a, i.imm, (a - i.imm) | 0);
};
export const x_cmn_imm: Exec = (c, i) => {
  const a = c.r[i.rn]!;
  addFlags(c, a, i.imm, (a + i.imm) | 0);
};

export const x_add_reg: Exec = (c, i) => {
  c.r[i.rd] = (c.r[i.rn]! + c.r[i.rm]!) | 0;
};
export const x_adds_reg: Exec = (c, i) => {
  const a = c.r[i.rn]!;
  const b = c.r[i.rm]!;
  const res = (a + b) | 0;
  c.r[i.rd] = res;
  addFlags(c, a, b, res);
};
export const x_sub_reg: Exec = (c, i) => {
  c.r[i.rd] = (c.r[i.rn]! - c.r[i.rm]!) | 0;
};
export const x_subs_reg: Exec = (c, i) => {
  const a = c.r[i.rn]!;
  const b = c.r[i.rm]!;
  const res = (a - b) | 0;
  c.r[i.rd] = res;
  subFlags(c, a, b, res);
};
export const x_cmp_reg: Exec = (c, i) => {
  const a = c.r[i.rn]!;
  const b = c.r[i.rm]!;
  subFlags(c, a, b, (a - b) | 0);
};
/** ADD with a constant-shifted register (no flags): common for address arithmetic. */
export const x_add_lsl: Exec = (c, i) => {
  c.r[i.rd] = (c.r[i.rn]! + (c.r[i.rm]! << i.ra)) | 0;
};
export const x_sub_lsl: Exec = (c, i) => {
  c.r[i.rd] = (c.r[i.rn]! - (c.r[i.rm]! << i.ra)) | 0;
};
export const x_and_reg: Exec = (c, i) => {
  c.r[i.rd] = c.r[i.rn]! & c.r[i.rm]!;
};
export const x_orr_reg: Exec = (c, i) => {
  c.r[i.rd] = c.r[i.rn]! | c.r[i.rm]!;
};
export const x_eor_reg: Exec = (c, i) => {
  c.r[i.rd] = c.r[i.rn]! ^ c.r[i.rm]!;
};
export const x_and_imm: Exec = (c, i) => {
  c.r[i.rd] = c.r[i.rn]! & i.imm;
};
export const x_orr_imm: Exec = (c, i) => {
  c.r[i.rd] = c.r[i.rn]! | i.imm;
};
export const x_eor_imm: Exec = (c, i) => {
  c.r[i.rd] = c.r[i.rn]! ^ i.imm;
};
export const x_bic_imm: Exec = (c, i) => {
  c.r[i.rd] = c.r[i.rn]! & ~i.imm;
};

// Register operand, flag-setting logical ops and compares (the 16-bit data-processing group).
export const x_ands_reg: Exec = (c, i) => {
  const res = c.r[i.rn]! & c.r[i.rm]!;
  c.r[i.rd] = res;
  c.nf = c.zf = res;
};
export const x_eors_reg: Exec = (c, i) => {
  const res = c.r[i.rn]! ^ c.r[i.rm]!;
  c.r[i.rd] = res;
  c.nf = c.zf = res;
};
export const x_orrs_reg: Exec = (c, i) => {
  const res = c.r[i.rn]! | c.r[i.rm]!;
  c.r[i.rd] = res;
  c.nf = c.zf = res;
};
export const x_bics_reg: Exec = (c, i) => {
  const res = c.r[i.rn]! & ~c.r[i.rm]!;
  c.r[i.rd] = res;
  c.nf = c.zf = res;
};
export const x_tst_reg: Exec = (c, i) => {
  c.nf = c.zf = c.r[i.rn]! & c.r[i.rm]!;
};
export const x_cmn_reg: Exec = (c, i) => {
  const a = c.r[i.rn]!;
  const b = c.r[i.rm]!;
  addFlags(c, a, b, (a + b) | 0);
};
export const x_adcs_reg: Exec = (c, i) => {
  c.r[i.rd] = adcS(c, c.r[i.rn]!, c.r[i.rm]!, c.cf);
};
export const x_sbcs_reg: Exec = (c, i) => {
  c.r[i.rd] = adcS(c, c.r[i.rn]!, ~c.r[i.rm]!, c.cf);
};

/** Immediate shift without carry out (i.sh 0..3, i.ra = 1..32). */
function shImm(v: number, type: number, n: number): number {
  switch (type) {
    case 0:
      return n === 32 ? 0 : v << n;
    case 1:
      return n === 32 ? 0 : (v >>> n) | 0;
    case 2:
      return v >> (n === 32 ? 31 : n);
    default:
      return (v >>> n) | (v << (32 - n));
  }
}

// Non-flag-setting ops with an immediate-shifted register (not RRX): one body, op in i.imm2.
export const x_dp_sh: Exec = (c, i) => {
  const a = c.r[i.rn]!;
  const b = shImm(c.r[i.rm]!, i.sh, i.ra);
  let res: number;
  switch (i.imm2) {
    case Op.AND:
      res = a & b;
      break;
    case Op.BIC:
      res = a & ~b;
      break;
    case Op.ORR:
      res = a | b;
      break;
    case Op.ORN:
      res = a | ~b;
      break;
    case Op.EOR:
      res = a ^ b;
      break;
    case Op.ADD:
      res = (a + b) | 0;
      break;
    case Op.SUB:
      res = (a - b) | 0;
      break;
    case Op.RSB:
      res = (b - a) | 0;
      break;
    case Op.MVN:
      res = ~b;
      break;
    default:
      res = 0;
  }
  c.r[i.rd] = res;
};
/** CMP/CMN with an immediate-shifted register. */
export const x_cmp_sh: Exec = (c, i) => {
  const a = c.r[i.rn]!;
  const b = shImm(c.r[i.rm]!, i.sh, i.ra);
  if (i.imm2 === Op.CMP) subFlags(c, a, b, (a - b) | 0);
  else addFlags(c, a, b, (a + b) | 0);
};

// Shifts by immediate (MOV with shifted register): i.sh type, i.ra amount (decoded).
export const x_lsl_imm: Exec = (c, i) => {
  c.r[i.rd] = c.r[i.rm]! << i.ra;
};
export const x_lsr_imm: Exec = (c, i) => {
  c.r[i.rd] = i.ra === 32 ? 0 : (c.r[i.rm]! >>> i.ra) | 0;
};
export const x_asr_imm: Exec = (c, i) => {
  c.r[i.rd] = c.r[i.rm]! >> (i.ra === 32 ? 31 : i.ra);
};
export const x_shift_imm_s: Exec = (c, i) => {
  const res = shiftC(c.r[i.rm]!, i.sh, i.ra, c.cf);
  c.r[i.rd] = res;
  c.nf = c.zf = res;
  c.cf = shiftCarry;
};
export const x_shift_imm: Exec = (c, i) => {
  c.r[i.rd] = shiftC(c.r[i.rm]!, i.sh, i.ra, c.cf);
};

/** Shift by register (LSL/LSR/ASR/ROR Rd, Rn, Rm): amount = Rm[7:0]. */
export const x_shift_reg: Exec = (c, i) => {
  const res = shiftC(c.r[i.rn]!, i.sh, c.r[i.rm]! & 0xff, c.cf);
  c.r[i.rd] = res;
  if (i.s) {
    c.nf = c.zf = res;
    c.cf = shiftCarry;
  }
};

// ---- multiplies and divides ----

export const x_mul: Exec = (c, i) => {
  const res = Math.imul(c.r[i.rn]!, c.r[i.rm]!);
  c.r[i.rd] = res;
  if (i.s) c.nf = c.zf = res;
};
export const x_mla: Exec = (c, i) => {
  c.r[i.rd] = (Math.imul(c.r[i.rn]!, c.r[i.rm]!) + c.r[i.ra]!) | 0;
};
export const x_mls: Exec = (c, i) => {
  c.r[i.rd] = (c.r[i.ra]! - Math.imul(c.r[i.rn]!, c.r[i.rm]!)) | 0;
};

/** Early-terminating divider (TRM: 2..12 cycles); modelled from the quotient's significant bits. */
function divCycles(n: number, d: number): number {
  if (d === 0 || n < d) return 2;
  const bits = Math.clz32(d) - Math.clz32(n) + 1;
  return Math.min(12, 2 + Math.ceil(bits / 4));
}

export const x_sdiv: Exec = (c, i) => {
  const n = c.r[i.rn]!;
  const d = c.r[i.rm]!;
  if (d === 0) {
    if ((c.ccr & 0x10) !== 0) c.divideByZero();
    c.r[i.rd] = 0;
  } else c.r[i.rd] = (n / d) | 0;
  c.cycles += divCycles(Math.abs(n), Math.abs(d)) - 1;
};
export const x_udiv: Exec = (c, i) => {
  const n = c.r[i.rn]! >>> 0;
  const d = c.r[i.rm]! >>> 0;
  if (d === 0) {
    if ((c.ccr & 0x10) !== 0) c.divideByZero();
    c.r[i.rd] = 0;
  } else c.r[i.rd] = Math.floor(n / d) | 0;
  c.cycles += divCycles(n, d) - 1;
};

// ---- bit manipulation ----

export const x_clz: Exec = (c, i) => {
  c.r[i.rd] = Math.clz32(c.r[i.rm]!);
};
export const x_rbit: Exec = (c, i) => {
  let v = c.r[i.rm]!;
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  c.r[i.rd] = (v >>> 16) | (v << 16);
};
export const x_rev: Exec = (c, i) => {
  const v = c.r[i.rm]!;
  c.r[i.rd] = (v >>> 24) | ((v >>> 8) & 0xff00) | ((v & 0xff00) << 8) | (v << 24);
};
export const x_rev16: Exec = (c, i) => {
  const v = c.r[i.rm]!;
  c.r[i.rd] = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
};
export const x_revsh: Exec = (c, i) => {
  const v = c.r[i.rm]!;
  c.r[i.rd] = (((v & 0xff) << 24) >> 16) | ((v >>> 8) & 0xff);
};

/** UBFX/SBFX: i.imm = lsb, i.imm2 = width. */
export const x_ubfx: Exec = (c, i) => {
  const w = i.imm2;
  const v = c.r[i.rn]! >>> i.imm;
  c.r[i.rd] = w === 32 ? v | 0 : v & ((1 << w) - 1);
};
export const x_sbfx: Exec = (c, i) => {
  const w = i.imm2;
  c.r[i.rd] = (c.r[i.rn]! << (32 - i.imm - w)) >> (32 - w);
};
/** BFI/BFC: i.imm = lsb, i.imm2 = msb; BFC has rn = -1 meaning zero source. */
export const x_bfi: Exec = (c, i) => {
  const width = i.imm2 - i.imm + 1;
  const fieldMask = (width === 32 ? -1 : (1 << width) - 1) << i.imm;
  const src = i.rn < 0 ? 0 : c.r[i.rn]! << i.imm;
  c.r[i.rd] = (c.r[i.rd]! & ~fieldMask) | (src & fieldMask);
};

// ---- extends (optionally accumulating; i.ra = rotation) ----

const ror = (v: number, r: number): number => (r === 0 ? v : (v >>> r) | (v << (32 - r)));

export const x_sxtb: Exec = (c, i) => {
  const v = (ror(c.r[i.rm]!, i.ra) << 24) >> 24;
  c.r[i.rd] = i.rn < 0 ? v : (c.r[i.rn]! + v) | 0;
};
export const x_sxth: Exec = (c, i) => {
  const v = (ror(c.r[i.rm]!, i.ra) << 16) >> 16;
  c.r[i.rd] = i.rn < 0 ? v : (c.r[i.rn]! + v) | 0;
};
export const x_uxtb: Exec = (c, i) => {
  const v = ror(c.r[i.rm]!, i.ra) & 0xff;
  c.r[i.rd] = i.rn < 0 ? v : (c.r[i.rn]! + v) | 0;
};
export const x_uxth: Exec = (c, i) => {
  const v = ror(c.r[i.rm]!, i.ra) & 0xffff;
  c.r[i.rd] = i.rn < 0 ? v : (c.r[i.rn]! + v) | 0;
};
/** SXTB16/SXTAB16: sign-extend bytes 0 and 2 to halfwords (and add halfwise). */
export const x_sxtb16: Exec = (c, i) => {
  const v = ror(c.r[i.rm]!, i.ra);
  let lo = (v << 24) >> 24;
  let hi = (v << 8) >> 24;
  if (i.rn >= 0) {
    const n = c.r[i.rn]!;
    lo += n;
    hi += n >> 16;
  }
  c.r[i.rd] = (lo & 0xffff) | (hi << 16);
};
export const x_uxtb16: Exec = (c, i) => {
  const v = ror(c.r[i.rm]!, i.ra);
  let lo = v & 0xff;
  let hi = (v >>> 16) & 0xff;
  if (i.rn >= 0) {
    const n = c.r[i.rn]!;
    lo += n;
    hi += n >>> 16;
  }
  c.r[i.rd] = (lo & 0xffff) | (hi << 16);
};
