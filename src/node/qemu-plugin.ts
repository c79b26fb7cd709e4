// Executed-instruction counts from QEMU: the TCG plugin in
// tests/qemu-plugin/insn_count.c, built with the host C compiler on first
// use (cached by a hash of its source and the compiler), the `-plugin`
// arguments that load it, and the parser for its report. Plus the
// measurement window for the validator firmware: which addresses mark the
// layer boundaries and which code is left out of the count because it
// differs between boards (docs/emulator.md, "Instruction counts against
// QEMU").
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Elf } from '../emulator/elf.ts';
import { firmwareDir, repoRoot } from './firmware-build.ts';

export const INSN_COUNT_SOURCE = join(repoRoot, 'tests', 'qemu-plugin', 'insn_count.c');
const DEFAULT_CACHE = join(firmwareDir, 'build', 'qemu-plugin');
const CFLAGS = ['-std=c99', '-O2', '-Wall', '-Wextra', '-Werror', '-fPIC', '-fvisibility=hidden'];

export class QemuPluginError extends Error {
  override readonly name = 'QemuPluginError';
}

export interface PluginBuildOptions {
  /** Host C compiler (default `cc`). */
  cc?: string;
  /** Where built plugins are kept, one folder per source/compiler hash. */
  cacheDir?: string;
}

/** The host compiler's version line, or null when there is none. */
function compilerVersion(cc: string): string | null {
  const r = spawnSync(cc, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0]! : null;
}

export function hasHostCc(cc = 'cc'): boolean {
  return compilerVersion(cc) !== null;
}

/**
 * Builds the instruction-count plugin (`cc -shared -fPIC`) unless a build of
 * the same source with the same compiler is cached; returns the .so path.
 */
