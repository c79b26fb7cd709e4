// Compiles hot blocks to JavaScript. The interpreter (Cpu.runBlock) pays,
// per instruction, a loop iteration, array loads for the instruction and its
// cost, and an indirect call whose target changes every time (a megamorphic
// call V8 cannot inline). A compiled block is straight-line code: each
// instruction's executor is called from its own call site (monomorphic, so
// V8 inlines it), the costs, addresses and IT conditions are constants, and
// the hottest simple executors are emitted as plain statements (templates).
//
// The generated code follows the run loop and runBlock step for step: the
// entry work (pairing with the previous instruction, instruction fetch
// through the cache), then per instruction: set r[15], (for the last) preset
// pc, execute, add the cost, drain bus stalls after memory instructions, and
// leave through an exit that does what Cpu.exitBlock does once `cycles`
// reaches `limit`. One liberty: plain data processing (no memory, no PC, no
// fault) neither sets r[15] nor checks the limit, and its costs are added in
// one go before the next instruction that could observe them; a timer event
// may so be taken a few instructions late, never early.
//
// Only numbers and fixed identifiers go into the source text. Environments
// that forbid `new Function` (a Content-Security-Policy without
// 'unsafe-eval') are detected once; the interpreter then runs every block.

import type { Block, BlockFn } from './block.ts';
import { AL } from './block.ts';
import { x_sdiv, x_udiv } from './exec-alu.ts';
import { bcondExec, x_b, x_bl, x_cbz } from './exec-ctrl.ts';
import type { Exec, Insn } from './insn.ts';
import { templateFor } from './jit-templates.ts';
import { Cls } from './timing.ts';

/**
 * Executions after which a block is compiled. V8 runs a new function in its
 * own interpreter until that function is hot, which is slower than our
 * interpreter; compiling only blocks that will run many more times keeps
 * that warm-up short (docs/emulator.md has the figures).
 */
export const JIT_THRESHOLD = 200;

let available: boolean | undefined;

/** Can this environment compile code at run time? */
export function jitAvailable(): boolean {
  if (available === undefined) {
    try {
      available = new Function('return 1')() === 1;
    } catch {
      available = false;
    }
  }
  return available;
}

/** JavaScript for ConditionPassed(cond) over the CPU's flag fields. */
const COND_JS = [
  'c.zf === 0',
  'c.zf !== 0',
  'c.cf !== 0',
  'c.cf === 0',
  'c.nf < 0',
  'c.nf >= 0',
  'c.vf !== 0',
  'c.vf === 0',
  '(c.cf !== 0 && c.zf !== 0)',
  '(c.cf === 0 || c.zf === 0)',
  '((c.nf < 0) === (c.vf !== 0))',
  '((c.nf < 0) !== (c.vf !== 0))',
  '(c.zf !== 0 && (c.nf < 0) === (c.vf !== 0))',
  '(c.zf === 0 || (c.nf < 0) !== (c.vf !== 0))',
  'true',
];

const hex = (v: number): string => '0x' + (v >>> 0).toString(16);

/** Direct branches (their target is Insn.target). */
const DIRECT = new Set<Exec>([x_b, x_bl, x_cbz, ...bcondExec]);

/** Executors of data-processing instructions that can fault (divide by zero trap). */
const MAY_FAULT = new Set<Exec>([x_sdiv, x_udiv]);

/**
 * Data processing that neither faults, reads PC, touches memory nor asks for
 * attention: it needs no r[15], and its cost can be added together with its
 * neighbours' (the check against `limit` waits for the next instruction that
 * can observe or end the run; single steps use the interpreter).
 */
function isPlain(d: Insn, cond: number): boolean {
  return (
    d.cls === Cls.DP &&
    cond === AL &&
    !MAY_FAULT.has(d.exec) &&
    d.rn !== 15 &&
    d.rm !== 15 &&
    d.ra !== 15 &&
    d.rd !== 15
  );
}

