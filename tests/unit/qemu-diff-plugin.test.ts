// The instruction-count plugin for QEMU (tests/qemu-plugin/insn_count.c)
// and the emulator probe (tests/qemu-plugin/emulator-probe.ts) on a small
// program whose counts are known by construction: a loop with an IT block
// while SysTick interrupts land every hundred cycles or so (the handler is
// a skipped range), then a device register read in the middle of a
// translation block (QEMU replays such a block under -icount: counting
// per block instead of per instruction would count some twice).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Machine } from '../../src/emulator/board.ts';
import { parseElf } from '../../src/emulator/elf.ts';
import {
  buildInsnCountPlugin,
  hasHostCc,
  insnCountPluginArgs,
  invokeCounts,
  parseInsnCountReport,
  QemuPluginError,
  type InsnCountSetup,
  type MarkEvent,
  type ValidatorWindow,
} from '../../src/node/qemu-plugin.ts';
import { attachProbe } from '../qemu-plugin/emulator-probe.ts';
import { armToolchain, assemble, qemu } from '../emulator/toolchain.ts';

const LOOPS = 1000;

// Vector table at 0 (mps2-an386 boots from there), SysTick every 100 core
// clocks, then three marked points: `start`, `done` (after LOOPS x 4
// instructions and the one before the loop) and `after` (three more, the
// first of them a SysTick register read), and a semihosting exit. Marks sit
// at branch targets: the emulator probe sees block starts only.
const SOURCE = `
  .text
vectors:
  .word 0x20008000
  .word reset + 1
  .rept 13
  .word hang + 1
  .endr
  .word systick + 1
reset:
  ldr r0, =0xE000E010
  movs r1, #99
  str r1, [r0, #4]
  movs r1, #0
  str r1, [r0, #8]
  movs r1, #7
  str r1, [r0]
  movs r3, #0
  b start
start:
  movw r2, #${LOOPS}
loop:
  subs r2, #1
  it ne
  addne r3, #1
  bne loop
done:
  ldr r1, [r0, #8]
  adds r1, #0
  b after
after:
  movs r1, #0
  str r1, [r0]
  movs r0, #0x18
  ldr r1, =0x20026
  bkpt 0xab
hang:
  b hang
systick:
  ldr r1, =0x20000000
  ldr r2, [r1]
  adds r2, #1
  str r2, [r1]
  bx lr
systick_end:
  .ltorg
`;

