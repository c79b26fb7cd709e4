// Builds the export kit (src/core/codegen/kit.ts) from the sources: the
// runtime objects (firmware/lib/Makefile, arm-none-eabi-gcc) and copies of
// the text files an export ships, with a manifest. Everything written is a
// pure function of the sources and the compiler, so `npm run firmware:lib`
// reproduces the committed firmware-prebuilt/lib/<core>/ byte for byte;
// tests/unit/codegen-kit.test.ts checks that. Node only.
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
import { dirname, join, relative, resolve } from 'node:path';
import {
  definedGlobals,
  EM_ARM,
  ET_REL,
  parseElfObject,
  sectionSizes,
  symbolBytes,
  undefinedSymbols,
} from '../src/core/codegen/elf-object.ts';
import {
  KIT_FORMAT,
  kitPaths,
  type ExportKit,
  type KitBoard,
  type KitFile,
  type KitManifest,
  type KitObject,
} from '../src/core/codegen/kit.ts';
import { parseBoardMemory } from '../src/core/codegen/linker-script.ts';
import { KERNEL_IDS } from '../src/core/package/kernel-ids.ts';

export const repoRoot = resolve(import.meta.dirname, '..');
const firmware = join(repoRoot, 'firmware');
export const KIT_CORE = 'cortex-m4f';
export const kitDir = join(repoRoot, 'firmware-prebuilt', 'lib', KIT_CORE);

/** Start-up, timer and UART glue the example takes from firmware/app. */
export const APP_FILES = [
  'cm4.h',
  'td_board.h',
  'td_start.c',
  'td_start.h',
  'td_timer.c',
  'td_timer.h',
] as const;
const RUNTIME_HEADERS = ['td_runtime.h', 'td_kernels.h'] as const;

const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
}

/** Board folders with a linker script, sorted. */
export function boardNames(): string[] {
  const dir = join(firmware, 'boards');
  return readdirSync(dir)
    .sort()
    .filter((b) => existsSync(join(dir, b, 'linker.ld')));
}

/** Every source the kit is built from, as repo-relative paths. */
export function kitSources(): string[] {
  const files = [
    ...walk(join(firmware, 'runtime')).filter((f) => /\.(c|h)$/.test(f)),
    join(firmware, 'lib', 'Makefile'),
    ...walk(join(firmware, 'example')),
    ...APP_FILES.map((f) => join(firmware, 'app', f)),
    ...boardNames().flatMap((b) => walk(join(firmware, 'boards', b))),
  ];
  return files.map((f) => relative(repoRoot, f)).sort();
}

/** Hash of the paths and contents of every kit source. */
export function kitSourceHash(): string {
  const h = createHash('sha256');
  for (const f of kitSources()) {
    h.update(f);
    h.update('\0');
    h.update(readFileSync(join(repoRoot, f)));
    h.update('\0');
  }
  return h.digest('hex');
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

export function compilerVersion(): string {
  return run('arm-none-eabi-gcc', ['--version']).split('\n')[0]?.trim() ?? '';
}

function describeObject(file: string, bytes: Uint8Array, kind: 'core' | 'kernel'): KitObject {
  const name = file.replace(/^obj\//, '').replace(/\.o$/, '');
  const obj = parseElfObject(bytes);
  if (obj.machine !== EM_ARM || obj.fileType !== ET_REL) {
    throw new Error(`${file}: not an Arm relocatable object`);
  }
  const out: KitObject = {
    file,
    name,
    kind,
    bytes: bytes.length,
    sha256: sha256(bytes),
    sizes: sectionSizes(obj),
    defines: definedGlobals(obj).sort(),
    needs: undefinedSymbols(obj),
  };
  if (kind === 'kernel') {
    // The descriptor's first field is its u16 id: read it from the object
    // itself, and check it against the TypeScript mirror of td_kernels.h.
    const desc = symbolBytes(bytes, obj, `td_kernel_${name}`);
    const id = (desc[0] as number) | ((desc[1] as number) << 8);
    const key = name.toUpperCase();
    const expected = Object.hasOwn(KERNEL_IDS, key)
      ? KERNEL_IDS[key as keyof typeof KERNEL_IDS]
      : undefined;
    if (expected !== id) {
      throw new Error(`${file}: descriptor id ${id}, kernel-ids.ts says ${expected} for ${key}`);
    }
    out.kernelId = id;
  }
  return out;
}

function describeBoard(name: string, copy: (src: string, dest: string) => void): KitBoard | null {
  const dir = join(firmware, 'boards', name);
  const boardC = join(dir, 'board.c');
  const cpu = existsSync(boardC)
    ? /\.cpu\s*=\s*"([^"]+)"/.exec(readFileSync(boardC, 'utf8'))
    : null;
  if (!cpu || cpu[1] !== KIT_CORE) return null;
  const files = walk(dir).map((f) => {
    const dest = `boards/${name}/${relative(dir, f)}`;
    copy(f, dest);
    return dest;
  });
  return {
    name,
    cpu: cpu[1],
    memory: parseBoardMemory(readFileSync(join(dir, 'linker.ld'), 'utf8')),
    files,
  };
}

