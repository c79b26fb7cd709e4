// The deployable export: one zip holding the model as C, the runtime as a
// static library with only the kernels the model uses, an example
// application with test vectors, and build files for GNU Arm (make, CMake)
// and Arm Compiler 6. Assembled from the export kit (kit.ts) and the model;
// nothing is compiled here: the objects were prebuilt from our sources.
import { zipSync, type Zippable } from 'fflate';
import type { Analysis } from '../analysis/types.ts';
import { err, ok, type Result } from '../errors.ts';
import { KERNEL_IDS } from '../package/kernel-ids.ts';
import type { PackageContents } from '../package/package-types.ts';
import { parsePackage } from '../package/parse-package.ts';
import { writeArchive } from './ar.ts';
import { cIdentifier } from './c-source.ts';
import { kitBytes, type ExportKit, type KitBoard, type KitObject } from './kit.ts';
import {
  arenaRequired,
  kernelTableSource,
  modelDataSource,
  modelHeader,
  type ModelFacts,
  type ModelTensorFacts,
} from './model-files.ts';
import { readme, scatterFile } from './project-files.ts';
import { DEFAULT_TOLERANCE, testVectorFiles, type TestVectors } from './test-vectors.ts';

export type ExportErrorCode =
  | 'BAD_PACKAGE'
  | 'INCONSISTENT'
  | 'UNKNOWN_BOARD'
  | 'MISSING_KERNEL'
  | 'UNRESOLVED_SYMBOL'
  | 'BAD_VECTORS';

