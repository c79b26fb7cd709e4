// Executed-instruction counts from QEMU: the TCG plugin in
// tests/qemu-plugin/insn_count.c, built with the host C compiler on first
// use (cached by a hash of its source and the compiler), the `-plugin`
// arguments that load it, and the parser for its report. Plus the
// measurement window for the validator firmware: which addresses mark the
// layer boundaries and which code is left out of the count because it
// differs between boards (docs/emulator.md, "Instruction counts against
// QEMU"). tests/qemu-plugin/emulator-probe.ts counts the same way on the
// emulator.
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

/** What the plugin (or the emulator probe) should count and mark. */
export interface InsnCountSetup {
  /** Instruction addresses whose every execution is reported with the count before it. */
  marks: readonly number[];
  /**
   * Marks that start a pause: the instructions after them are executed but
   * hidden from the count until the first one executed in a `resumes` range.
   */
  pauses?: readonly number[];
  resumes?: readonly (readonly [number, number])[];
  /** Address ranges [start, end) never counted (interrupt handlers). */
  skips: readonly (readonly [number, number])[];
}

const hex = (v: number): string => '0x' + (v >>> 0).toString(16);
const addrs = (list: readonly number[]): string => list.map(hex).join(':');
const ranges = (list: readonly (readonly [number, number])[]): string =>
  list.map(([s, e]) => `${hex(s)}-${hex(e)}`).join(':');

/** `-plugin` arguments for QEMU (startQemu's `extraArgs`); the report goes to `out`. */
export function insnCountPluginArgs(so: string, out: string, setup: InsnCountSetup): string[] {
  // QEMU splits option values at commas (',,' escapes one); our paths never need it.
  if (/,/.test(so + out)) throw new QemuPluginError(`a plugin path contains a comma: ${so} ${out}`);
  const parts = [so, `out=${out}`];
  if (setup.marks.length > 0) parts.push(`marks=${addrs(setup.marks)}`);
  if (setup.pauses?.length) parts.push(`pauses=${addrs(setup.pauses)}`);
  if (setup.resumes?.length) parts.push(`resumes=${ranges(setup.resumes)}`);
  if (setup.skips.length > 0) parts.push(`skips=${ranges(setup.skips)}`);
  return ['-plugin', parts.join(',')];
}

/** One execution of a marked instruction. */
export interface MarkEvent {
  addr: number;
  /** Visible instructions executed before it. */
  count: number;
  /** A pause was in progress (a paused call had not returned to a resume range). */
  paused: boolean;
}

export interface InsnCountReport {
  marks: MarkEvent[];
  /** Totals written when QEMU exits (null while it runs). */
  exit: { visible: number; hidden: number; skipped: number } | null;
}

/** Parses the plugin's report; a partly written last line is ignored. */
export function parseInsnCountReport(text: string): InsnCountReport {
  const marks: MarkEvent[] = [];
  let exit: InsnCountReport['exit'] = null;
  const lines = text.split('\n');
  lines.pop(); // after the last newline: empty, or a line still being written
  for (const line of lines) {
    const f = line.split(' ');
    if (f[0] === 'M' && f.length === 4 && (f[3] === '0' || f[3] === '1'))
      marks.push({ addr: Number(f[1]), count: Number(f[2]), paused: f[3] === '1' });
    else if (f[0] === 'E' && f.length === 4)
      exit = { visible: Number(f[1]), hidden: Number(f[2]), skipped: Number(f[3]) };
    else throw new QemuPluginError(`unexpected line in the plugin report: ${JSON.stringify(line)}`);
  }
  return { marks, exit };
}

// ---- the validator's measurement window ----

/**
 * Where the layer loop of the validator firmware is measured, from the ELF
 * symbols. The loop runs in the runtime's td_invoke functions (td_invoke,
 * td_invoke_range and GCC's clones of them such as td_invoke_range.part.0):
 * their entries are marks, their code is where a hook call ends. The two
 * per-layer hooks the RPC server passes them (before_layer and after_layer
 * in firmware/rpc/td_rpc_handlers.c) are marks that pause: everything a
 * hook runs, including the board's counter read it calls (DWT and cache
 * monitor on the virtual board, SysTick on QEMU) and a board-dependent
 * number of counters to store, is hidden up to its return. Skipped: every
 * exception handler of the vector table (SysTick interrupts land inside
 * layers under QEMU; the virtual board takes none). What is left is the
 * loop, op decoding and binding, td_find_kernel and the kernels: the same
 * C code compiled with the same flags for both boards.
 */
