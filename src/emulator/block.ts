// Straight-line blocks: the unit the run loop executes. A block starts at a
// decoded address and runs to the first instruction that may change the flow
// (branch, PC write, exception, sleep, system register write) or to a length
// cap. Building it once moves per-instruction work out of the hot loop:
// - the cost of each instruction, including its pairing with the previous
//   one (load pipelining, address dependencies: timing.pairAdjust), is
//   computed here, so the loop adds a constant;
// - IT blocks are unrolled: each covered instruction carries its condition
//   and the ITSTATE that follows it;
// - the instruction-fetch footprint (which cache lines, how many words) is
//   summarised for the cache model.
// Hot blocks are compiled to JavaScript (jit.ts); the others are interpreted
// by Cpu.runBlock from the same arrays.

import type { Cpu } from './cpu.ts';
import type { Insn } from './insn.ts';
import type { Region } from './memory.ts';
import { pairAdjust } from './timing.ts';
import { x_it } from './exec-ctrl.ts';

/** A compiled block: executes it on the CPU (same contract as Cpu.runBlock). */
export type BlockFn = (c: Cpu) => void;

/** Longest block (instructions); an IT block in progress may extend it by up to 4. */
export const MAX_BLOCK = 48;
/** Condition value meaning "always" (also used outside IT blocks). */
export const AL = 14;
/** log2 of the instruction-fetch line (the Apollo4 cache's 128-bit lines). */
export const LINE_SHIFT = 4;

export class Block {
  /** Instructions in order; inside an IT block, the IT-context variant. */
  readonly insns: Insn[];
  /** Cost of each instruction when executed (base + pairing with its predecessor). */
  readonly cyc: Int32Array;
  /** LSU cycles of insns[0..k), k = 0..n (prefix sums, for exits and DWT reads). */
  readonly lsuPre: Int32Array;
  /** Condition per instruction (AL outside IT blocks). */
  readonly cond: Uint8Array;
  /** ITSTATE after each instruction (0 outside IT blocks). */
  readonly itNext: Uint8Array;
  /** Does any instruction sit inside an IT block? */
  readonly hasIT: boolean;
  /** Instruction-fetch footprint: line numbers in order and 32-bit words fetched from each. */
  readonly lines: Int32Array;
  readonly lineWords: Int32Array;
  /** Executions so far (the JIT compiles a block once it is hot). */
  runs = 0;
  fn: BlockFn | null = null;

  constructor(
    readonly region: Region,
    insns: Insn[],
    cond: number[],
    itNext: number[],
  ) {
    const n = insns.length;
    this.insns = insns;
    this.cond = Uint8Array.from(cond);
    this.itNext = Uint8Array.from(itNext);
    this.hasIT = cond.some((c) => c !== AL) || itNext.some((s) => s !== 0);
    this.cyc = new Int32Array(n);
    this.lsuPre = new Int32Array(n + 1);
    for (let k = 0; k < n; k++) {
      const d = insns[k]!;
      const adj = pairAdjust(k === 0 ? null : insns[k - 1]!, d);
      this.cyc[k] = d.cycles + adj;
      this.lsuPre[k + 1] = this.lsuPre[k]! + d.lsu + adj;
    }
    const first = insns[0]!.addr;
    const last = insns[n - 1]!;
    const { lines, words } = fetchFootprint(first, last.addr + last.size);
    this.lines = lines;
    this.lineWords = words;
  }

  get start(): number {
    return this.insns[0]!.addr;
  }

  /** Address after the last instruction. */
  get end(): number {
    const last = this.insns[this.insns.length - 1]!;
    return (last.addr + last.size) >>> 0;
  }

  /** Index of the instruction at addr (for exits in the middle: faults, DWT reads). */
  indexOf(addr: number): number {
    const ins = this.insns;
    for (let k = 0; k < ins.length; k++) if (ins[k]!.addr === addr) return k;
    return ins.length;
  }
}

/**
 * The 32-bit words [start, end) occupies, grouped by fetch line. The core
 * fetches a word at a time; the first word is fetched even when the block
 * starts at its upper halfword (after a branch to it).
 */
function fetchFootprint(start: number, end: number): { lines: Int32Array; words: Int32Array } {
  const lines: number[] = [];
  const words: number[] = [];
  for (let w = start >>> 2; w <= (end - 1) >>> 2; w++) {
    const line = w >>> (LINE_SHIFT - 2);
    if (lines[lines.length - 1] === line) words[words.length - 1]!++;
    else {
      lines.push(line);
      words.push(1);
    }
  }
  return { lines: Int32Array.from(lines), words: Int32Array.from(words) };
}

/** Next ITSTATE (ITAdvance). */
export function itAdvance(it: number): number {
  return (it & 7) === 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f);
}

/**
 * Builds the block starting at pc. `decodeAt` returns the (cached) decode of
 * the instruction at an address inside `region`; `itState` is the ITSTATE at
 * entry (non-zero only when entering in the middle of an IT block).
 */
export function buildBlock(
  region: Region,
  pc: number,
  decodeAt: (addr: number) => Insn,
  itState = 0,
): Block {
  const insns: Insn[] = [];
  const cond: number[] = [];
  const itNext: number[] = [];
  const limit = region.base + region.size;
  let addr = pc;
  let it = itState;
  for (;;) {
    let d0: Insn;
    try {
      d0 = decodeAt(addr);
    } catch (e) {
      // A bad fetch faults when execution gets there, not while building.
      if (insns.length === 0) throw e;
      break;
    }
    let d = d0;
    if (it !== 0) {
      d = d0.alt ?? d0;
      cond.push(it >>> 4);
      it = itAdvance(it);
      itNext.push(it);
    } else {
      cond.push(AL);
      itNext.push(0);
      if (d.exec === x_it) it = d.imm;
    }
    insns.push(d);
    addr += d.size;
    if (d.flow) break;
    if (it === 0 && insns.length >= MAX_BLOCK) break;
    if (addr + 2 > limit) break;
  }
  // The ITSTATE after an IT instruction is its own mask (set by its executor).
  return new Block(region, insns, cond, itNext);
}
