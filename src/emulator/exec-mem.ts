// Load/store executors: single transfers in every addressing form, dual,
// multiple (LDM/STM/PUSH/POP), exclusive, and table branches.
//
// Timing is static (timing.ts sets each instruction's cost and the block
// builder its pairing with the previous one); executors add only what
// depends on data: the pipeline refill of loads into PC and table branches.

import type { Cpu } from './cpu.ts';
import { AccessFault } from './faults.ts';
import type { Exec, Insn } from './insn.ts';

export const Kind = {
  LDR: 0,
  LDRH: 1,
  LDRSH: 2,
  LDRB: 3,
  LDRSB: 4,
  STR: 5,
  STRH: 6,
  STRB: 7,
} as const;

function transfer(c: Cpu, kind: number, addr: number, rt: number): void {
  const m = c.mem;
  const r = c.r;
  switch (kind) {
    case Kind.LDR:
      r[rt] = m.read32(addr);
      return;
    case Kind.LDRH:
      r[rt] = m.read16(addr);
      return;
    case Kind.LDRSH:
      r[rt] = (m.read16(addr) << 16) >> 16;
      return;
    case Kind.LDRB:
      r[rt] = m.read8(addr);
      return;
    case Kind.LDRSB:
      r[rt] = (m.read8(addr) << 24) >> 24;
      return;
    case Kind.STR:
      m.write32(addr, r[rt]!);
      return;
    case Kind.STRH:
      m.write16(addr, r[rt]!);
      return;
    default:
      m.write8(addr, r[rt]!);
  }
}

// ---- specialised forms: [Rn, #imm] and [Rn, Rm, LSL #imm] ----

export const x_ldr_imm: Exec = (c, i) => {
  c.r[i.rd] = c.mem.read32(c.r[i.rn]! + i.imm);
};
export const x_ldr_reg: Exec = (c, i) => {
  c.r[i.rd] = c.mem.read32(c.r[i.rn]! + (c.r[i.rm]! << i.imm));
};
export const x_ldr_lit: Exec = (c, i) => {
  c.r[i.rd] = c.mem.read32(i.target);
};
export const x_str_imm: Exec = (c, i) => {
  c.mem.write32(c.r[i.rn]! + i.imm, c.r[i.rd]!);
};
export const x_str_reg: Exec = (c, i) => {
  c.mem.write32(c.r[i.rn]! + (c.r[i.rm]! << i.imm), c.r[i.rd]!);
};
export const x_ldrb_imm: Exec = (c, i) => {
  c.r[i.rd] = c.mem.read8(c.r[i.rn]! + i.imm);
};
export const x_ldrb_reg: Exec = (c, i) => {
  c.r[i.rd] = c.mem.read8(c.r[i.rn]! + (c.r[i.rm]! << i.imm));
};
export const x_ldrsb_imm: Exec = (c, i) => {
  c.r[i.rd] = (c.mem.read8(c.r[i.rn]! + i.imm) << 24) >> 24;
};
export const x_ldrsb_reg: Exec = (c, i) => {
  c.r[i.rd] = (c.mem.read8(c.r[i.rn]! + (c.r[i.rm]! << i.imm)) << 24) >> 24;
};
export const x_ldrh_imm: Exec = (c, i) => {
  c.r[i.rd] = c.mem.read16(c.r[i.rn]! + i.imm);
};
export const x_ldrh_reg: Exec = (c, i) => {
  c.r[i.rd] = c.mem.read16(c.r[i.rn]! + (c.r[i.rm]! << i.imm));
};
export const x_ldrsh_imm: Exec = (c, i) => {
  c.r[i.rd] = (c.mem.read16(c.r[i.rn]! + i.imm) << 16) >> 16;
};
export const x_ldrsh_reg: Exec = (c, i) => {
  c.r[i.rd] = (c.mem.read16(c.r[i.rn]! + (c.r[i.rm]! << i.imm)) << 16) >> 16;
};
export const x_strb_imm: Exec = (c, i) => {
  c.mem.write8(c.r[i.rn]! + i.imm, c.r[i.rd]!);
};
export const x_strb_reg: Exec = (c, i) => {
  c.mem.write8(c.r[i.rn]! + (c.r[i.rm]! << i.imm), c.r[i.rd]!);
};
export const x_strh_imm: Exec = (c, i) => {
  c.mem.write16(c.r[i.rn]! + i.imm, c.r[i.rd]!);
};
export const x_strh_reg: Exec = (c, i) => {
  c.mem.write16(c.r[i.rn]! + (c.r[i.rm]! << i.imm), c.r[i.rd]!);
};

// ---- generic forms: i.list = Kind, i.imm2 = 0 offset / 1 pre-indexed writeback / 2 post-indexed ----

/** Immediate offset with optional writeback (i.imm signed). */
export const x_ldst_wb: Exec = (c, i) => {
  const base = c.r[i.rn]!;
  const next = (base + i.imm) | 0;
  transfer(c, i.list, i.imm2 === 2 ? base : next, i.rd);
  if (i.imm2 !== 0) c.r[i.rn] = next;
};
/** PC-relative (literal) for the narrower loads. */
export const x_ldst_lit: Exec = (c, i) => {
  transfer(c, i.list, i.target, i.rd);
};

// ---- loads into PC (LoadWritePC: interworking, exception return) ----

export const x_ldr_pc: Exec = (c, i) => {
  const base = i.rn === 15 ? i.target : c.r[i.rn]!;
  const off = i.rm >= 0 ? c.r[i.rm]! << i.imm : i.imm;
  const addr = i.rn === 15 ? i.target : i.imm2 === 2 ? base : (base + off) | 0;
  const v = c.mem.read32(addr);
  if (i.imm2 !== 0) c.r[i.rn] = (base + off) | 0;
  c.bxWritePC(v);
  c.cycles += c.refill(c.pc, true);
};

