// Builds the validator firmware for a board (firmware/Makefile) and
// describes the image in a manifest: section sizes, memory regions, code
// bytes per kernel and per part, the symbols the host needs, and a build
// id (SHA-256 of the .bin). Everything written is a pure function of the
// sources and the toolchain, so a fresh build reproduces the committed
// firmware-prebuilt/ bytes exactly; tests check that.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const firmwareDir = join(repoRoot, 'firmware');
export const prebuiltDir = join(repoRoot, 'firmware-prebuilt');
export const BOARDS = ['qemu-an386', 'virtual-apollo4p'] as const;
export type BoardName = (typeof BOARDS)[number];

const CROSS = 'arm-none-eabi-';

/** Symbols the host looks up in every image (all must exist). */
export const HOST_SYMBOLS = [
  'td_reset',
  'td_vectors',
  'td_board_info',
  'td_last_fault',
  '__td_package_start',
  '__td_package_end',
  '__td_arena_start',
  '__td_arena_end',
  '__stack_limit',
  '__stack_top',
] as const;

export interface ManifestSection {
  name: string;
  address: number;
  bytes: number;
  /** Memory region (linker MEMORY name) the section runs in. */
  region: string;
  /** Occupies space in the image (.text, .data's load copy). */
  loaded: boolean;
}

export interface ManifestRegion {
  name: string;
  origin: number;
  bytes: number;
  /** Bytes of sections placed in it (run addresses). */
  used: number;
}

export interface FirmwareManifest {
  board: string;
  /** SHA-256 of firmware.bin. */
  buildId: string;
  /** Hash of the firmware sources, compiled in and reported by INFO. */
  sourceId: string;
  toolchain: string;
  entry: number;
  /** Address firmware.bin starts at. */
  binBase: number;
  files: Record<'elf' | 'bin', { bytes: number; sha256: string }>;
  regions: ManifestRegion[];
  sections: ManifestSection[];
  /** Code and read-only data bytes in the image, per part. */
  code: Record<string, number>;
  /** Code and read-only data bytes of each kernel's object. */
  kernels: Record<string, number>;
  /** Archive members linked in, by library: e.g. libc: ['memcpy', 'memset']. */
  libraries: Record<string, string[]>;
  symbols: Record<string, { address: number; bytes: number }>;
}

export class ToolchainMissing extends Error {
  override readonly name = 'ToolchainMissing';
}