export interface ValidatorWindow {
  /** Entries of the loop functions. */
  invoke: number[];
  /** The loop functions' code: [start, end). */
  loop: [number, number][];
  before: number;
  after: number;
  skips: { name: string; start: number; end: number }[];
}

const LOOP_FUNCTION = /^td_invoke($|[._])/;

export function validatorWindow(elf: Elf): ValidatorWindow {
  const fn = (name: string): { address: number; size: number } => {
    const s = elf.symbols.get(name);
    if (!s || s.kind !== 'func' || s.size === 0)
      throw new QemuPluginError(`the image has no function symbol ${name}`);
    return s;
  };
  fn('td_invoke');
  const loop = new Map<number, [number, number]>();
  for (const s of elf.symbols.all)
    if (s.kind === 'func' && s.size > 0 && LOOP_FUNCTION.test(s.name))
      loop.set(s.address, [s.address, s.address + s.size]);
  // Exception handlers: vector table entries 2.. (0 is the stack top, 1 reset).
  const skips = new Map<number, { name: string; start: number; end: number }>();
  const vectors = elf.symbols.get('td_vectors');
  if (!vectors || vectors.size < 8) throw new QemuPluginError('the image has no td_vectors table');
  const seg = elf.segments.find(
    (s) => vectors.address >= s.vaddr && vectors.address + vectors.size <= s.vaddr + s.data.length,
  );
  if (!seg) throw new QemuPluginError('td_vectors is not in a loaded segment');
  const dv = new DataView(seg.data.buffer, seg.data.byteOffset, seg.data.byteLength);
  for (let i = 2; i < vectors.size / 4; i++) {
    const target = dv.getUint32(vectors.address - seg.vaddr + 4 * i, true) & ~1;
    if (target === 0 || skips.has(target)) continue;
    const hit = elf.symbols.lookup(target);
    if (!hit || hit.offset !== 0 || hit.symbol.size === 0)
      throw new QemuPluginError(`vector ${i} points at 0x${target.toString(16)}, not a function`);
    skips.set(target, { name: hit.symbol.name, start: target, end: target + hit.symbol.size });
  }
  const ranges = [...loop.values()].sort((a, b) => a[0] - b[0]);
  return {
    invoke: ranges.map((r) => r[0]),
    loop: ranges,
    before: fn('before_layer').address,
    after: fn('after_layer').address,
    skips: [...skips.values()].sort((a, b) => a.start - b.start),
  };
}

export function windowSetup(w: ValidatorWindow): InsnCountSetup {
  return {
    marks: [...w.invoke, w.before, w.after],
    pauses: [w.before, w.after],
    resumes: w.loop,
    skips: w.skips.map((s) => [s.start, s.end]),
  };
}

/** Counted instructions of one INVOKE (the hooks' own work never counts). */
export interface InvokeCounts {
  /**
   * Per layer: `kernel` from the before-hook's entry to the after-hook's
   * entry (the kernel, td_find_kernel and the call glue); `layer` from the
   * previous after-hook's entry (the loop function's entry for layer 0) to
   * this one (adds reading and binding the op).
   */
  layers: { kernel: number; layer: number }[];
  /** From the loop function's entry to the last after-hook's entry: the sum of `layer`. */
  loop: number;
}

/**
 * Splits mark events into INVOKEs and derives the counts; throws when the
 * hooks do not alternate as the loop calls them, or a hook is entered before
 * the previous one returned to the loop. An INVOKE starts at the last
 * loop-function entry before its first layer (td_invoke handing over to
 * td_invoke_range is one INVOKE); one that runs no layer is not listed.
 */
export function invokeCounts(events: readonly MarkEvent[], w: ValidatorWindow): InvokeCounts[] {
  const out: InvokeCounts[] = [];
  let cur: { start: number; prevAfter: number; before: number | null; c: InvokeCounts } | null =
    null;
  for (const e of events) {
    if ((e.addr === w.before || e.addr === w.after) && e.paused)
      throw new QemuPluginError('a hook was entered before the previous one returned to the loop');
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
