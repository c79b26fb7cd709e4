// The static half of the cycle model: after decoding, each instruction is
// classified once (does it end a straight-line block, which load/store class
// is it, which registers does it read for its address or write as a result)
// and given its base cost. The dynamic half — the cost of an instruction
// depending on the one executed just before it — is `pairAdjust`, which the
// block builder applies once per pair at build time and the single-step path
// applies per instruction, so both paths count the same cycles.
//
// Rules, from the Cortex-M4 TRM (instruction timings and "Load/store
// timings"):
// - LDR/LDRB/LDRH/LDRSB/LDRSH/LDREX/STREX: 2 cycles (1 + 1 LSU), 1 when the
//   previous instruction was a single load (not a base-updating one) whose
//   destination is not an address register of this one ("LDR [any] are
//   pipelined when possible"); stores with a register offset pipeline the
//   same way ("STR can only be pipelined when it follows an LDR").
// - STR/STRB/STRH with an immediate offset: 1 cycle ("always one cycle": the
//   data phase overlaps the next instruction); nothing pipelines after it.
// - A load or store whose address uses the register written by the
//   immediately preceding data-processing instruction stalls one cycle ("no
//   forwarding path"); counted as an LSU cycle.
// - LDRD/STRD 3, LDM/STM/PUSH/POP/VLDM/VSTM/VPUSH/VPOP 1 + N, VLDR/VSTR 1 + words;
//   none of them pipelines with its neighbours.
// - TBB/TBH: 2 for the load + 1 for the add, then the refill P (executor).

import * as A from './exec-alu.ts';
import * as C from './exec-ctrl.ts';
import * as D from './exec-dsp.ts';
import * as M from './exec-mem.ts';
import * as V from './exec-vfp.ts';
import type { Exec, Insn } from './insn.ts';

/** Timing classes (Insn.cls). */
export const Cls = {
  OTHER: 0,
  /** Data processing that writes Insn.wmask (address-dependency source). */
  DP: 1,
  /** Single load that the next load/store can pipeline behind (Insn.rd is its destination). */
  LOAD: 2,
  /** Single load or store that can pipeline behind a LOAD (reg-offset store, base-updating load). */
  PIPE: 3,
  /** Store with an immediate offset: one cycle, never pipelined. */
  STORE_IMM: 4,
  /** Any other load/store (dual, multiple, VFP): address dependency only. */
  MEM: 5,
} as const;

const isMem = (cls: number): boolean => cls >= Cls.LOAD;

const bcond = new Set<Exec>(C.bcondExec);
/** Executors after which the next instruction is not simply the one that follows. */
const FLOW = new Set<Exec>([
  C.x_b,
  ...bcond,
  C.x_bl,
  C.x_bx,
  C.x_blx,
  C.x_cbz,
  C.x_svc,
  C.x_bkpt,
  C.x_udf,
  C.x_wfi,
  C.x_wfe,
  C.x_msr,
  C.x_cps,
  C.x_isb,
  M.x_ldr_pc,
  M.x_tb,
  A.x_mov_pc,
]);

const COMPARES = new Set<Exec>([
  A.x_cmp_imm,
  A.x_cmn_imm,
  A.x_cmp_reg,
  A.x_tst_reg,
  A.x_cmn_reg,
  A.x_cmp_sh,
]);
const LONG_MUL = new Set<Exec>([
  D.x_smull,
  D.x_umull,
  D.x_smlal,
  D.x_umlal,
  D.x_umaal,
  D.x_smlalxy,
  D.x_smlald,
]);
const DP = new Set<Exec>(
  [...Object.values(A), ...Object.values(D)].filter(
    (v): v is Exec => typeof v === 'function' && !FLOW.has(v as Exec),
  ),
);

const IMM_LOADS = new Set<Exec>(M.IMM_FORMS.slice(0, 5));
const REG_LOADS = new Set<Exec>(M.REG_FORMS.slice(0, 5));
const IMM_STORES = new Set<Exec>(M.IMM_FORMS.slice(5));
const REG_STORES = new Set<Exec>(M.REG_FORMS.slice(5));

const bit = (r: number): number => (r >= 0 && r < 16 ? 1 << r : 0);