// ---- dual ----

function checkAligned(c: Cpu, addr: number, size: number): void {
  if ((addr & 3) !== 0) throw new AccessFault('unaligned', addr >>> 0, 'read', size);
}

/** LDRD/STRD: i.rd = Rt, i.ra = Rt2, i.imm signed offset, i.imm2 mode as above; i.rn 15 = literal. */
export const x_ldrd: Exec = (c, i) => {
  const base = i.rn === 15 ? i.target - i.imm : c.r[i.rn]!;
  const next = (base + i.imm) | 0;
  const addr = i.imm2 === 2 ? base : next;
  checkAligned(c, addr, 8);
  const lo = c.mem.read32(addr);
  const hi = c.mem.read32(addr + 4);
  if (i.imm2 !== 0) c.r[i.rn] = next;
  c.r[i.rd] = lo;
  c.r[i.ra] = hi;
};
export const x_strd: Exec = (c, i) => {
  const base = c.r[i.rn]!;
  const next = (base + i.imm) | 0;
  const addr = i.imm2 === 2 ? base : next;
  checkAligned(c, addr, 8);
  c.mem.write32(addr, c.r[i.rd]!);
  c.mem.write32(addr + 4, c.r[i.ra]!);
  if (i.imm2 !== 0) c.r[i.rn] = next;
};

// ---- multiple: i.list register mask, i.imm2 = 1 writeback, i.imm = 0 increment-after / 1 decrement-before ----

export const x_ldm: Exec = (c, i) => {
  const r = c.r;
  const list = i.list;
  const n = i.ra; // register count
  const base = r[i.rn]!;
  let addr = i.imm === 0 ? base : (base - 4 * n) | 0;
  checkAligned(c, addr, 4);
  const m = c.mem;
  let pcValue = 0;
  for (let k = 0; k < 16; k++) {
    if ((list & (1 << k)) === 0) continue;
    const v = m.read32(addr);
    if (k === 15) pcValue = v;
    else r[k] = v;
    addr += 4;
  }
  // Writeback is suppressed when the base is loaded (16-bit LDM semantics; 32-bit forms forbid it).
  if (i.imm2 !== 0 && (list & (1 << i.rn)) === 0)
    r[i.rn] = i.imm === 0 ? (base + 4 * n) | 0 : (base - 4 * n) | 0;
  if (list & 0x8000) {
    c.bxWritePC(pcValue);
    c.cycles += c.refill(c.pc, true);
  }
};

export const x_stm: Exec = (c, i) => {
  const r = c.r;
  const list = i.list;
  const n = i.ra;
  const base = r[i.rn]!;
  let addr = i.imm === 0 ? base : (base - 4 * n) | 0;
  checkAligned(c, addr, 4);
  const m = c.mem;
  for (let k = 0; k < 15; k++) {
    if ((list & (1 << k)) === 0) continue;
    m.write32(addr, r[k]!);
    addr += 4;
  }
  if (i.imm2 !== 0) r[i.rn] = i.imm === 0 ? (base + 4 * n) | 0 : (base - 4 * n) | 0;
};

// ---- exclusive: a single local monitor ----

/** i.list = size in bytes (4, 2, 1); i.imm offset. */
export const x_ldrex: Exec = (c, i) => {
  const addr = (c.r[i.rn]! + i.imm) | 0;
  if ((addr & (i.list - 1)) !== 0) throw new AccessFault('unaligned', addr >>> 0, 'read', i.list);
  const m = c.mem;
  c.r[i.rd] = i.list === 4 ? m.read32(addr) : i.list === 2 ? m.read16(addr) : m.read8(addr);
  c.exclusive = true;
};
/** STREX Rd, Rt, [Rn, #imm]: i.ra = Rd (status), i.rd = Rt. */
export const x_strex: Exec = (c, i) => {
  const addr = (c.r[i.rn]! + i.imm) | 0;
  if ((addr & (i.list - 1)) !== 0) throw new AccessFault('unaligned', addr >>> 0, 'write', i.list);
  if (c.exclusive) {
    const m = c.mem;
    const v = c.r[i.rd]!;
    if (i.list === 4) m.write32(addr, v);
    else if (i.list === 2) m.write16(addr, v);
    else m.write8(addr, v);
    c.r[i.ra] = 0;
  } else c.r[i.ra] = 1;
  c.exclusive = false;
};
export const x_clrex: Exec = (c) => {
  c.exclusive = false;
};

// ---- table branch: i.imm = 1 for TBH ----

export const x_tb: Exec = (c: Cpu, i: Insn) => {
  const base = c.r[i.rn]!;
  const idx = c.r[i.rm]!;
  const half = i.imm === 1 ? c.mem.read16(base + idx * 2) : c.mem.read8(base + idx);
  c.pc = (c.r[15]! + 2 * half) >>> 0;
  c.cycles += c.refill(c.pc, true);
};

/** Mnemonic and specialised executors per Kind, for the decoders. */
export const KIND_NAMES = ['ldr', 'ldrh', 'ldrsh', 'ldrb', 'ldrsb', 'str', 'strh', 'strb'];
export const IMM_FORMS: readonly Exec[] = [
  x_ldr_imm,
  x_ldrh_imm,
  x_ldrsh_imm,
  x_ldrb_imm,
  x_ldrsb_imm,
  x_str_imm,
  x_strh_imm,
  x_strb_imm,
];
export const REG_FORMS: readonly Exec[] = [
  x_ldr_reg,
  x_ldrh_reg,
  x_ldrsh_reg,
  x_ldrb_reg,
  x_ldrsb_reg,
  x_str_reg,
  x_strh_reg,
  x_strb_reg,
];