export class ExportError extends Error {
  override readonly name = 'ExportError';
  constructor(
    readonly code: ExportErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface ReportFile {
  /** Name under report/, e.g. "report.html". */
  name: string;
  data: Uint8Array | string;
}

export interface ExportInput {
  /** Model name: TD_MODEL_NAME and the zip's top folder. */
  name: string;
  /** The .tflite file. */
  model: Uint8Array;
  analysis: Analysis;
  /** The model package built from it (buildPackage). */
  package: Uint8Array;
  /** Board folder name, e.g. "qemu-an386". */
  board: string;
  kit: ExportKit;
  /** Test vectors for the example; without them it runs once on zero-point inputs. */
  vectors?: TestVectors | null;
  /** Report files to include under report/. */
  reports?: readonly ReportFile[];
}

export interface ExportedKernel {
  name: string;
  id: number;
  object: string;
  /** text + rodata bytes of its object. */
  codeBytes: number;
}

export interface ExportBuild {
  zip: Uint8Array;
  /** The top folder every path in the zip starts with. */
  folder: string;
  /** The files, by path relative to the top folder. */
  files: Map<string, Uint8Array>;
  kernels: ExportedKernel[];
  arenaBytes: number;
  libraryBytes: number;
  /** Archive members in order. */
  libraryMembers: string[];
}

/** Symbols the library may leave to the toolchain's C and run-time libraries. */
export function isToolchainSymbol(name: string): boolean {
  return ['memcpy', 'memset', 'memmove'].includes(name) || name.startsWith('__aeabi_');
}

/** Provided by the generated td_kernels_used.c. */
const TABLE_SYMBOLS = new Set(['td_kernel_table', 'td_kernel_table_count']);

/** A fixed date (fflate's earliest): identical inputs give identical zips. */
const ZIP_DATE = new Date(1980, 0, 1, 0, 0, 0);

const KERNEL_NAME_BY_ID = new Map<number, string>(
  Object.entries(KERNEL_IDS).map(([name, id]) => [id, name]),
);

class Fail {
  constructor(
    readonly code: ExportErrorCode,
    readonly message: string,
  ) {}
}
const fail = (code: ExportErrorCode, message: string): never => {
  throw new Fail(code, message);
};

export function buildExport(input: ExportInput): Result<ExportBuild, ExportError> {
  try {
    return ok(assemble(input));
  } catch (e) {
    if (e instanceof Fail) return err(new ExportError(e.code, e.message));
    throw e;
  }
}

/** The kernel objects a package needs, in kernel-id order. */
function usedKernels(contents: PackageContents, kit: ExportKit): KitObject[] {
  const ids = [...new Set(contents.ops.map((o) => o.kernelId))].sort((a, b) => a - b);
  return ids.map((id) => {
    const obj = kit.manifest.objects.find((o) => o.kind === 'kernel' && o.kernelId === id);
    if (!obj) {
      const name = KERNEL_NAME_BY_ID.get(id) ?? `id ${id}`;
      return fail('MISSING_KERNEL', `the export kit has no object for kernel ${name}`);
    }
    return obj;
  });
}

/** Every symbol the chosen objects need is defined by one of them or the toolchain. */
function checkClosure(objects: readonly KitObject[]): void {
  const defined = new Set(objects.flatMap((o) => o.defines));
  const missing = objects.flatMap((o) =>
    o.needs
      .filter((s) => !defined.has(s) && !TABLE_SYMBOLS.has(s) && !isToolchainSymbol(s))
      .map((s) => `${s} (needed by ${o.name})`),
  );
  if (missing.length > 0)
    fail('UNRESOLVED_SYMBOL', `library would not link: ${missing.join(', ')}`);
}

function tensorFacts(
  contents: PackageContents,
  indices: readonly number[],
  refs: Analysis['model']['inputs'],
  role: string,
): ModelTensorFacts[] {
  return indices.map((ti, i) => {
    const tensor = contents.tensors[ti];
    if (!tensor) return fail('BAD_PACKAGE', `${role} ${i} names a missing tensor`);
    const ref = refs.find((r) => r.index === tensor.source);
    if (!ref) {
      return fail(
        'INCONSISTENT',
        `${role} ${i} (TFLite tensor ${tensor.source}) is not in the analysis`,
      );
    }
    return { name: ref.name, tensor };
  });
}

function findBoard(kit: ExportKit, board: string): KitBoard {
  const b = kit.manifest.boards.find((x) => x.name === board);
  if (!b) {
    const known = kit.manifest.boards.map((x) => x.name).join(', ');
    return fail('UNKNOWN_BOARD', `no board '${board}' for ${kit.manifest.core} (have: ${known})`);
  }
  return b;
}

function toleranceText(v: TestVectors | null | undefined): string {
  const t = { ...DEFAULT_TOLERANCE, ...(v?.tolerance ?? {}) };
  return `${t.steps} quantization step(s) for integer outputs, ${t.abs} + ${t.rel} x |expected| for float outputs`;
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function assemble(input: ExportInput): ExportBuild {
  const { kit } = input;
  const parsed = parsePackage(input.package);
  if (!parsed.ok)
    return fail('BAD_PACKAGE', `the model package is invalid: ${parsed.error.message}`);
  const contents = parsed.value;
  if (contents.arenaBytes !== input.analysis.memory.arenaBytes) {
    fail(
      'INCONSISTENT',
      `package arena ${contents.arenaBytes} bytes, analysis plans ${input.analysis.memory.arenaBytes}: not built from this analysis`,
    );
  }
  const board = findBoard(kit, input.board);

  // The library: every core object, then the kernels the package uses.
  const core = kit.manifest.objects.filter((o) => o.kind === 'core');
  const kernels = usedKernels(contents, kit);
  checkClosure([...core, ...kernels]);
  const members = [...core, ...kernels].map((o) => ({
    name: `${o.name}.o`,
    bytes: kitBytes(kit, o.file),
    symbols: o.defines,
  }));
  const library = writeArchive(members);

  const facts: ModelFacts = {
    name: input.name,
    packageBytes: input.package.length,
    contents,
    inputs: tensorFacts(contents, contents.inputs, input.analysis.model.inputs, 'input'),
    outputs: tensorFacts(contents, contents.outputs, input.analysis.model.outputs, 'output'),
    kernels: kernels.map((k) => k.name),
  };
  let vectors: ReturnType<typeof testVectorFiles>;
  try {
    vectors = testVectorFiles(
      input.name,
      { inputs: facts.inputs.map((t) => t.tensor), outputs: facts.outputs.map((t) => t.tensor) },
      input.vectors ?? null,
    );
  } catch (e) {
    return fail('BAD_VECTORS', (e as Error).message);
  }

  const files = new Map<string, Uint8Array>();
  const add = (path: string, data: Uint8Array | string): void => {
    files.set(path, typeof data === 'string' ? utf8(data) : data);
  };
  const copy = (from: string, to: string): void => add(to, kitBytes(kit, `files/${from}`));
  const exampleFiles = kit.manifest.files.filter((f) => f.path.startsWith('example/'));

  // lib/
  add('lib/libtinydeploy.a', library);
  copy('runtime/include/td_runtime.h', 'lib/include/td_runtime.h');
  copy('runtime/include/td_kernels.h', 'lib/include/td_kernels.h');
  add('lib/include/model.h', modelHeader(facts));
  add('lib/model_data.c', modelDataSource(facts, input.package));
  add('lib/td_kernels_used.c', kernelTableSource(facts));
  // src/, gcc/, armclang/, CMake: the example as it is in firmware/example.
  for (const f of exampleFiles) copy(f.path, f.path.slice('example/'.length));
  add('src/test_vectors.h', vectors.header);
  add('src/test_vectors.c', vectors.source);
  // Board support: start-up and timer from firmware/app, the board's own
  // files; its linker.ld includes the example's gcc/td_sections.ld.
  for (const f of kit.manifest.files.filter((x) => x.path.startsWith('app/'))) {
    copy(f.path, `src/board/${f.path.slice('app/'.length)}`);
  }
  for (const path of board.files) {
    const name = path.slice(`boards/${board.name}/`.length);
    if (name.endsWith('.ld')) copy(path, `gcc/${name}`);
    else copy(path, `src/board/${name}`);
  }
  add('armclang/scatter.sct', scatterFile(board.name, board.memory));
  // model/ and report/
  const stem = cIdentifier(input.name);
  add(`model/${stem}.tflite`, input.model);
  add(`model/${stem}.tdpk`, input.package);
  for (const r of input.reports ?? []) {
    if (!/^[A-Za-z0-9_.-]+$/.test(r.name)) fail('INCONSISTENT', `bad report file name '${r.name}'`);
    add(`report/${r.name}`, r.data);
  }

  const exported: ExportedKernel[] = kernels.map((k) => ({
    name: k.name,
    id: k.kernelId as number,
    object: `${k.name}.o`,
    codeBytes: k.sizes.text + k.sizes.rodata,
  }));
  const arenaBytes = arenaRequired(contents);
  const folder = `${stem}-${board.name}`;
  const code = (list: readonly KitObject[]): number =>
    list.reduce((n, o) => n + o.sizes.text + o.sizes.rodata, 0);
  add(
    'README.md',
    readme({
      folder,
      modelName: input.name,
      modelFile: `model/${stem}.tflite`,
      board: board.name,
      core: kit.manifest.core,
      compiler: kit.manifest.compiler,
      cflags: kit.manifest.cflags,
      layers: contents.ops.length,
      macs: input.analysis.totals.macs,
      packageBytes: input.package.length,
      arenaBytes,
      activationBytes: contents.arenaBytes,
      scratchBytes: contents.scratchBytes,
      kernels: exported,
      runtimeCodeBytes: code([...core, ...kernels]),
      libraryBytes: library.length,
      vectors: {
        samples: vectors.samples,
        source: input.vectors?.source ?? '',
        haveExpected: vectors.haveExpected,
        tolerance: toleranceText(input.vectors),
      },
      reports: (input.reports ?? []).map((r) => r.name),
    }),
  );
  add(
    'manifest.json',
    `${JSON.stringify(
      {
        generator: 'TinyDeploy',
        model: { name: input.name, file: `model/${stem}.tflite`, bytes: input.model.length },
        package: { file: `model/${stem}.tdpk`, bytes: input.package.length },
        board: board.name,
        core: kit.manifest.core,
        arenaBytes,
        layers: contents.ops.length,
        kernels: exported,
        library: {
          file: 'lib/libtinydeploy.a',
          bytes: library.length,
          compiler: kit.manifest.compiler,
          cflags: kit.manifest.cflags,
          kitSourceHash: kit.manifest.sourceHash,
          members: [...core, ...kernels].map((o) => ({
            name: `${o.name}.o`,
            sha256: o.sha256,
            ...o.sizes,
          })),
        },
        testVectors: {
          samples: vectors.samples,
          expected: vectors.haveExpected,
          source: input.vectors?.source ?? null,
        },
      },
      null,
      2,
    )}\n`,
  );

  const tree: Zippable = {};
  for (const path of [...files.keys()].sort()) {
    tree[`${folder}/${path}`] = [files.get(path) as Uint8Array, { mtime: ZIP_DATE }];
  }
  const zip = zipSync(tree, { level: 6, mtime: ZIP_DATE });
  return {
    zip,
    folder,
    files,
    kernels: exported,
    arenaBytes,
    libraryBytes: library.length,
    libraryMembers: members.map((m) => m.name),
  };
}
