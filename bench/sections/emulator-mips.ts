// Emulated MIPS in Node: the end-to-end test's C workload (CRC32, quicksort,
// float and SMLAD int8 dot products) compiled at -O2 and -Os for the
// Cortex-M4F, run repeatedly on one Machine so decoded blocks (and compiled
// ones) are warm; with block compilation (the default) and interpreted (what
// a page whose Content-Security-Policy forbids eval gets).

import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { Machine } from '../../src/emulator/board.ts';
import { FIXTURES, armToolchain, compileArm } from '../../tests/emulator/toolchain.ts';

export const title = 'Emulator: emulated Cortex-M4F MIPS in Node (C workload)';

export async function run(): Promise<string[]> {
  if (!armToolchain) return ['emulator-mips: skipped (arm-none-eabi-gcc not installed)'];
  const lines: string[] = [];
  for (const [opt, jit] of [
    ['-O2', true],
    ['-Os', true],
    ['-O2', false],
  ] as const) {
    const elf = compileArm([join(FIXTURES, 'program.c')], opt);
    const m = new Machine(undefined, { jit });
    m.load(elf);
    m.run(); // warm-up: decode cache, JIT
    let insns = 0;
    let cycles = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let runs = 0;
    while (performance.now() - t0 < 1500) {
      // Reset only: startup code re-initialises .data/.bss; the decode cache stays warm.
      m.cpu.reset();
      const r = m.run();
      if (r.reason !== 'bkpt') throw new Error(`benchmark program stopped with ${r.reason}`);
      insns += r.instructions;
      cycles += r.cycles;
      runs++;
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    // CPU time, not wall time: the figure should not depend on other load on the machine.
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    lines.push(
      `emulator ${opt} ${jit ? 'compiled' : 'interpreted'}: ${(insns / cpuSeconds / 1e6).toFixed(1)} emulated MIPS per CPU second ` +
        `(${(insns / seconds / 1e6).toFixed(1)} wall-clock), ` +
        `(${runs} runs x ${(insns / runs / 1e6).toFixed(2)} M instructions, ` +
        `CPI ${(cycles / insns).toFixed(2)} emulated)`,
    );
  }
  return lines;
}

/** Entry point for bench/run.ts. */
export const bench = run;

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const l of await run()) console.log(l);
}
