// A decoded instruction. Every instance has the same fields (one hidden class),
// so the run loop's property loads stay monomorphic. Executors are plain
// functions chosen at decode time; the fields carry the operands.

import type { Cpu } from './cpu.ts';

export type Exec = (c: Cpu, i: Insn) => void;

export class Insn {
  exec: Exec;
  name: string;
  /** 2 or 4 bytes. */
  size: number;
  /** Base cycle count (Cortex-M4 TRM table); executors add data-dependent extras. */
  cycles: number;
  addr: number;
  /** The encoding: hw1 for 16-bit, hw1<<16|hw2 for 32-bit (unsigned). */
  raw: number;
  rd = 0;
  rn = 0;
  rm = 0;
  /** Third/fourth register: Ra, Rt2, RdHi, Rs. */
  ra = 0;
  imm = 0;
  imm2 = 0;
  /** Shift type 0 LSL, 1 LSR, 2 ASR, 3 ROR, 4 RRX. */
  sh = 0;
  s = false;
  cond = 14;
  /** Absolute branch target or literal address (resolved at decode time). */
  target = 0;
  /** Register list for LDM/STM/PUSH/POP, or VFP register count. */
  list = 0;
  /** Decode of the same bits inside an IT block, when that differs (16-bit flag setting). */
  alt: Insn | null = null;

  // Timing (set by timing.classify after decoding).
  /** Of `cycles`, how many are load/store cycles beyond the first (DWT LSUCNT). */
  lsu = 0;
  /** Timing class (timing.Cls). */
  cls = 0;
  /** Registers used to form the address (loads/stores), as a bit mask. */
  amask = 0;
  /** Registers written by a data-processing instruction, as a bit mask. */
  wmask = 0;
  /** Register a single load writes (load pipelining). */
  dst = -1;
  /** May change the flow (branch, PC write, exception, sleep, system): ends a block. */
  flow = false;

  constructor(exec: Exec, name: string, size: number, cycles: number, addr: number, raw: number) {
    this.exec = exec;
    this.name = name;
    this.size = size;
    this.cycles = cycles;
    this.addr = addr;
    this.raw = raw;
    widenNumberFields(this, ['addr', 'raw', 'imm', 'imm2', 'target']);
  }
}

/**
 * V8 stores small integers (31 bits) and other numbers differently; the
 * first object of a class that gets a number outside that range in a field
 * changes the field's representation for every object of the class, and all
 * optimised code that relied on it is thrown away (seen as a storm of
 * deoptimisations when a new kind of immediate or address first shows up,
 * late in a run). Giving these fields a non-integer value once, at
 * construction, settles their representation from the start.
 */
export function widenNumberFields<T>(o: T, keys: readonly (keyof T)[]): void {
  const rec = o as Record<keyof T, number>;
  for (const k of keys) {
    const v = rec[k];
    rec[k] = 0.5;
    rec[k] = v;
  }
}