/** Sets the timing fields of a freshly decoded instruction (cycles, lsu, cls, masks, flow). */
export function classify(i: Insn): void {
  const e = i.exec;
  i.flow = FLOW.has(e) || (e === M.x_ldm && (i.list & 0x8000) !== 0) || i.name === 'undefined';
  if (IMM_LOADS.has(e) || REG_LOADS.has(e) || e === M.x_ldr_lit || e === M.x_ldst_lit) {
    single(i, Cls.LOAD, 2);
    i.amask =
      e === M.x_ldr_lit || e === M.x_ldst_lit ? 0 : bit(i.rn) | (REG_LOADS.has(e) ? bit(i.rm) : 0);
  } else if (e === M.x_ldrex || e === M.x_strex) {
    single(i, Cls.LOAD, 2);
    i.amask = bit(i.rn);
    // STREX pipelines like a load; the register it writes is its status register.
    if (e === M.x_strex) i.dst = i.ra;
  } else if (REG_STORES.has(e)) {
    single(i, Cls.PIPE, 2);
    i.amask = bit(i.rn) | bit(i.rm);
  } else if (IMM_STORES.has(e)) {
    single(i, Cls.STORE_IMM, 1);
    i.amask = bit(i.rn);
  } else if (e === M.x_ldst_wb) {
    // Base-updating forms: a store is still one cycle; a load is not pipelined with the next.
    const store = i.list >= M.Kind.STR;
    single(i, store ? Cls.STORE_IMM : Cls.PIPE, store ? 1 : 2);
    i.amask = bit(i.rn);
  } else if (e === M.x_ldrd || e === M.x_strd) {
    multi(i, 2, bit(i.rn));
  } else if (e === M.x_ldm || e === M.x_stm) {
    multi(i, i.ra, bit(i.rn));
  } else if (e === V.x_vldr || e === V.x_vstr) {
    multi(i, i.list, i.rn === 15 ? 0 : bit(i.rn));
  } else if (e === V.x_vldstm) {
    multi(i, i.list, bit(i.rn));
  } else if (e === M.x_ldr_pc) {
    multi(i, 1, i.rn === 15 ? 0 : bit(i.rn) | (i.rm >= 0 ? bit(i.rm) : 0));
  } else if (e === M.x_tb) {
    i.cls = Cls.MEM;
    i.cycles = 3;
    i.lsu = 1;
    i.amask = bit(i.rn) | bit(i.rm);
  } else if (DP.has(e) && !COMPARES.has(e) && !isDpCompare(i)) {
    i.cls = Cls.DP;
    i.wmask = bit(i.rd) | (LONG_MUL.has(e) ? bit(i.ra) : 0);
  }
}

/** Generic data-processing executors that only set flags (TST/TEQ/CMP/CMN forms). */
function isDpCompare(i: Insn): boolean {
  return (i.exec === A.x_dp_imm || i.exec === A.x_dp_reg) && A.isCompare(i.imm2);
}

function single(i: Insn, cls: number, cycles: number): void {
  i.cls = cls;
  i.dst = i.rd;
  i.cycles = cycles;
  i.lsu = cycles - 1;
}

/** 1 + N transfers, N of them LSU cycles. */
function multi(i: Insn, n: number, amask: number): void {
  i.cls = Cls.MEM;
  i.cycles = 1 + n;
  i.lsu = n;
  i.amask = amask;
}

/**
 * Cycles to add to `cur`'s base cost when it directly follows `prev` (null:
 * after a branch or an exception). Always an LSU adjustment: -1 when the
 * access pipelines behind a load, +1 for an address computed by the
 * previous instruction.
 */
export function pairAdjust(prev: Insn | null, cur: Insn): number {
  if (prev === null || !isMem(cur.cls)) return 0;
  const pc = prev.cls;
  if (pc === Cls.DP) return (prev.wmask & cur.amask) !== 0 ? 1 : 0;
  if (pc === Cls.LOAD && (cur.cls === Cls.LOAD || cur.cls === Cls.PIPE)) {
    return (bit(prev.dst) & cur.amask) === 0 ? -1 : 0;
  }
  return 0;
}
