// The instruction-count plugin for QEMU (tests/qemu-plugin/insn_count.c)
// and the emulator probe (tests/qemu-plugin/emulator-probe.ts) on a small
// program whose counts are known by construction: a loop with an IT block
// while SysTick interrupts land every hundred cycles or so (the handler is
// a skipped range), a device register read in the middle of a translation
// block (QEMU replays such a block under -icount: counting per block
// instead of per instruction would count some twice), and a call through a
// register to a function whose instructions are hidden from the count up
// to its return (a pause).
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
const HOOK_LOOPS = 10;
/** Instructions between the marks, by construction. */
const START_TO_DONE = 1 + 4 * LOOPS; // movw, then subs/it/addne/bne per iteration
const DONE_TO_HOOK = 4; // ldr (device), adds, ldr, blx
const HOOK_BODY = 1 + 2 * HOOK_LOOPS + 1; // movs, subs/bne per iteration, bx lr
const HOOK_TO_AFTER = 2; // nop, b
const HANDLER = 5;

// Vector table at 0 (mps2-an386 boots from there); SysTick every 100 core
// clocks; `main` (the resume range) with marks at `start`, `done` and
// `after`, calling `hook` (a pause mark) through a register; a semihosting
// exit. Marks sit at branch targets: the emulator probe sees block starts
// only.
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
main:
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
  ldr r4, =hook + 1
  blx r4
  nop
  b after
after:
  movs r1, #0
  str r1, [r0]
  movs r0, #0x18
  ldr r1, =0x20026
  bkpt 0xab
main_end:
hang:
  b hang
hook:
  movs r5, #${HOOK_LOOPS}
1:
  subs r5, #1
  bne 1b
  bx lr
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
      const names = [
        'main',
        'main_end',
        'start',
        'done',
        'hook',
        'after',
        'systick',
        'systick_end',
      ];
      at = Object.fromEntries(names.map((n) => [n, symbols.address(n)]));
      setup = {
        marks: [at.start!, at.done!, at.hook!, at.after!],
        pauses: [at.hook!],
        resumes: [[at.main!, at.main_end!]],
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

    const qemuReport = (name: string, s: InsnCountSetup) => {
      const out = join(dir, name);
      const r = runQemu(insnCountPluginArgs(so, out, s));
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return parseInsnCountReport(readFileSync(out, 'utf8'));
    };

    /** Differences between consecutive marks (start, done, hook, after). */
    const gaps = (marks: MarkEvent[]): number[] =>
      marks.slice(1).map((m, i) => m.count - marks[i]!.count);

    it('QEMU: exact counts with interrupts, a replayed I/O read and a paused call', () => {
      const report = qemuReport('report.txt', setup);
      expect(report.marks.map((m) => m.addr)).toEqual(setup.marks);
      expect(report.marks.map((m) => m.paused)).toEqual([false, false, false, false]);
      expect(gaps(report.marks)).toEqual([START_TO_DONE, DONE_TO_HOOK, HOOK_TO_AFTER]);
      expect(report.exit!.hidden).toBe(HOOK_BODY);
      // The handler ran, HANDLER instructions a time, outside the count.
      expect(report.exit!.skipped).toBeGreaterThan(HANDLER * 10);
      expect(report.exit!.skipped % HANDLER).toBe(0);
    });

    it('QEMU: without the pause and the skipped range, the hook and the handler count', () => {
      const report = qemuReport('report-plain.txt', { marks: setup.marks, skips: [] });
      const [loop, , hook] = gaps(report.marks);
      expect(hook).toBe(HOOK_BODY + HOOK_TO_AFTER);
      expect(loop! - START_TO_DONE).toBeGreaterThan(0);
      expect((loop! - START_TO_DONE) % HANDLER).toBe(0);
      expect(report.exit).toMatchObject({ hidden: 0, skipped: 0 });
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
      expect(probe.marks.map((e) => e.paused)).toEqual([false, false, false, false]);
      expect(gaps(probe.marks)).toEqual([START_TO_DONE, DONE_TO_HOOK, HOOK_TO_AFTER]);
      expect(probe.hidden()).toBe(HOOK_BODY);
      expect(probe.skipped()).toBeGreaterThan(HANDLER * 10);
      expect(probe.skipped() % HANDLER).toBe(0);
      expect(probe.visible() + probe.hidden() + probe.skipped()).toBe(m.cpu.icount);
    });

    it('the emulator probe refuses a pause whose return address is in no resume range', () => {
      const m = new Machine([
        { name: 'ssram1', base: 0, size: 4 << 20, perms: 'rx' },
        { name: 'ssram23', base: 0x20000000, size: 4 << 20, perms: 'rwx' },
      ]);
      attachProbe(m.cpu, { ...setup, resumes: [[at.hook!, at.systick!]] });
      m.load(elf);
      expect(() => m.run(1e7)).toThrow(/returns to 0x[0-9a-f]+, no resume range/);
    });

    it('QEMU refuses to start when the plugin is given a bad argument', () => {
      const r = runQemu(['-plugin', `${so},out=${join(dir, 'x.txt')},marks=0x10:zz`]);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/insn_count: bad list: marks=0x10:zz/);
    });

    it('refuses report lines it does not know and paths QEMU would split', () => {
      expect(() => parseInsnCountReport('M 0x10 5 0\nX 1\n')).toThrow(QemuPluginError);
      expect(parseInsnCountReport('M 0x10 5 1\nM 0x2').marks).toEqual([
        { addr: 16, count: 5, paused: true },
      ]);
      expect(() => insnCountPluginArgs(so, '/tmp/a,b', setup)).toThrow(/comma/);
    });
  },
);

describe('invokeCounts: layer windows from mark events', () => {
  const w: ValidatorWindow = {
    invoke: [0x100, 0x200],
    loop: [
      [0x100, 0x180],
      [0x200, 0x280],
    ],
    before: 0x300,
    after: 0x400,
    skips: [],
  };
  const ev = (list: [number, number, boolean?][]): MarkEvent[] =>
    list.map(([addr, count, paused]) => ({ addr, count, paused: paused ?? false }));
  const I = 0x100;
  const I2 = 0x200;
  const B = 0x300;
  const A = 0x400;

  it('derives kernel, layer and loop counts; a hand-over between loop functions is one INVOKE', () => {
    const events = ev([
      [I, 0],
      [I2, 3],
      [B, 10],
      [A, 110],
      [B, 120],
      [A, 220],
      [I, 300],
      [B, 305],
      [A, 400],
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

  it('throws when the hooks do not alternate or one starts before the last returned', () => {
    const bad: [[number, number, boolean?][], RegExp][] = [
      [[[B, 1]], /before-hook/],
      [
        [
          [I, 0],
          [A, 1],
        ],
        /after-hook/,
      ],
      [
        [
          [I, 0],
          [B, 1],
          [B, 2],
        ],
        /before-hook/,
      ],
      [
        [
          [I, 0],
          [B, 1],
          [I, 2],
        ],
        /inside a layer/,
      ],
      [
        [
          [I, 0],
          [B, 1],
          [A, 1, true],
        ],
        /returned to the loop/,
      ],
    ];
    for (const [events, message] of bad) expect(() => invokeCounts(ev(events), w)).toThrow(message);
  });
});
