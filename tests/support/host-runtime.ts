// The C runtime built for the host (firmware/host/Makefile), for tests:
// built once per source state (cache keyed on a hash of every runtime and
// host source file), then run as a process on packages and inputs.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '../..');
const firmware = join(repoRoot, 'firmware');
const sourceDirs = [join(firmware, 'runtime'), join(firmware, 'host')];
const cacheRoot = join(firmware, 'build', 'host-cache');

export interface HostBinaries {
  dir: string;
  /** -O2 runner. */
  tdRun: string;
  /** The same runner under AddressSanitizer + UBSan. */
  tdRunSan: string;
  /** Sanitized fuzz driver for td_load/td_invoke. */
  fuzzLoad: string;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) return sourceFiles(p);
      return /\.(c|h)$|^Makefile$/.test(name) ? [p] : [];
    });
}

/** Hash of everything that goes into the host build (paths and contents). */
export function hostSourceHash(): string {
  const h = createHash('sha256');
  for (const dir of sourceDirs) {
    for (const f of sourceFiles(dir)) {
      h.update(relative(repoRoot, f));
      h.update('\0');
      h.update(readFileSync(f));
      h.update('\0');
    }
  }
  return h.digest('hex').slice(0, 16);
}

/** Builds of other source states, older than an hour: nobody is using them. */
function pruneOldBuilds(keep: string): void {
  const hourAgo = Date.now() - 3600_000;
  for (const name of readdirSync(cacheRoot)) {
    const p = join(cacheRoot, name);
    if (name !== keep && statSync(p).mtimeMs < hourAgo) rmSync(p, { recursive: true, force: true });
  }
}

let cached: HostBinaries | null = null;

/**
 * Builds the host runtime unless this source state was built before. Test
 * files run in parallel workers: each builds into its own temporary folder
 * and renames it into place, so a race costs time, never a broken binary.
 */
export function hostBinaries(): HostBinaries {
  const hash = hostSourceHash();
  if (cached && cached.dir.endsWith(hash)) return cached;
  const dir = join(cacheRoot, hash);
  const binaries = (d: string): HostBinaries => ({
    dir: d,
    tdRun: join(d, 'td-run'),
    tdRunSan: join(d, 'td-run-san'),
    fuzzLoad: join(d, 'fuzz-load'),
  });
  if (!existsSync(join(dir, 'fuzz-load'))) {
    mkdirSync(cacheRoot, { recursive: true });
    const tmp = mkdtempSync(join(cacheRoot, `${hash}.tmp-`));
    const r = spawnSync('make', ['-C', join(firmware, 'host'), `OUT=${tmp}`, '-j2', 'all'], {
      encoding: 'utf8',
    });
    if (r.status !== 0) {
      rmSync(tmp, { recursive: true, force: true });
      throw new Error(`host runtime build failed:\n${r.stdout}\n${r.stderr}`);
    }
    try {
      renameSync(tmp, dir);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another worker got there first
    }
    pruneOldBuilds(hash);
  }
  cached = binaries(dir);
  return cached;
}

export interface RunOptions {
  sanitize?: boolean;
  /** Also return every layer's outputs, per sample. */
  layers?: boolean;
  /** Byte the arena is filled with before loading. */
  fill?: number;
  /** Arena bytes to give the runtime instead of what it needs. */
  arena?: number;
  /**
   * Run through td_invoke_range instead of td_invoke: layers before `first`
   * (one call, no hooks), then first..=last (a second call); `layers` then
   * holds layers first..=last only.
   */
  range?: { first: number; last: number };
}

export type RunResult =
  | { ok: true; outputs: Uint8Array; layers: Uint8Array | null }
  | {
      ok: false;
      /** td_status name (e.g. 'TD_ERR_BAD_CRC'), or null for a non-runtime failure. */
      status: string | null;
      layer: number | null;
      exitCode: number | null;
      stderr: string;
    };

function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'td-run-'));
}

/**
 * Runs a package on N samples: `inputs` holds each sample's inputs back to
 * back (input order), and the outputs come back the same way.
 */
