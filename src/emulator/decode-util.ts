// Shared pieces of the decode tables: the row type, the table compiler and
// the Insn constructor used by every build function.

import { Insn, type Exec } from './insn.ts';
import { compilePattern, extract, matches, type Fields, type Pattern } from './pattern.ts';

export interface Ctx {
  addr: number;
  raw: number;
  size: number;
  inIT: boolean;
}

/** Builds the decoded instruction from its fields, or null to let a later row match. */
export type Build = (f: Fields, x: Ctx) => Insn | null;

export interface Row {
  pattern: Pattern;
  build: Build;
}

export function rows(defs: ReadonlyArray<readonly [string, Build]>): Row[] {
  return defs.map(([p, build]) => ({ pattern: compilePattern(p), build }));
}

export function match(table: readonly Row[], word: number, x: Ctx): Insn | null {
  for (const row of table) {
    if (!matches(row.pattern, word)) continue;
    const insn = row.build(extract(row.pattern, word), x);
    if (insn !== null) return insn;
  }
  return null;
}

export function mk(x: Ctx, name: string, exec: Exec, cycles: number): Insn {
  return new Insn(exec, name, x.size, cycles, x.addr, x.raw);
}

/** Align(PC, 4) for literal addressing: PC reads as the instruction address + 4. */
export const alignPc = (x: Ctx): number => ((x.addr + 4) & ~3) >>> 0;

export function popcount(v: number): number {
  let n = 0;
  for (let b = v; b !== 0; b &= b - 1) n++;
  return n;
}

export type { Fields };