describe.skipIf(!qemu || !hasHostCc() || !armToolchain)(
  'instruction-count plugin and emulator probe on a known program',
  () => {
    let dir = '';
    let so = '';
    let elf: Uint8Array = new Uint8Array();
    let setup: InsnCountSetup = { marks: [], skips: [] };
    let at: Record<string, number> = {};

    beforeAll(() => {
      so = buildInsnCountPlugin();
      dir = mkdtempSync(join(tmpdir(), 'td-plugin-'));
      elf = assemble(SOURCE, 0).elf;
      const symbols = parseElf(elf).symbols;
      at = Object.fromEntries(
        ['start', 'done', 'after', 'systick', 'systick_end'].map((n) => [n, symbols.address(n)]),
      );
      setup = {
        marks: [at.start!, at.done!, at.after!],
        skips: [[at.systick!, at.systick_end!]],
      };
    });
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const runQemu = (extra: string[]): { status: number | null; stderr: string } => {
      const file = join(dir, 'p.elf');
      writeFileSync(file, elf);
      const r = spawnSync(
        'qemu-system-arm',
        [
          '-M',
          'mps2-an386',
          '-nographic',
          '-monitor',
          'none',
          '-serial',
          'null',
          '-semihosting-config',
          'enable=on,target=native',
          '-icount',
          'shift=5',
          '-kernel',
          file,
          ...extra,
        ],
        { encoding: 'utf8', timeout: 30_000 },
      );
      return { status: r.status, stderr: r.stderr };
    };

    it('QEMU: counts between marks are exact, with interrupts and a replayed I/O read', () => {
      const out = join(dir, 'report.txt');
      const r = runQemu(insnCountPluginArgs(so, out, setup));
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const report = parseInsnCountReport(readFileSync(out, 'utf8'));
      expect(report.marks.map((m) => m.addr)).toEqual(setup.marks);
      const [start, done, after] = report.marks.map((m) => m.count);
      expect(done! - start!).toBe(1 + 4 * LOOPS);
      expect(after! - done!).toBe(3);
      // The handler ran (5 instructions a time) and was kept out of the count.
      expect(report.exit!.skipped).toBeGreaterThan(5 * 10);
      expect(report.exit!.skipped % 5).toBe(0);
    });

    it('QEMU: without the skipped range the handler shows up inside the loop', () => {
      const out = join(dir, 'report-noskip.txt');
      expect(runQemu(insnCountPluginArgs(so, out, { ...setup, skips: [] })).status).toBe(0);
      const report = parseInsnCountReport(readFileSync(out, 'utf8'));
      const [start, done] = report.marks.map((m) => m.count);
      const extra = done! - start! - (1 + 4 * LOOPS);
      expect(extra).toBeGreaterThan(0);
      expect(extra % 5).toBe(0);
      expect(report.exit!.skipped).toBe(0);
    });

    it('the emulator probe gives the same counts', () => {
      const m = new Machine([
        { name: 'ssram1', base: 0, size: 4 << 20, perms: 'rx' },
        { name: 'ssram23', base: 0x20000000, size: 4 << 20, perms: 'rwx' },
      ]);
      const probe = attachProbe(m.cpu, setup);
      m.load(elf);
      const r = m.run(1e7);
      expect(r.reason).toBe('bkpt');
      expect(probe.marks.map((e) => e.addr)).toEqual(setup.marks);
      const [start, done, after] = probe.marks.map((e) => e.count);
      expect(done! - start!).toBe(1 + 4 * LOOPS);
      expect(after! - done!).toBe(3);
      expect(probe.skipped()).toBeGreaterThan(5 * 10);
      expect(probe.skipped() % 5).toBe(0);
      expect(probe.counted() + probe.skipped()).toBe(m.cpu.icount);
    });

    it('QEMU refuses to start when the plugin is given a bad argument', () => {
      const r = runQemu(['-plugin', `${so},out=${join(dir, 'x.txt')},marks=0x10:zz`]);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/insn_count: bad marks/);
    });

    it('refuses report lines it does not know and paths QEMU would split', () => {
      expect(() => parseInsnCountReport('M 0x10 5\nX 1\n')).toThrow(QemuPluginError);
      expect(parseInsnCountReport('M 0x10 5\nM 0x2').marks).toEqual([{ addr: 16, count: 5 }]);
      expect(() => insnCountPluginArgs(so, '/tmp/a,b', setup)).toThrow(/comma/);
    });
  },
);

describe('invokeCounts: layer windows from mark events', () => {
  const w: ValidatorWindow = { invoke: [0x100, 0x200], before: 0x300, after: 0x400, skips: [] };
  const ev = (pairs: [number, number][]): MarkEvent[] =>
    pairs.map(([addr, count]) => ({ addr, count }));

  it('derives kernel, layer and loop counts; a hand-over between loop functions is one INVOKE', () => {
    const events = ev([
      [0x100, 0],
      [0x200, 3],
      [0x300, 10],
      [0x400, 110],
      [0x300, 120],
      [0x400, 220],
      [0x100, 300],
      [0x300, 305],
      [0x400, 400],
    ]);
    expect(invokeCounts(events, w)).toEqual([
      {
        layers: [
          { kernel: 100, layer: 107 },
          { kernel: 100, layer: 110 },
        ],
        loop: 217,
      },
      { layers: [{ kernel: 95, layer: 100 }], loop: 100 },
    ]);
  });

  it('throws when the hooks do not alternate', () => {
    expect(() => invokeCounts(ev([[0x300, 1]]), w)).toThrow(/before-hook/);
    expect(() =>
      invokeCounts(
        ev([
          [0x100, 0],
          [0x400, 1],
        ]),
        w,
      ),
    ).toThrow(/after-hook/);
    expect(() =>
      invokeCounts(
        ev([
          [0x100, 0],
          [0x300, 1],
          [0x300, 2],
        ]),
        w,
      ),
    ).toThrow(/before/);
    expect(() =>
      invokeCounts(
        ev([
          [0x100, 0],
          [0x300, 1],
          [0x100, 2],
        ]),
        w,
      ),
    ).toThrow(/inside/);
  });
});
