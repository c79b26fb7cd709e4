// Block compilation is an optimisation, never a behaviour: the C workload
// must leave the same results and the same counters whether its blocks are
// interpreted, compiled at first use, or compiled once hot. (Running the
// whole emulator suite with TD_EMU_JIT_THRESHOLD=1 does the same for every
// snippet.) Then the MRAM cache: same results, far fewer cycles once the
// firmware turns it on, and monitor counters that add up.

import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BoardMachine, Machine, VIRTUAL_APOLLO4P } from '../../src/emulator/board.ts';
import { CACHECFG_HAL_DEFAULT, CACHECFG_MONITOR } from '../../src/emulator/cache.ts';
import type { CpuOptions } from '../../src/emulator/cpu.ts';
import { FIXTURES, SKIP_REASON, armToolchain, compileArm } from '../emulator/toolchain.ts';

const PROGRAM = join(FIXTURES, 'program.c');

function outcome(m: Machine): unknown {
  const r = m.run(200_000_000);
  const base = m.symbol('results');
  return {
    reason: r.reason,
    results: Array.from({ length: 15 }, (_, k) => m.mem.peek32(base + 4 * k)),
    counters: m.cpu.counters(),
  };
}

describe.skipIf(!armToolchain)('JIT', () => {
  test.each(['-O2', '-Os'])('interpreted and compiled runs agree exactly at %s', (opt) => {
    const elf = compileArm([PROGRAM], opt);
    const modes: CpuOptions[] = [{ jit: false }, { jitThreshold: 1 }, {}];
    const runs = modes.map((o) => {
      const m = new Machine(undefined, o);
      m.load(elf);
      return outcome(m);
    });
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  });
});

describe.skipIf(!armToolchain)('MRAM cache', () => {
  // program.c's board.ld puts code and vectors at 0, in MRAM.
  const spec = { ...VIRTUAL_APOLLO4P, vectorTable: 0 };

  function onBoard(elf: Uint8Array, cfg: number | null, options: CpuOptions = {}) {
    const m = new BoardMachine(spec, options);
    m.load(elf);
    if (cfg !== null) m.mem.write32(0x48000000, cfg); // what the firmware's board init would do
    const out = outcome(m) as { reason: string; results: number[]; counters: { cycles: number } };
    return { ...out, stats: m.cache!.stats() };
  }

  test('turning the cache on keeps the results and removes most fetch stalls', () => {
    const elf = compileArm([PROGRAM], '-O2');
    const off = onBoard(elf, null);
    const on = onBoard(elf, CACHECFG_HAL_DEFAULT | CACHECFG_MONITOR);
    expect(on.reason).toBe('bkpt');
    expect(on.results).toEqual(off.results);
    expect(on.counters.cycles).toBeLessThan(off.counters.cycles * 0.5);
    const s = on.stats;
    expect(s.iaccess).toBe(s.itaglookup + s.ihitsline);
    expect(s.daccess).toBe(s.dtaglookup + s.dhitsline);
    expect(s.ihitslookup).toBeLessThanOrEqual(s.itaglookup);
    // A loop-heavy program fits the cache: misses are the first touch of each line.
    expect((s.itaglookup - s.ihitslookup) / s.itaglookup).toBeLessThan(0.05);
    expect(s.daccess).toBeGreaterThan(0); // literal pools and constants live in MRAM too
    // Without the monitor bit nothing is counted, yet the timing is the same.
    const quiet = onBoard(elf, CACHECFG_HAL_DEFAULT);
    expect(quiet.stats.iaccess).toBe(0);
    expect(quiet.counters.cycles).toBe(on.counters.cycles);
  });

  test('cache statistics and cycles do not depend on compilation', () => {
    const elf = compileArm([PROGRAM], '-Os');
    const a = onBoard(elf, CACHECFG_HAL_DEFAULT | CACHECFG_MONITOR, { jit: false });
    const b = onBoard(elf, CACHECFG_HAL_DEFAULT | CACHECFG_MONITOR, { jitThreshold: 1 });
    expect(b).toEqual(a);
  });
});

if (!armToolchain) test.skip(`JIT: ${SKIP_REASON}`, () => {});
