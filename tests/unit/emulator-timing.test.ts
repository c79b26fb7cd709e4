// The cycle model's rules, one snippet each (costs from the Cortex-M4 TRM as
// timing.ts states them), the DWT identity the profiler relies on, and the
// same costs whichever way an instruction is executed: single-stepped,
// interpreted in a block, or compiled.

import { describe, expect, test } from 'vitest';
import { RAM, SKIP_REASON, Snippets, armToolchain, snippetSource } from '../emulator/toolchain.ts';

// Each snippet ends with `mrs r12, apsr` (1 cycle) and `bkpt` (none).
const CASES: ReadonlyArray<readonly [label: string, body: string, cycles: number, lsu: number]> = [
  // A load pipelines behind an independent load...
  ['ldr_ldr', 'ldr r0, [r1]; ldr r2, [r1, #4]', 2 + 1, 1],
  // ...not when its address is the first load's result.
  ['ldr_dep', 'ldr r0, [r1]; ldr r2, [r0]', 2 + 2, 2],
  // A store with an immediate offset takes one cycle; nothing pipelines behind it.
  ['str_str', 'str r0, [r1]; str r0, [r1, #4]', 1 + 1, 0],
  ['str_ldr', 'str r0, [r1]; ldr r2, [r1]', 1 + 2, 1],
  // A register-offset store pipelines behind a load.
  ['ldr_strreg', 'ldr r0, [r1]; str r0, [r1, r3]', 2 + 1, 1],
  // No forwarding path from data processing to address generation.
  ['alu_dep', 'adds r1, #4; ldr r0, [r1]', 1 + 3, 2],
  ['alu_indep', 'adds r2, #4; ldr r0, [r1]', 1 + 2, 1],
  // 1 + N for multiple transfers, FP included.
  ['ldm4', 'ldm r1, {r4-r7}', 5, 4],
  ['push_pop', 'push {r4-r7}; pop {r4-r7}', 5 + 5, 8],
  ['vldm4', 'vldm r1, {s0-s3}', 5, 4],
  ['ldrd', 'ldrd r4, r5, [r1]', 3, 2],
  // IT folds (0 cycles); an instruction whose condition fails costs 1.
  ['it_skip', 'cmp r0, r0; ite ne; addne r2, #1; addeq r2, #2', 1 + 0 + 1 + 1, 0],
];

const SRC = snippetSource(CASES.map(([l, b]) => [l, b] as const));
const REGS = { 0: 5, 1: RAM, 3: 4 };

describe.skipIf(!armToolchain)('cycle model', () => {
  const s = armToolchain ? new Snippets(SRC) : (null as unknown as Snippets);

  test.each(CASES)('%s: %s', (label, _body, cycles, lsu) => {
    s.m.mem.write32(RAM, RAM); // ldr_dep loads an address
    const before = s.cpu.counters();
    const r = s.run(label, REGS);
    const after = s.cpu.counters();
    expect(r.cycles).toBe(cycles + 1);
    expect(after.lsu - before.lsu).toBe(lsu);
  });

  test('DWT identity: cycles = instructions + CPI + EXC + SLEEP + LSU - FOLD', () => {
    s.run('it_skip', REGS);
    s.run('push_pop', REGS);
    const k = s.cpu.counters();
    expect(k.cycles).toBe(k.instructions + k.cpi + k.exc + k.sleep + k.lsu - k.fold);
    expect(k.cpi).toBeGreaterThanOrEqual(0);
  });

  test('single-stepping counts the same cycles and LSU cycles as running', () => {
    for (const [label] of CASES) {
      s.m.mem.write32(RAM, RAM);
      const run = s.run(label, REGS);
      const c = s.cpu;
      c.r.fill(0);
      for (const [k, v] of Object.entries(REGS)) c.r[Number(k)] = v;
      c.r[13] = RAM + 0x10000;
      c.pc = s.m.symbol(label);
      c.prev = null;
      const lsu0 = c.counters().lsu;
      let cycles = 0;
      for (;;) {
        const r = c.step();
        cycles += r.cycles;
        if (r.reason === 'bkpt') break;
      }
      expect({ label, cycles }).toEqual({ label, cycles: run.cycles });
      expect(c.counters().lsu - lsu0).toBe(CASES.find((x) => x[0] === label)![3]);
    }
  });

  test('compiled blocks count exactly what interpreted blocks count', () => {
    const interp = new Snippets(SRC, { fpuEnabled: true, jit: false });
    const jit = new Snippets(SRC, { fpuEnabled: true, jitThreshold: 1 });
    for (const [label] of CASES) {
      for (const h of [interp, jit]) h.m.mem.write32(RAM, RAM);
      const a = interp.run(label, REGS);
      const b = jit.run(label, REGS);
      expect({ label, cycles: b.cycles, r: b.instructions }).toEqual({
        label,
        cycles: a.cycles,
        r: a.instructions,
      });
    }
    expect(jit.cpu.counters()).toEqual(interp.cpu.counters());
  });
});

if (!armToolchain) test.skip(`cycle model: ${SKIP_REASON}`, () => {});
