// The emulator's side of the instruction-count comparison with QEMU: the
// same marks and skipped ranges as the plugin (tests/qemu-plugin/
// insn_count.c), on a running Cpu, without changing the emulator.
//
// The run loop executes blocks (src/emulator/block.ts) that start at a
// branch target and keep `cpu.icount` exact between blocks. The probe wraps
// the blocks it cares about as they are built (Cpu.newBlock): a block that
// starts at a marked address records `icount - skipped` before it runs; a
// block that starts in a skipped range adds the instructions it ran to
// `skipped`. Both run as compiled blocks (jit.ts), which the emulator's own
// tests hold identical to interpreted ones. Anything the probe cannot see
// exactly — a mark in the middle of a block, a block running from counted
// code into a skipped range, a marked block that loops back to itself —
// throws instead of miscounting. Entering a skipped range in the middle of
// an IT block (Cpu.stepIT, after an exception return or a slice boundary)
// is counted there.
//
// It relies on two private methods of Cpu, newBlock and stepIT; if they are
// renamed the probe throws at attach time rather than counting nothing.
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
  /** Every execution of a marked address, in order, with the count before it. */
  readonly marks: MarkEvent[];
  /** Instructions executed so far outside the skipped ranges. */
  counted(): number;
  skipped(): number;
}

const hex = (v: number): string => '0x' + (v >>> 0).toString(16);

export function attachProbe(cpu: Cpu, setup: InsnCountSetup): EmulatorProbe {
  const internals = cpu as unknown as CpuInternals;
  for (const m of ['newBlock', 'stepIT', 'enterBlock', 'runBlock'] as const)
    if (typeof internals[m] !== 'function') throw new Error(`Cpu has no method ${m} to probe`);
  const marks = new Set(setup.marks.map((a) => a >>> 0));
  const skips = setup.skips.map(([s, e]) => [s >>> 0, e >>> 0] as const);
  const skipOf = (addr: number): readonly [number, number] | undefined =>
    skips.find(([s, e]) => addr >= s && addr < e);
  const events: MarkEvent[] = [];
  let skipped = 0;

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
    const range = skipOf(start);
    if (range) {
      if (end > range[1])
        throw new Error(`block at ${hex(start)} runs out of the skipped range ${hex(range[1])}`);
      const inner = run(b);
      b.fn = (c) => {
        const before = c.icount;
        inner(c);
        skipped += c.icount - before;
      };
      return;
    }
    for (const [s] of skips)
      if (s > start && s < end)
        throw new Error(`block at ${hex(start)} runs into the skipped range at ${hex(s)}`);
    if (marks.has(start)) {
      const last = b.insns[b.insns.length - 1]!;
      if (last.flow && last.target >>> 0 === start)
        throw new Error(`marked block at ${hex(start)} loops back to itself`);
      const inner = run(b);
      b.fn = (c) => {
        events.push({ addr: start, count: c.icount - skipped });
        inner(c);
      };
    }
  };

  const newBlock = internals.newBlock.bind(cpu);
  internals.newBlock = (pc) => {
    const b = newBlock(pc);
    instrument(b);
    return b;
  };
  const stepIT = internals.stepIT.bind(cpu);
  internals.stepIT = (pc) => {
    if (marks.has(pc >>> 0)) throw new Error(`marked address ${hex(pc)} inside an IT block`);
    const before = cpu.icount;
    stepIT(pc);
    if (skipOf(pc >>> 0)) skipped += cpu.icount - before;
  };

  return {
    marks: events,
    counted: () => cpu.icount - skipped,
    skipped: () => skipped,
  };
}