function run(cmd: string, args: string[], cwd?: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT')
    throw new ToolchainMissing(`${cmd} not found (apt-get install gcc-arm-none-eabi)`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

export function hasToolchain(): boolean {
  const r = spawnSync(`${CROSS}gcc`, ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

export function toolchainVersion(): string {
  return run(`${CROSS}gcc`, ['--version']).split('\n')[0]!.trim();
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) return filesUnder(p);
      return /\.(c|h|ld)$/.test(name) ? [p] : [];
    });
}

/** The files a board's image is built from, relative to the firmware folder. */
export function firmwareSources(board: string, root = firmwareDir): string[] {
  const dirs = ['runtime', 'rpc', 'app', join('boards', board)];
  return ['Makefile', ...dirs.flatMap((d) => filesUnder(join(root, d)))].map((p) =>
    relative(root, resolve(root, p)),
  );
}

/** Hash of the sources (paths and contents): the image's source id. */
export function sourceId(board: string, root = firmwareDir): string {
  const h = createHash('sha256');
  for (const rel of firmwareSources(board, root)) {
    h.update(rel.split('\\').join('/'));
    h.update('\0');
    h.update(readFileSync(join(root, rel)));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

interface ElfSectionRow {
  name: string;
  type: string;
  address: number;
  bytes: number;
  alloc: boolean;
}

/** Section headers via readelf (name, type, address, size, flags). */
function readSections(elf: string): ElfSectionRow[] {
  const out: ElfSectionRow[] = [];
  for (const line of run(`${CROSS}readelf`, ['-S', '-W', elf]).split('\n')) {
    const m =
      /^\s*\[\s*\d+\]\s+(\S+)\s+(\S+)\s+([0-9a-f]{8})\s+[0-9a-f]+\s+([0-9a-f]+)\s+\S+\s+(\S*)/.exec(
        line,
      );
    if (!m) continue;
    out.push({
      name: m[1]!,
      type: m[2]!,
      address: parseInt(m[3]!, 16),
      bytes: parseInt(m[4]!, 16),
      alloc: m[5]!.includes('A'),
    });
  }
  return out;
}

/** Global and local symbols with sizes (nm -S). */
function readSymbols(elf: string): Map<string, { address: number; bytes: number }> {
  const out = new Map<string, { address: number; bytes: number }>();
  for (const line of run(`${CROSS}nm`, ['-S', elf]).split('\n')) {
    const m = /^([0-9a-f]{8})(?: ([0-9a-f]{8}))? (\w) (\S+)$/.exec(line.trim());
    if (!m) continue;
    const name = m[4]!;
    if (!out.has(name))
      out.set(name, { address: parseInt(m[1]!, 16), bytes: m[2] ? parseInt(m[2], 16) : 0 });
  }
  return out;
}

interface MapInput {
  /** Output section the input section went into. */
  output: string;
  object: string;
  bytes: number;
}

/**
 * The linker map: memory regions, and every input section that survived
 * --gc-sections with the object it came from. Attributing bytes through the
 * map, not symbol names, also counts each kernel's inlined helpers and
 * private tables, which nm cannot tell apart between kernels.
 */
function readMap(text: string): {
  regions: { name: string; origin: number; bytes: number }[];
  inputs: MapInput[];
  members: Record<string, string[]>;
} {
  const members: Record<string, Set<string>> = {};
  const archiveEnd = text.indexOf('Discarded input sections');
  for (const line of text.slice(0, archiveEnd).split('\n')) {
    const m = /\/(lib\w+)\.a\((?:lib_a-)?([\w.-]+?)\.o\)$/.exec(line.trim());
    if (m) (members[m[1]!] ??= new Set()).add(m[2]!);
  }
  const regions: { name: string; origin: number; bytes: number }[] = [];
  const memStart = text.indexOf('Memory Configuration');
  const mapStart = text.indexOf('Linker script and memory map');
  for (const line of text.slice(memStart, mapStart).split('\n')) {
    const m = /^(\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)/.exec(line);
    if (m && m[1] !== '*default*')
      regions.push({ name: m[1]!, origin: parseInt(m[2]!, 16), bytes: parseInt(m[3]!, 16) });
  }
  const inputs: MapInput[] = [];
  let output = '';
  let pendingName = false;
  for (const line of text.slice(mapStart).split('\n')) {
    const out = /^(\.\S+)/.exec(line);
    if (out) {
      output = out[1]!;
      continue;
    }
    // " .text.name" alone, with address/size/object on the next line.
    if (/^ \.\S+$/.test(line)) {
      pendingName = true;
      continue;
    }
    const m = /^ (?:\.\S+|\*\*\S+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$/.exec(line);
    if (m && (pendingName || /^ [.*]/.test(line))) {
      const bytes = parseInt(m[2]!, 16);
      if (bytes > 0) inputs.push({ output, object: m[3]!.trim(), bytes });
    }
    pendingName = false;
  }
  const sortedMembers = Object.fromEntries(
    Object.keys(members)
      .sort()
      .map((lib) => [lib, [...members[lib]!].sort()]),
  );
  return { regions, inputs, members: sortedMembers };
}

/** Which part of the firmware an object belongs to. */
function partOf(object: string): { part: string; kernel?: string } {
  const p = object.split('\\').join('/');
  const kernel = /\/obj\/runtime\/kernels\/(\w+)\.o$/.exec(p);
  if (kernel) return { part: 'kernels', kernel: kernel[1]! };
  for (const part of ['runtime', 'rpc', 'app']) if (p.includes(`/obj/${part}/`)) return { part };
  if (p.includes('/obj/boards/')) return { part: 'board' };
  if (/libc(_nano)?\.a\(/.test(p)) return { part: 'libc' };
  if (/libgcc\.a\(/.test(p)) return { part: 'libgcc' };
  return { part: 'other' };
}

function sortedRecord(entries: Iterable<[string, number]>): Record<string, number> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Builds the manifest of a linked image (the firmware.map must sit next to it). */
export function describeImage(board: string, dir: string, srcId: string): FirmwareManifest {
  const elfPath = join(dir, 'firmware.elf');
  const elf = new Uint8Array(readFileSync(elfPath));
  const bin = new Uint8Array(readFileSync(join(dir, 'firmware.bin')));
  const map = readMap(readFileSync(join(dir, 'firmware.map'), 'utf8'));
  const symbols = readSymbols(elfPath);
  const rows = readSections(elfPath).filter((s) => s.alloc && s.bytes > 0);
  const regionOf = (addr: number): string =>
    map.regions.find((r) => addr >= r.origin && addr < r.origin + r.bytes)?.name ?? '?';
  const sections = rows.map((s) => ({
    name: s.name,
    address: s.address,
    bytes: s.bytes,
    region: regionOf(s.address),
    loaded: s.type !== 'NOBITS',
  }));
  const regions = map.regions.map((r) => ({
    ...r,
    used: sections.filter((s) => s.region === r.name).reduce((n, s) => n + s.bytes, 0),
  }));
  const code = new Map<string, number>();
  const kernels = new Map<string, number>();
  for (const input of map.inputs) {
    if (input.output !== '.text') continue;
    const { part, kernel } = partOf(input.object);
    code.set(part, (code.get(part) ?? 0) + input.bytes);
    if (kernel) kernels.set(kernel, (kernels.get(kernel) ?? 0) + input.bytes);
  }
  const wanted: Record<string, { address: number; bytes: number }> = {};
  for (const name of HOST_SYMBOLS) {
    const s = symbols.get(name);
    if (!s) throw new Error(`${board}: symbol ${name} missing from the image`);
    wanted[name] = s;
  }
  const loadedAddrs = sections.filter((s) => s.loaded).map((s) => s.address);
  return {
    board,
    buildId: sha256(bin),
    sourceId: srcId,
    toolchain: toolchainVersion(),
    entry: symbols.get('td_reset')!.address,
    binBase: Math.min(...loadedAddrs),
    files: {
      elf: { bytes: elf.length, sha256: sha256(elf) },
      bin: { bytes: bin.length, sha256: sha256(bin) },
    },
    regions,
    sections,
    code: sortedRecord(code),
    kernels: sortedRecord(kernels),
    libraries: map.members,
    symbols: wanted,
  };
}

/** Numbers as hex strings where they are addresses: easier to read and diff. */
export function manifestJson(m: FirmwareManifest): string {
  const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
  const view = {
    ...m,
    entry: hex(m.entry),
    binBase: hex(m.binBase),
    regions: m.regions.map((r) => ({ ...r, origin: hex(r.origin) })),
    sections: m.sections.map((s) => ({ ...s, address: hex(s.address) })),
    symbols: Object.fromEntries(
      Object.entries(m.symbols).map(([k, v]) => [k, { ...v, address: hex(v.address) }]),
    ),
  };
  return `${JSON.stringify(view, null, 2)}\n`;
}

export interface BuildOptions {
  /** Firmware source folder (default: the repository's). */
  sourceDir?: string;
  /** Where firmware.elf, firmware.bin and manifest.json go. */
  outDir: string;
  jobs?: number;
}

/** Builds one board into outDir (objects in a temporary folder). */
export function buildFirmware(board: string, options: BuildOptions): FirmwareManifest {
  const src = options.sourceDir ?? firmwareDir;
  const srcId = sourceId(board, src);
  const work = mkdtempSync(join(tmpdir(), `td-fw-${board}-`));
  try {
    run('make', [
      '-s',
      '-C',
      src,
      `-j${options.jobs ?? 2}`,
      `BOARD=${board}`,
      `OUT=${work}`,
      `BUILD_ID=${srcId}`,
    ]);
    const manifest = describeImage(board, work, srcId);
    mkdirSync(options.outDir, { recursive: true });
    for (const f of ['firmware.elf', 'firmware.bin'])
      copyFileSync(join(work, f), join(options.outDir, f));
    writeFileSync(join(options.outDir, 'manifest.json'), manifestJson(manifest));
    return manifest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Reads a committed manifest back (hex strings to numbers). */
export function readManifest(path: string): FirmwareManifest {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const num = (v: unknown): number => (typeof v === 'string' ? parseInt(v, 16) : Number(v));
  const m = raw as unknown as FirmwareManifest;
  return {
    ...m,
    entry: num(raw.entry),
    binBase: num(raw.binBase),
    regions: m.regions.map((r) => ({ ...r, origin: num(r.origin) })),
    sections: m.sections.map((s) => ({ ...s, address: num(s.address) })),
    symbols: Object.fromEntries(
      Object.entries(m.symbols).map(([k, v]) => [k, { ...v, address: num(v.address) }]),
    ),
  };
}
