// The emulator's side of the instruction-count comparison with QEMU: the
// same marks, pauses, resume ranges and skipped ranges as the plugin
// (tests/qemu-plugin/insn_count.c, whose header defines them), on a running
// Cpu, without changing the emulator.
//
// The run loop executes blocks (src/emulator/block.ts) that start at a
// branch target and keep `cpu.icount` exact between blocks. The probe wraps
// the blocks it cares about as they are built (Cpu.newBlock):
// - a block that starts in a skipped range adds the instructions it ran to
//   `skipped`;
// - a block that starts in a resume range ends a pause in progress;
// - a block that starts at a mark records the visible count (icount minus
//   skipped minus hidden), and starts a pause if the mark is a pause.
// Wrapped blocks run compiled (jit.ts), which the emulator's own tests hold
// identical to interpreted ones. What the probe cannot see exactly throws
// instead of miscounting: a mark in the middle of a block, a block running
// from one kind of code into a skipped or resume range, a marked block that
// loops back to itself. At a pause mark it also checks that the return
// address (LR) lies in a resume range, which is what makes the pause end at
// the paused call's return. Entering a range in the middle of an IT block
// (Cpu.stepIT, after an exception return or a slice boundary) is handled
// there. Single-stepping (Cpu.step) bypasses the probe.
//
// It relies on private methods of Cpu (newBlock, stepIT, enterBlock,
// runBlock); if they are renamed the probe throws when attached rather than
// counting nothing.
import type { Block, BlockFn } from '../../src/emulator/block.ts';
import type { Cpu } from '../../src/emulator/cpu.ts';
import { compileBlock } from '../../src/emulator/jit.ts';
import { pairAdjust } from '../../src/emulator/timing.ts';
import type { InsnCountSetup, MarkEvent } from '../../src/node/qemu-plugin.ts';

interface CpuInternals {
  newBlock(pc: number): Block;
  stepIT(pc: number): void;
  enterBlock(b: Block): void;
  runBlock(b: Block): void;
}

export interface EmulatorProbe {
  /** Every execution of a marked address, in order. */
  readonly marks: MarkEvent[];
  /** Instructions executed so far outside skipped ranges and pauses. */
  visible(): number;
  hidden(): number;
  skipped(): number;
}

type Range = readonly [number, number];
const hex = (v: number): string => '0x' + (v >>> 0).toString(16);

export function attachProbe(cpu: Cpu, setup: InsnCountSetup): EmulatorProbe {
  const internals = cpu as unknown as CpuInternals;
  for (const m of ['newBlock', 'stepIT', 'enterBlock', 'runBlock'] as const)
    if (typeof internals[m] !== 'function') throw new Error(`Cpu has no method ${m} to probe`);
  const marks = new Set(setup.marks.map((a) => a >>> 0));
  const pauses = new Set((setup.pauses ?? []).map((a) => a >>> 0));
  const norm = (list: readonly Range[] | undefined): Range[] =>
    (list ?? []).map(([s, e]) => [s >>> 0, e >>> 0] as const);
  const skips = norm(setup.skips);
  const resumes = norm(setup.resumes);
  const within = (list: Range[], addr: number): Range | undefined =>
    list.find(([s, e]) => addr >= s && addr < e);

  const events: MarkEvent[] = [];
  let skipped = 0;
  let hidden = 0;
  let paused = false;
  let pauseStart = 0; // icount - skipped when the pause began
  const total = (): number => cpu.icount - skipped;
  const resume = (): void => {
    if (!paused) return;
    hidden += total() - pauseStart;
    paused = false;
  };

  const run = (b: Block): BlockFn =>
    compileBlock(b, pairAdjust) ??
    ((c) => {
      const i = c as unknown as CpuInternals;
      i.enterBlock(b);
      i.runBlock(b);
    });

  const instrument = (b: Block): void => {
    const start = b.start >>> 0;
    const end = b.end >>> 0;
    for (const m of marks)
      if (m > start && m < end)
        throw new Error(`marked address ${hex(m)} inside the block at ${hex(start)}`);
    const skip = within(skips, start);
    const inResume = within(resumes, start);
    for (const [s, e] of [...skips, ...resumes]) {
      const containsStart = start >= s && start < e;
      if (containsStart ? end > e : s > start && s < end)
        throw new Error(`block ${hex(start)}-${hex(end)} crosses the range ${hex(s)}-${hex(e)}`);
    }
    if (skip) {
      const inner = run(b);
      b.fn = (c) => {
        const before = c.icount;
        inner(c);
        skipped += c.icount - before;
      };
      return;
    }
    const mark = marks.has(start);
    const pause = pauses.has(start);
    if (!mark && !inResume) return;
    const last = b.insns[b.insns.length - 1]!;
    if (mark && last.flow && last.target >>> 0 === start)
      throw new Error(`marked block at ${hex(start)} loops back to itself`);
    const inner = run(b);
    b.fn = (c) => {
      if (inResume) resume();
      if (mark) events.push({ addr: start, count: total() - hidden, paused });
      if (pause && !paused) {
        const lr = (c.r[14]! & ~1) >>> 0;
        if (!within(resumes, lr))
          throw new Error(`paused call at ${hex(start)} returns to ${hex(lr)}, no resume range`);
        paused = true;
        pauseStart = total();
      }
      inner(c);
    };
  };

  const newBlock = internals.newBlock.bind(cpu);
  internals.newBlock = (pc) => {
    const b = newBlock(pc);
    instrument(b);
    return b;
  };
  const stepIT = internals.stepIT.bind(cpu);
  internals.stepIT = (pc) => {
    const at = pc >>> 0;
    if (marks.has(at)) throw new Error(`marked address ${hex(at)} inside an IT block`);
    if (within(resumes, at)) resume();
    const before = cpu.icount;
    stepIT(pc);
    if (within(skips, at)) skipped += cpu.icount - before;
  };

  return {
    marks: events,
    visible: () => total() - hidden - (paused ? total() - pauseStart : 0),
    hidden: () => hidden + (paused ? total() - pauseStart : 0),
    skipped: () => skipped,
  };
}