/**
 * Builds the kit into `outDir` (replacing what is there). Objects are
 * compiled in a scratch folder first, so a failed build leaves the old kit.
 */
export function buildKit(outDir: string = kitDir): KitManifest {
  const scratch = mkdtempSync(join(tmpdir(), 'td-kit-'));
  mkdirSync(dirname(outDir), { recursive: true });
  // Staged next to the destination: a rename within one file system.
  const stage = mkdtempSync(join(dirname(outDir), '.kit-'));
  try {
    run('make', ['-s', '-C', join(firmware, 'lib'), `OUT=${join(scratch, 'build')}`, '-j2', 'all']);
    const list = run('make', ['-s', '-C', join(firmware, 'lib'), 'list'])
      .trim()
      .split('\n')
      .map((l) => l.split(' ') as ['core' | 'kernel', string]);
    const cflags = run('make', ['-s', '-C', join(firmware, 'lib'), 'flags']).trim();

    mkdirSync(join(stage, 'obj'), { recursive: true });
    const objects = list.map(([kind, name]) => {
      const file = `obj/${name}.o`;
      const bytes = new Uint8Array(readFileSync(join(scratch, 'build', file)));
      writeFileSync(join(stage, file), bytes);
      return describeObject(file, bytes, kind);
    });

    const files: KitFile[] = [];
    // Sources are listed, not copied: the export reads them from the repository.
    const copy = (src: string, dest: string): void => {
      const bytes = readFileSync(src);
      const source = relative(repoRoot, src);
      files.push({ path: dest, source, bytes: bytes.length, sha256: sha256(bytes) });
    };
    for (const h of RUNTIME_HEADERS) {
      copy(join(firmware, 'runtime', 'include', h), `runtime/include/${h}`);
    }
    for (const f of walk(join(firmware, 'example'))) {
      copy(f, `example/${relative(join(firmware, 'example'), f)}`);
    }
    for (const f of APP_FILES) copy(join(firmware, 'app', f), `app/${f}`);
    const boards = boardNames()
      .map((b) => describeBoard(b, copy))
      .filter((b): b is KitBoard => b !== null);

    const manifest: KitManifest = {
      format: KIT_FORMAT,
      core: KIT_CORE,
      compiler: compilerVersion(),
      cflags,
      sourceHash: kitSourceHash(),
      objects,
      files,
      boards,
    };
    writeFileSync(join(stage, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    rmSync(outDir, { recursive: true, force: true });
    renameSync(stage, outDir);
    return manifest;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(stage, { recursive: true, force: true });
  }
}

/** Reads a kit folder from disk (the Node counterpart of the app's fetches). */
export function readKitDir(dir: string = kitDir): ExportKit {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as KitManifest;
  const contents = new Map<string, Uint8Array>();
  for (const p of kitPaths(manifest)) contents.set(p, new Uint8Array(readFileSync(join(dir, p))));
  for (const f of manifest.files) {
    contents.set(`files/${f.path}`, new Uint8Array(readFileSync(join(repoRoot, f.source))));
  }
  return { manifest, contents };
}