export function buildInsnCountPlugin(options: PluginBuildOptions = {}): string {
  const cc = options.cc ?? 'cc';
  const version = compilerVersion(cc);
  if (version === null) throw new QemuPluginError(`no host C compiler '${cc}'`);
  const source = readFileSync(INSN_COUNT_SOURCE);
  const hash = createHash('sha256')
    .update(source)
    .update('\0')
    .update(version)
    .update('\0')
    .update(CFLAGS.join(' '))
    .digest('hex')
    .slice(0, 16);
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE;
  const dir = join(cacheDir, hash);
  const so = join(dir, 'insn_count.so');
  if (existsSync(so)) return so;
  mkdirSync(cacheDir, { recursive: true });
  // Built aside and renamed into place: a concurrent build or reader never
  // sees half a library.
  const tmp = mkdtempSync(join(cacheDir, `${hash}.tmp-`));
  try {
    const r = spawnSync(
      cc,
      [...CFLAGS, '-shared', '-o', join(tmp, 'insn_count.so'), INSN_COUNT_SOURCE],
      { encoding: 'utf8' },
    );
    if (r.status !== 0)
      throw new QemuPluginError(`building the QEMU plugin failed:\n${r.stderr}${r.stdout}`);
    try {
      renameSync(tmp, dir);
    } catch (e) {
      if (!existsSync(so)) throw e; // someone else got there first: theirs is as good
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return so;
}

/** What the plugin should count and mark. */
export interface InsnCountSetup {
  /** Instruction addresses whose every execution is reported with the count before it. */
  marks: readonly number[];
  /** Address ranges [start, end) left out of the count. */
  skips: readonly (readonly [number, number])[];
}

const hex = (v: number): string => '0x' + (v >>> 0).toString(16);

/** `-plugin` arguments for QEMU (startQemu's `extraArgs`); the report goes to `out`. */
export function insnCountPluginArgs(so: string, out: string, setup: InsnCountSetup): string[] {
  // QEMU splits option values at commas (',,' escapes one); our paths never need it.
  if (/,/.test(so + out)) throw new QemuPluginError(`a plugin path contains a comma: ${so} ${out}`);
  const parts = [so, `out=${out}`];
  if (setup.marks.length > 0) parts.push(`marks=${setup.marks.map(hex).join(':')}`);
  if (setup.skips.length > 0)
    parts.push(`skips=${setup.skips.map(([s, e]) => `${hex(s)}-${hex(e)}`).join(':')}`);
  return ['-plugin', parts.join(',')];
}

/** One execution of a marked instruction: its address and the count before it. */
export interface MarkEvent {
  addr: number;
  count: number;
}

export interface InsnCountReport {
  marks: MarkEvent[];
  /** Totals written when QEMU exits (null while it runs). */
  exit: { counted: number; skipped: number } | null;
}

/** Parses the plugin's report; a partly written last line is ignored. */
export function parseInsnCountReport(text: string): InsnCountReport {
  const marks: MarkEvent[] = [];
  let exit: InsnCountReport['exit'] = null;
  const lines = text.split('\n');
  lines.pop(); // after the last newline: empty, or a line still being written
  for (const line of lines) {
    const f = line.split(' ');
    if (f[0] === 'M' && f.length === 3) marks.push({ addr: Number(f[1]), count: Number(f[2]) });
    else if (f[0] === 'E' && f.length === 3)
      exit = { counted: Number(f[1]), skipped: Number(f[2]) };
    else throw new QemuPluginError(`unexpected line in the plugin report: ${JSON.stringify(line)}`);
  }
  return { marks, exit };
}

// ---- the validator's measurement window ----

/**
 * Where the layer loop of the validator firmware (firmware/app, rpc,
 * runtime) is measured: the entry of td_invoke (and of td_invoke_range,
 * the loop itself, in images that have it) and of the two per-layer hooks
 * the RPC server passes it (td_rpc_handlers.c), by their ELF symbols. Skipped:
 * the board's counter read the hooks call (td_counters_read reads the DWT on
 * one board and SysTick on the other, through td_timer_ticks) and every
 * exception handler of the vector table (SysTick interrupts land inside
 * layers under QEMU; the virtual board takes none). Everything else in the
 * window is the same C code compiled with the same flags for both boards.
 */
export interface ValidatorWindow {
  /** Entries of the functions that run the layer loop (td_invoke, td_invoke_range). */
  invoke: number[];
  before: number;
  after: number;
  skips: { name: string; start: number; end: number }[];
}

/** Symbols of the hooks' counter read (functions that differ per board). */
const COUNTER_READ = ['td_counters_read', 'td_timer_ticks'];

export function validatorWindow(elf: Elf): ValidatorWindow {
  const fn = (name: string): { address: number; size: number } => {
    const s = elf.symbols.get(name);
    if (!s || s.kind !== 'func' || s.size === 0)
      throw new QemuPluginError(`the image has no function symbol ${name}`);
    return s;
  };
  const skips = new Map<number, { name: string; start: number; end: number }>();
  const skip = (name: string, s: { address: number; size: number }): void => {
    skips.set(s.address, { name, start: s.address, end: s.address + s.size });
  };
  for (const name of COUNTER_READ) if (elf.symbols.get(name)) skip(name, fn(name));
  // Exception handlers: vector table entries 2.. (0 is the stack top, 1 reset).
  const vectors = elf.symbols.get('td_vectors');
  if (!vectors || vectors.size < 8) throw new QemuPluginError('the image has no td_vectors table');
  const seg = elf.segments.find(
    (s) => vectors.address >= s.vaddr && vectors.address + vectors.size <= s.vaddr + s.data.length,
  );
  if (!seg) throw new QemuPluginError('td_vectors is not in a loaded segment');
  const dv = new DataView(seg.data.buffer, seg.data.byteOffset, seg.data.byteLength);
  for (let i = 2; i < vectors.size / 4; i++) {
    const target = dv.getUint32(vectors.address - seg.vaddr + 4 * i, true) & ~1;
    if (target === 0) continue;
    const hit = elf.symbols.lookup(target);
    if (!hit || hit.offset !== 0 || hit.symbol.size === 0)
      throw new QemuPluginError(`vector ${i} points at 0x${target.toString(16)}, not a function`);
    if (!skips.has(target)) skip(hit.symbol.name, hit.symbol);
  }
  return {
    invoke: ['td_invoke', 'td_invoke_range']
      .filter((n) => n === 'td_invoke' || elf.symbols.get(n))
      .map((n) => fn(n).address),
    before: fn('before_layer').address,
    after: fn('after_layer').address,
    skips: [...skips.values()].sort((a, b) => a.start - b.start),
  };
}

export function windowSetup(w: ValidatorWindow): InsnCountSetup {
  return { marks: [...w.invoke, w.before, w.after], skips: w.skips.map((s) => [s.start, s.end]) };
}

/** Counted instructions of one INVOKE. */
export interface InvokeCounts {
  /**
   * Per layer: `kernel` from the before-hook's entry to the after-hook's
   * entry (the kernel, td_find_kernel, the call glue and the before-hook's
   * own instructions up to its tail call of the counter read); `layer` from
   * the previous after-hook's entry (the loop function's entry for layer 0)
   * to this one (adds op decoding and binding, and the previous after-hook's
   * body).
   */
  layers: { kernel: number; layer: number }[];
  /** From the loop function's entry to the last after-hook's entry: the sum of `layer`. */
  loop: number;
}

/**
 * Splits mark events into INVOKEs and derives the counts; throws when the
 * hooks do not alternate as td_invoke calls them. An INVOKE starts at the
 * last loop-function entry before its first layer (td_invoke handing over
 * to td_invoke_range is one INVOKE); one that runs no layer is not listed.
 */
export function invokeCounts(events: readonly MarkEvent[], w: ValidatorWindow): InvokeCounts[] {
  const out: InvokeCounts[] = [];
  let cur: { start: number; prevAfter: number; before: number | null; c: InvokeCounts } | null =
    null;
  for (const e of events) {
    if (w.invoke.includes(e.addr)) {
      if (cur?.before != null) throw new QemuPluginError('layer loop entered inside a layer');
      cur = { start: e.count, prevAfter: e.count, before: null, c: { layers: [], loop: 0 } };
      out.push(cur.c);
    } else if (e.addr === w.before) {
      if (!cur || cur.before !== null) throw new QemuPluginError('before-hook out of order');
      cur.before = e.count;
    } else if (e.addr === w.after) {
      if (!cur || cur.before === null) throw new QemuPluginError('after-hook out of order');
      cur.c.layers.push({ kernel: e.count - cur.before, layer: e.count - cur.prevAfter });
      cur.c.loop = e.count - cur.start;
      cur.prevAfter = e.count;
      cur.before = null;
    }
  }
  return out.filter((c) => c.layers.length > 0);
}
