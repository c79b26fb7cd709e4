// Which decoded instructions end a dispatch block: everything that may write
// the PC, change IT state, sleep, stop, or change what exception may be taken
// next (barriers are where software waits for that to happen).

import * as A from './exec-alu.ts';
import * as C from './exec-ctrl.ts';
import * as M from './exec-mem.ts';
import type { Exec, Insn } from './insn.ts';

const TERMINATORS = new Set<Exec>([
  C.x_b,
  ...C.bcondExec,
  C.x_bl,
  C.x_bx,
  C.x_blx,
  C.x_cbz,
  C.x_it,
  C.x_wfi,
  C.x_wfe,
  C.x_sev,
  C.x_isb,
  C.x_svc,
  C.x_bkpt,
  C.x_udf,
  C.x_msr,
  C.x_cps,
  A.x_mov_pc,
  M.x_ldr_pc,
  M.x_tb,
]);

const BARRIERS = new Set(['dsb', 'dmb', 'isb', 'undefined']);

export function endsBlock(i: Insn): boolean {
  return TERMINATORS.has(i.exec) || (i.exec === M.x_ldm && (i.list & 0x8000) !== 0) || BARRIERS.has(i.name);
}