/** Compiles a block; null when the environment cannot (the interpreter is used then). */
export function compileBlock(
  b: Block,
  pairAdjust: (p: Insn | null, c: Insn) => number,
): BlockFn | null {
  if (!jitAvailable()) return null;
  const ins = b.insns;
  const n = ins.length;
  const execs: Exec[] = [];
  const lines: string[] = [];
  const last = ins[n - 1]!;
  // A block that branches back to its own start (an inner loop) loops inside its function.
  const selfLoop = last.flow && last.target >>> 0 === b.start >>> 0 && DIRECT.has(last.exec);
  // Entry: pairing with the instruction before (only a load/store can pair), then the fetch cost.
  if (ins[0]!.cls >= Cls.LOAD) {
    lines.push(
      '{ const p = c.prev; if (p !== null) { const a = pair(p, i0); c.cycles += a; c.lsu += a; } }',
    );
  }
  if (b.region.cache !== null) lines.push('c.cycles += cache.fetch(B.lines, B.lineWords);');
  let pending = 0;
  const flush = (): void => {
    if (pending !== 0) lines.push(`c.cycles += ${pending};`);
    pending = 0;
  };
  for (let k = 0; k < n; k++) {
    const d = ins[k]!;
    const next = (d.addr + d.size) >>> 0;
    const cond = b.cond[k]!;
    const call = templateFor(d, k) ?? `e${k}(c, i${k});`;
    execs.push(d.exec);
    lines.push(`// ${hex(d.addr)} ${d.name}`);
    if (isPlain(d, cond) && k < n - 1) {
      lines.push(call);
      pending += b.cyc[k]!;
      continue;
    }
    flush();
    lines.push(`r[15] = ${(d.addr + 4) | 0};`);
    if (d.flow) lines.push(`c.pc = ${hex(next)};`);
    const cost = `c.cycles += ${b.cyc[k]!};`;
    if (cond !== AL) {
      const lsu = b.lsuPre[k + 1]! - b.lsuPre[k]!;
      lines.push(`if (${COND_JS[cond]}) { ${call} ${cost} } else { c.cycles += 1;`);
      if (lsu !== 0) lines.push(`c.lsu -= ${lsu};`);
      lines.push(`}`, `c.it = ${b.itNext[k]!};`);
    } else lines.push(call, cost);
    if (d.cls >= Cls.LOAD || d.flow) lines.push('if (mem.stall !== 0) c.drainStall();');
    if (k < n - 1) {
      // Early exit: the bookkeeping of Cpu.exitBlock after k + 1 instructions.
      lines.push(
        `if (c.cycles >= c.limit) { c.icount += ${k + 1}; c.lsu += ${b.lsuPre[k + 1]!};` +
          ` c.pc = ${hex(next)}; c.prev = i${k}; return; }`,
      );
    }
  }
  lines.push(`c.icount += ${n};`, `c.lsu += ${b.lsuPre[n]!};`);
  if (last.flow) lines.push('c.prev = null;');
  else lines.push(`c.pc = ${hex(last.addr + last.size)};`, `c.prev = i${n - 1};`);
  if (selfLoop) {
    const again = `c.pc === ${hex(b.start)} && c.cycles < c.limit${b.hasIT ? ' && c.it === 0' : ''}`;
    lines.unshift('for (;;) {');
    lines.push(`if (!(${again})) return;`, '}');
  }
  lines.unshift('const r = c.r;', 'const mem = c.mem;', 'c.curBlock = B;');

  const consts = ins.map((_, k) => `const e${k} = E[${k}], i${k} = I[${k}];`).join('\n');
  const name = `block_${(b.start >>> 0).toString(16)}`;
  const source = `${consts}\nreturn function ${name}(c) {\n${lines.join('\n')}\n};`;
  try {
    const factory = new Function('E', 'I', 'B', 'pair', 'cache', source) as (
      e: Exec[],
      i: Insn[],
      b: Block,
      pair: typeof pairAdjust,
      cache: Block['region']['cache'],
    ) => BlockFn;
    return factory(execs, ins, b, pairAdjust, b.region.cache);
  } catch {
    return null;
  }
}
