// Test helpers that drive Debian's arm-none-eabi toolchain: snippets are
// assembled and linked at test time (no hand-written encodings), C programs
// are compiled for the board and for the host. Tests skip with a message when
// the toolchain is missing; CI installs it.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Machine } from '../../src/emulator/board.ts';
import type { CpuOptions, RunResult } from '../../src/emulator/cpu.ts';

export const FIXTURES = import.meta.dirname;

function has(tool: string): boolean {
  const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

export const armToolchain =
  has('arm-none-eabi-as') && has('arm-none-eabi-ld') && has('arm-none-eabi-gcc');
export const hostCompiler = has('cc');
export const qemu = has('qemu-system-arm');
export const SKIP_REASON =
  'arm-none-eabi toolchain not installed (apt-get install gcc-arm-none-eabi)';

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

function withTmp<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'td-emu-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const AS_FLAGS = ['-mcpu=cortex-m4', '-mfpu=fpv4-sp-d16', '-mthumb', '-mfloat-abi=hard'];

/** Assembles and links a Thumb source at `base`; returns the ELF bytes (and objdump text if asked). */
export function assemble(source: string, base = 0): { elf: Uint8Array; disasm: string } {
  return withTmp((dir) => {
    writeFileSync(join(dir, 'a.s'), `.syntax unified\n.thumb\n${source}\n`);
    run('arm-none-eabi-as', [...AS_FLAGS, '-o', 'a.o', 'a.s'], dir);
    run(
      'arm-none-eabi-ld',
      [`-Ttext=0x${base.toString(16)}`, '--no-warn-rwx-segments', '-o', 'a.elf', 'a.o'],
      dir,
    );
    const disasm = run('arm-none-eabi-objdump', ['-d', 'a.elf'], dir);
    return { elf: new Uint8Array(readFileSync(join(dir, 'a.elf'))), disasm };
  });
}

/** Compiles C for the board with the fixtures' startup code and linker script. */
export function compileArm(sources: string[], opt: string, defines: string[] = []): Uint8Array {
  return compileBare(
    [join(FIXTURES, 'startup.c'), ...sources],
    opt,
    join(FIXTURES, 'board.ld'),
    defines,
  );
}

/** Compiles freestanding C for a Cortex-M4F with the given linker script (no startup added). */
export function compileBare(
  sources: string[],
  opt: string,
  ld: string,
  defines: string[] = [],
): Uint8Array {
  return withTmp((dir) => {
    run(
      'arm-none-eabi-gcc',
      [
        '-mcpu=cortex-m4',
        '-mfpu=fpv4-sp-d16',
        '-mfloat-abi=hard',
        '-mthumb',
        opt,
        '-nostdlib',
        '-ffreestanding',
        '-fno-builtin',
        '-ffp-contract=off',
        '-fno-math-errno',
        ...defines,
        '-T',
        ld,
        ...sources,
        '-lgcc',
        '-o',
        join(dir, 'p.elf'),
      ],
      dir,
    );
    return new Uint8Array(readFileSync(join(dir, 'p.elf')));
  });
}

/** Compiles and runs C on the host; returns stdout. */
export function runHost(sources: string[], opt: string, defines: string[] = []): string {
  return withTmp((dir) => {
    run(
      'cc',
      [
        opt,
        '-ffp-contract=off',
        '-fno-math-errno',
        ...defines,
        ...sources,
        '-o',
        join(dir, 'p'),
        '-lm',
      ],
      dir,
    );
    return run(join(dir, 'p'), [], dir);
  });
}

/**
 * TD_EMU_JIT_THRESHOLD=1 makes the snippet machines compile every block at
 * its first execution, so the whole emulator suite exercises the JIT's
 * templates (the default threshold leaves one-shot snippets interpreted).
 */
export const JIT_THRESHOLD: number | undefined = process.env.TD_EMU_JIT_THRESHOLD
  ? Number(process.env.TD_EMU_JIT_THRESHOLD)
  : undefined;

// ---- snippet board: code at 0, RAM at 0x2000_0000 ----

export const RAM = 0x20000000;
export const RAM_SIZE = 0x10000;

export class Snippets {
  readonly m: Machine;

  constructor(source: string, options: CpuOptions = { fpuEnabled: true }) {
    this.m = new Machine(
      [
        { name: 'code', base: 0, size: 0x40000, perms: 'rx' },
        { name: 'ram', base: RAM, size: RAM_SIZE, perms: 'rwx' },
      ],
      JIT_THRESHOLD === undefined ? options : { jitThreshold: JIT_THRESHOLD, ...options },
    );
    this.m.load(assemble(source).elf, 'entry');
  }

  get cpu(): Machine['cpu'] {
    return this.m.cpu;
  }

  /** Starts the snippet at `label` with the given registers and runs it (any stop reason). */
  start(label: string, regs: Record<number, number> = {}, maxCycles = 100_000): RunResult {
    const c = this.m.cpu;
    c.r.fill(0);
    for (const [k, v] of Object.entries(regs)) c.r[Number(k)] = v;
    if (regs[13] === undefined) c.r[13] = RAM + RAM_SIZE;
    c.it = 0;
    c.sleeping = false;
    c.pc = this.m.symbol(label);
    return c.run(maxCycles);
  }

  /** Runs the snippet at `label` with the given registers until BKPT. */
  run(label: string, regs: Record<number, number> = {}, maxCycles = 100_000): RunResult {
    const c = this.m.cpu;
    c.r.fill(0);
    for (const [k, v] of Object.entries(regs)) c.r[Number(k)] = v;
    if (regs[13] === undefined) c.r[13] = RAM + RAM_SIZE;
    c.it = 0;
    c.sleeping = false;
    c.pc = this.m.symbol(label);
    const res = c.run(maxCycles);
    if (res.reason !== 'bkpt') {
      throw new Error(`snippet ${label} stopped with ${res.reason}: ${res.fault?.message ?? ''}`);
    }
    return res;
  }

  reg(n: number): number {
    return this.m.cpu.r[n]! >>> 0;
  }
}

/** Deterministic 32-bit generator (xorshift32) for seeded operands. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** Operands biased toward edge cases: 0, ±1, extremes, halfword/byte boundaries. */
export function operands(seed: number, n: number): number[] {
  const next = rng(seed);
  const edges = [
    0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0x8000, 0x7fff, 0xffff, 0x80, 0x7f, 0x80008000,
    0x7fff7fff,
  ];
  const out = [...edges];
  while (out.length < n) {
    const r = next();
    const k = next() % 4;
    out.push(k === 0 ? r & 0x80ff80ff : k === 1 ? r & 0xffff : r);
  }
  return out.map((v) => v >>> 0);
}

/** One snippet per instruction: the instruction, then APSR into r12, then BKPT. */
export function snippetSource(
  cases: ReadonlyArray<readonly [label: string, body: string]>,
): string {
  return cases
    .map(
      ([label, body]) =>
        `.global ${label}\n${label}:\n  ${body.split(';').join('\n  ')}\n  mrs r12, apsr\n  bkpt 0\n`,
    )
    .join('\n');
}

export const u32 = (v: number | bigint): number => Number(BigInt.asUintN(32, BigInt(v)));
export const s32 = (v: number | bigint): number => Number(BigInt.asIntN(32, BigInt(v)));

export interface Flags {
  n: number;
  z: number;
  c: number;
  v: number;
}

export function apsrFlags(apsr: number): Flags {
  return { n: (apsr >>> 31) & 1, z: (apsr >>> 30) & 1, c: (apsr >>> 29) & 1, v: (apsr >>> 28) & 1 };
}

/**
 * Semihosting over BKPT 0xAB (the Cortex-M convention): SYS_WRITE0 appends to
 * `out`, SYS_EXIT (and anything else) stops the run.
 */
export function semihosting(out: { text: string }): CpuOptions['onBkpt'] {
  return (imm, c) => {
    if (imm !== 0xab || c.r[0] !== 4) return false;
    let a = c.r[1]! >>> 0;
    const bytes: number[] = [];
    for (let b = c.mem.read8(a); b !== 0; b = c.mem.read8(++a)) bytes.push(b);
    out.text += String.fromCharCode(...bytes);
    return true;
  };
}