export function runPackage(
  pkg: Uint8Array,
  inputs: Uint8Array,
  options: RunOptions = {},
): RunResult {
  const bin = hostBinaries();
  const dir = scratchDir();
  try {
    const files = {
      pkg: join(dir, 'model.tdpk'),
      in: join(dir, 'in.bin'),
      out: join(dir, 'out.bin'),
      layers: join(dir, 'layers.bin'),
    };
    writeFileSync(files.pkg, pkg);
    writeFileSync(files.in, inputs);
    const args: string[] = [];
    if (options.layers) args.push('--layers', files.layers);
    if (options.fill !== undefined) args.push('--fill', String(options.fill));
    if (options.arena !== undefined) args.push('--arena', String(options.arena));
    if (options.range) args.push('--range', `${options.range.first}:${options.range.last}`);
    args.push(files.pkg, files.in, files.out);
    const r = spawnSync(options.sanitize ? bin.tdRunSan : bin.tdRun, args, { encoding: 'utf8' });
    if (r.status !== 0) {
      const m = /td-run: \w+: (TD_\w+)(?: layer (\d+))?/.exec(r.stderr ?? '');
      return {
        ok: false,
        status: m?.[1] ?? null,
        layer: m?.[2] !== undefined ? Number(m[2]) : null,
        exitCode: r.status,
        stderr: r.stderr ?? '',
      };
    }
    return {
      ok: true,
      outputs: new Uint8Array(readFileSync(files.out)),
      layers: options.layers ? new Uint8Array(readFileSync(files.layers)) : null,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** td_load's verdict (a td_status name) for each package, in one process. */
export function loadStatuses(packages: readonly Uint8Array[], sanitize = false): string[] {
  const bin = hostBinaries();
  const dir = scratchDir();
  try {
    // One stream file (u32 length + bytes per package): thousands of small
    // files would cost more than the checks.
    const total = packages.reduce((s, p) => s + 4 + p.length, 0);
    const stream = new Uint8Array(total);
    const dv = new DataView(stream.buffer);
    let at = 0;
    for (const p of packages) {
      dv.setUint32(at, p.length, true);
      stream.set(p, at + 4);
      at += 4 + p.length;
    }
    const path = join(dir, 'packages.bin');
    writeFileSync(path, stream);
    const r = spawnSync(sanitize ? bin.tdRunSan : bin.tdRun, ['--check-stream', path], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    if (r.status !== 0) throw new Error(`td-run --check-stream failed: ${r.stderr}`);
    const out = r.stdout.trim().split('\n');
    if (out.length !== packages.length)
      throw new Error(`td-run gave ${out.length} verdicts for ${packages.length} packages`);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The kernels compiled into the host runtime. */
export function compiledKernels(): { id: number; name: string }[] {
  const r = spawnSync(hostBinaries().tdRun, ['--kernels'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`td-run --kernels failed: ${r.stderr}`);
  return r.stdout
    .trim()
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const [id, name] = l.split(' ');
      return { id: Number(id), name: name ?? '' };
    });
}

export interface FuzzReport {
  cases: number;
  invoked: number;
  invokeFailed: number;
  status: Record<string, number>;
}

export type FuzzResult =
  | { ok: true; report: FuzzReport; stderr: string }
  | { ok: false; exitCode: number | null; stderr: string; crashFile: string };

/** Where a failing fuzz case is saved (the package, and its inputs next to it as .in). */
export const fuzzCrashFile = join(firmware, 'build', 'fuzz-crash.tdpk');

/** Runs the sanitized fuzz driver on packages (written to a scratch folder). */
export function fuzzLoad(packages: readonly Uint8Array[], seed: number, cases: number): FuzzResult {
  const bin = hostBinaries();
  const dir = scratchDir();
  try {
    const paths = packages.map((p, i) => {
      const path = join(dir, `${i}.tdpk`);
      writeFileSync(path, p);
      return path;
    });
    const args = ['--crash', fuzzCrashFile, String(seed), String(cases), ...paths];
    const r = spawnSync(bin.fuzzLoad, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) {
      return { ok: false, exitCode: r.status, stderr: r.stderr ?? '', crashFile: fuzzCrashFile };
    }
    return { ok: true, report: JSON.parse(r.stdout) as FuzzReport, stderr: r.stderr ?? '' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
