// Helpers for the export tests: build an export for a model (expected
// outputs from the host runtime), unzip it, build it with the toolchain,
// and run the ELF on QEMU or the emulator, capturing the UART.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { analyzeModel } from '../../src/core/analysis/analyze.ts';
import type { Analysis } from '../../src/core/analysis/types.ts';
import { buildExport, type ExportBuild, type ExportInput } from '../../src/core/codegen/export.ts';
import type { ExportKit } from '../../src/core/codegen/kit.ts';
import type { TestVectors } from '../../src/core/codegen/test-vectors.ts';
import { buildPackage } from '../../src/core/package/build-package.ts';
import type { Model } from '../../src/core/tflite/model.ts';
import { readModel } from '../../src/core/tflite/read.ts';
import { generateInputSets } from '../../src/core/validate/inputs.ts';
import { inputSpecsFor } from '../../src/core/validate/model-inputs.ts';
import {
  bytesOfData,
  dataFromBytes,
  isNumericType,
  type TensorData,
} from '../../src/core/validate/tensor-data.ts';
import * as emulatorBoard from '../../src/emulator/board.ts';
import type { RunResult } from '../../src/emulator/cpu.ts';
import type { Device } from '../../src/emulator/memory.ts';
import { readKitDir } from '../../scripts/lib-kit.ts';
import { runPackage } from '../support/host-runtime.ts';

function has(tool: string, arg = '--version'): boolean {
  return spawnSync(tool, [arg], { encoding: 'utf8' }).status === 0;
}

export const tools = {
  arm: has('arm-none-eabi-gcc') && has('arm-none-eabi-nm') && has('make'),
  qemu: has('qemu-system-arm'),
  cmake: has('cmake'),
  cc: has('cc'),
};

let kitCache: ExportKit | null = null;
export function kit(): ExportKit {
  kitCache ??= readKitDir();
  return kitCache;
}

export interface Prepared {
  model: Model;
  bytes: Uint8Array;
  analysis: Analysis;
  pkg: Uint8Array;
}

export function prepare(bytes: Uint8Array): Prepared {
  const read = readModel(bytes);
  if (!read.ok) throw read.error;
  const analysis = analyzeModel(read.value, bytes.length);
  const built = buildPackage(read.value, analysis.memory);
  if (!built.ok) throw built.error;
  return { model: read.value, bytes, analysis, pkg: built.value.bytes };
}

/** Random inputs (seeded) and the host runtime's outputs for them: exact-match vectors. */
export function hostVectors(p: Prepared, samples: number, seed: number): TestVectors {
  const specs = inputSpecsFor(p.model);
  if (specs.problem) throw new Error(specs.problem);
  const inputs = generateInputSets(specs.specs, samples, seed);
  const parts = inputs.flatMap((s) => s.map(bytesOfData));
  const joined = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of parts) {
    joined.set(b, at);
    at += b.length;
  }
  const run = runPackage(p.pkg, joined);
  if (!run.ok) throw new Error(`host runtime: ${run.stderr}`);
  at = 0;
  const outputs = inputs.map(() =>
    p.analysis.model.outputs.map((t): TensorData => {
      if (!isNumericType(t.type)) throw new Error(`output type ${t.type}`);
      const d = dataFromBytes(t.type, run.outputs.subarray(at, at + t.bytes));
      at += t.bytes;
      return d;
    }),
  );
  return {
    inputs,
    outputs,
    source: 'TinyDeploy host runtime',
    tolerance: { steps: 0, abs: 0, rel: 0 },
  };
}

export function exportFor(
  p: Prepared,
  name: string,
  board: string,
  vectors: TestVectors | null,
  extra: Partial<ExportInput> = {},
): ExportBuild {
  const r = buildExport({
    name,
    model: p.bytes,
    analysis: p.analysis,
    package: p.pkg,
    board,
    kit: kit(),
    vectors,
    ...extra,
  });
  if (!r.ok) throw r.error;
  return r.value;
}

/** Unzips into a fresh temporary folder; returns the export's top folder. */
export function unzipTo(zip: Uint8Array, folder: string): { root: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'td-export-'));
  for (const [path, data] of Object.entries(unzipSync(zip))) {
    const to = join(dir, path);
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, data);
  }
  return { root: join(dir, folder), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function run(cmd: string, args: string[], cwd?: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** `make -C gcc` with warnings as errors; returns the ELF. */
export function makeGcc(root: string): Uint8Array {
  run('make', ['-s', '-C', join(root, 'gcc'), '-j2', 'EXTRA_CFLAGS=-Werror']);
  return new Uint8Array(readFileSync(join(root, 'gcc', 'build', 'example.elf')));
}

/** The line the example ends with, or a fault report. */
const FINISHED = /done\r?\n|failed: \w+.*\r?\n|TD FAULT[^\n]*\n/;

/** Runs an ELF on QEMU mps2-an386 (UART0 on stdio) until the example finishes. */
export function runQemu(elf: string, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'qemu-system-arm',
      ['-M', 'mps2-an386', '-nographic', '-monitor', 'none', '-kernel', elf],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`QEMU did not finish in ${timeoutMs} ms; UART so far:\n${out}\n${err}`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (FINISHED.test(out)) {
        clearTimeout(timer);
        child.kill('SIGKILL');
        resolve(out);
      }
    });
    child.stderr.on('data', (chunk: string) => {
      err += chunk;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!FINISHED.test(out)) reject(new Error(`QEMU exited (${code}) early:\n${out}\n${err}`));
    });
  });
}

/** The virtual board with its own UART (src/emulator/board.ts), where it exists. */
interface VirtualBoard {
  load(image: Uint8Array): unknown;
  run(maxCycles?: number): RunResult;
  takeTx(): Uint8Array;
}
const BoardMachine = (emulatorBoard as Record<string, unknown>).BoardMachine as
  (new () => VirtualBoard) | undefined;

/**
 * A stand-in for the Apollo4 UART0 (PL011 data and flag registers only), for
 * an emulator without its board model: the transmit FIFO is always empty,
 * written bytes are captured.
 */
class CaptureUart implements Device {
  text = '';
  read(offset: number): number {
    return offset === 0x18 ? 0x90 : 0; // FR: TXFE | RXFE
  }
  write(offset: number, _size: number, value: number): void {
    if (offset === 0) this.text += String.fromCharCode(value & 0xff);
  }
}

/**
 * Runs a virtual-apollo4p ELF on the emulator (the virtual board: reset from
 * the vector table at 0x18000, its UART captured) until the core sleeps for
 * good, and returns what the firmware printed.
 */
export function runEmulator(elfBytes: Uint8Array, maxCycles = 2_000_000_000): string {
  if (BoardMachine) {
    const board = new BoardMachine();
    board.load(elfBytes);
    const r = board.run(maxCycles);
    const text = new TextDecoder().decode(board.takeTx());
    if (r.reason !== 'sleep') throw new Error(`emulator stopped: ${r.reason}\n${text}`);
    return text;
  }
  const uart = new CaptureUart();
  const m = new emulatorBoard.Machine([
    ...emulatorBoard.APOLLO4_LIKE,
    { name: 'uart0', base: 0x4001c000, size: 0x1000, perms: 'rw', device: uart },
  ]);
  const elf = m.load(elfBytes, 'entry');
  // The image starts behind Ambiq's boot loader (0x18000): reset into it.
  m.cpu.reset({ pc: elf.entry, sp: m.symbol('__stack_top') });
  const r = m.run(maxCycles);
  if (r.reason !== 'sleep') throw new Error(`emulator stopped: ${r.reason}\n${uart.text}`);
  return uart.text;
}
