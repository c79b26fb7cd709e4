// Branches, IT, hints, barriers, system-register access, SVC/BKPT/UDF.
// Direct branch targets are resolved at decode time (i.target); the pipeline
// refill cost of a direct branch is computed on first use and kept in i.imm2.

import type { Cpu } from './cpu.ts';
import type { Exec, Insn } from './insn.ts';
import { Exc } from './nvic.ts';

function refillDirect(c: Cpu, i: Insn): number {
  if (i.imm2 === 0) i.imm2 = c.refill(i.target, false);
  return i.imm2;
}

export const x_b: Exec = (c, i) => {
  c.pc = i.target;
  c.cycles += refillDirect(c, i);
};
/** Conditional branches specialised per condition (the hottest instructions in loops). */
function bcond(test: (c: Cpu) => boolean): Exec {
  return (c, i) => {
    if (test(c)) {
      c.pc = i.target;
      c.cycles += refillDirect(c, i);
    }
  };
}
export const x_beq: Exec = (c, i) => {
  if (c.zf === 0) {
    c.pc = i.target;
    c.cycles += refillDirect(c, i);
  }
};
export const x_bne: Exec = (c, i) => {
  if (c.zf !== 0) {
    c.pc = i.target;
    c.cycles += refillDirect(c, i);
  }
};
export const x_bge: Exec = (c, i) => {
  if (c.nf < 0 === (c.vf !== 0)) {
    c.pc = i.target;
    c.cycles += refillDirect(c, i);
  }
};
export const x_blt: Exec = (c, i) => {
  if (c.nf < 0 !== (c.vf !== 0)) {
    c.pc = i.target;
    c.cycles += refillDirect(c, i);
  }
};
export const x_bgt: Exec = (c, i) => {
  if (c.zf !== 0 && c.nf < 0 === (c.vf !== 0)) {
    c.pc = i.target;
    c.cycles += refillDirect(c, i);
  }
};
export const x_ble: Exec = (c, i) => {
  if (c.zf === 0 || c.nf < 0 !== (c.vf !== 0)) {
    c.pc = i.target;
    c.cycles += refillDirect(c, i);
  }
};
export const x_bcs: Exec = (c, i) => {
  if (c.cf !== 0) {
    c.pc = i.target;
    c.cycles += refillDirect(c, i);
  }
};
export const x_bcc: Exec = (c, i) => {
  if (c.cf === 0) {
    c.pc = i.target;
    c.cycles += refillDirect(c, i);
  }
};
export const x_bhi = bcond((c) => c.cf !== 0 && c.zf !== 0);
export const x_bls = bcond((c) => c.cf === 0 || c.zf === 0);
export const x_bmi = bcond((c) => c.nf < 0);
export const x_bpl = bcond((c) => c.nf >= 0);
export const x_bvs = bcond((c) => c.vf !== 0);
export const x_bvc = bcond((c) => c.vf === 0);

/** Executor for B<cond> with a fixed condition. */
export const bcondExec: readonly Exec[] = [
  x_beq,
  x_bne,
  x_bcs,
  x_bcc,
  x_bmi,
  x_bpl,
  x_bvs,
  x_bvc,
  x_bhi,
  x_bls,
  x_bge,
  x_blt,
  x_bgt,
  x_ble,
];

export const x_bl: Exec = (c, i) => {
  c.r[14] = (i.addr + 4) | 1;
  c.pc = i.target;
  c.cycles += refillDirect(c, i);
};
export const x_bx: Exec = (c, i) => {
  c.bxWritePC(c.r[i.rm]!);
  c.cycles += c.refill(c.pc, true);
};
export const x_blx: Exec = (c, i) => {
  const target = c.r[i.rm]!;
  c.r[14] = (i.addr + 2) | 1;
  c.bxWritePC(target);
  c.cycles += c.refill(c.pc, true);
};
/** CBZ (i.imm = 0) / CBNZ (i.imm = 1). */
export const x_cbz: Exec = (c, i) => {
  if ((c.r[i.rn] !== 0 ? 1 : 0) === i.imm) {
    c.pc = i.target;
    c.cycles += refillDirect(c, i);
  }
};

/** IT: i.imm = firstcond:mask. Folded: costs no cycle (see docs/emulator.md). */
export const x_it: Exec = (c, i) => {
  c.it = i.imm;
  c.fold++;
};

export const x_nop: Exec = () => {};
export const x_wfi: Exec = (c) => c.sleep(false);
export const x_wfe: Exec = (c) => c.sleep(true);
export const x_sev: Exec = (c) => {
  c.eventRegister = true;
};
export const x_isb: Exec = (c) => {
  c.cycles += c.refill(c.pc, false);
};

export const x_svc: Exec = (c) => c.pend(Exc.SVCall);
export const x_bkpt: Exec = (c, i) => c.bkpt(i.imm);
export const x_udf: Exec = (c) => c.undefinedInstruction();

/** MRS Rd, spec_reg (i.imm = SYSm). */
export const x_mrs: Exec = (c, i) => {
  c.r[i.rd] = c.readSpecial(i.imm);
};
/** MSR spec_reg, Rn (i.imm = SYSm, i.imm2 = mask). */
export const x_msr: Exec = (c, i) => {
  c.writeSpecial(i.imm, i.imm2, c.r[i.rn]!);
};
/** CPSIE/CPSID: i.imm = 1 disable, i.imm2 bit1 = I, bit0 = F. */
export const x_cps: Exec = (c, i) => {
  c.cps(i.imm === 1, (i.imm2 & 2) !== 0, (i.imm2 & 1) !== 0);
};
