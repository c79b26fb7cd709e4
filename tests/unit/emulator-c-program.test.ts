// End to end: a C workload (CRC32, quicksort, float dot product and division,
// SMLAD int8 dot product, 64-bit multiply, divides) compiled with
// arm-none-eabi-gcc at -O2/-O3/-Os runs on the emulator and must produce the
// same numbers as the same source compiled for the host.

import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Machine } from '../../src/emulator/board.ts';
import {
  FIXTURES,
  SKIP_REASON,
  armToolchain,
  compileArm,
  hostCompiler,
  runHost,
} from '../emulator/toolchain.ts';

const PROGRAM = join(FIXTURES, 'program.c');
const COUNT = 15;

function runOnBoard(elf: Uint8Array): {
  results: number[];
  m: Machine;
  reason: string;
  bkpt?: number;
} {
  const m = new Machine();
  m.load(elf);
  const res = m.run(200_000_000);
  const base = m.symbol('results');
  const results = Array.from({ length: COUNT }, (_, k) => m.mem.peek32(base + 4 * k));
  return { results, m, reason: res.reason, ...(res.bkpt !== undefined ? { bkpt: res.bkpt } : {}) };
}

describe.skipIf(!armToolchain || !hostCompiler)('C program on the emulated Cortex-M4F', () => {
  const expected = hostCompiler
    ? runHost([PROGRAM], '-O2')
        .trim()
        .split('\n')
        .map((h) => parseInt(h, 16))
    : [];

  test.each(['-O2', '-O3', '-Os'])('matches the host build at %s', (opt) => {
    const { results, reason, bkpt, m } = runOnBoard(compileArm([PROGRAM], opt));
    expect(reason).toBe('bkpt');
    expect(bkpt).toBe(0);
    expect(results.map((v) => v.toString(16))).toEqual(expected.map((v) => v.toString(16)));
    // Sanity of the counters the profiler will build on.
    const k = m.cpu.counters();
    expect(k.instructions).toBeGreaterThan(100_000);
    expect(k.cycles).toBeGreaterThan(k.instructions);
  });

  test('SysTick interrupts with FP context stacking leave the results unchanged', () => {
    const elf = compileArm([PROGRAM], '-O2', ['-DWITH_SYSTICK']);
    const { results, reason, m } = runOnBoard(elf);
    expect(reason).toBe('bkpt');
    expect(results.map((v) => v.toString(16))).toEqual(expected.map((v) => v.toString(16)));
    const ticks = m.mem.peek32(m.symbol('ticks'));
    // One tick every 998 cycles (RVR + 1); exception overhead makes it a bit more.
    const k = m.cpu.counters();
    expect(ticks).toBeGreaterThan(Math.floor((k.cycles - k.exc) / 998) - 2);
    expect(ticks).toBeLessThanOrEqual(Math.ceil(k.cycles / 998));
    expect(k.exc).toBeGreaterThan(0);
  });
});

if (!armToolchain || !hostCompiler) test.skip(`C program: ${SKIP_REASON}`, () => {});
