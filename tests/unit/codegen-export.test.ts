// The deployable export end to end: an export for a model built in the
// project is unzipped, built with arm-none-eabi-gcc (make and CMake), and
// its example run on QEMU mps2-an386 and on the emulator, where it must
// report that the outputs match the host runtime's (exactly). The static
// library must hold only the kernels the model uses.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readArchive } from '../../src/core/codegen/ar.ts';
import { buildExport } from '../../src/core/codegen/export.ts';
import type { ExportKit } from '../../src/core/codegen/kit.ts';
import { exampleBytes } from '../../src/core/examples/index.ts';
import { KERNEL_IDS } from '../../src/core/package/kernel-ids.ts';
import { parsePackage } from '../../src/core/package/parse-package.ts';
import { sharedModelsDir } from '../support/models.ts';
import {
  exportFor,
  hostVectors,
  kit,
  makeGcc,
  prepare,
  run,
  runEmulator,
  runQemu,
  tools,
  unzipTo,
} from './codegen-helpers.ts';

const cnn = prepare(exampleBytes('cnn-int8') as Uint8Array);
const cnnVectors = hostVectors(cnn, 2, 11);
const text = (b: Uint8Array | undefined): string => new TextDecoder().decode(b);

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));
function unzip(zip: Uint8Array, folder: string): string {
  const u = unzipTo(zip, folder);
  cleanups.push(u.cleanup);
  return u.root;
}

/** Kernel names (C) the package uses. */
function usedKernelNames(pkg: Uint8Array): string[] {
  const parsed = parsePackage(pkg);
  if (!parsed.ok) throw parsed.error;
  const byId = new Map<number, string>(
    Object.entries(KERNEL_IDS).map(([n, id]) => [id, n.toLowerCase()]),
  );
  return [...new Set(parsed.value.ops.map((o) => byId.get(o.kernelId) as string))].sort();
}

describe('export contents', () => {
  const build = exportFor(cnn, 'cnn-int8', 'qemu-an386', cnnVectors);

  test('holds the library, model sources, example, build files and the model', () => {
    const paths = [...build.files.keys()];
    for (const p of [
      'README.md',
      'manifest.json',
      'CMakeLists.txt',
      'cmake/arm-none-eabi-gcc.cmake',
      'lib/libtinydeploy.a',
      'lib/include/td_runtime.h',
      'lib/include/td_kernels.h',
      'lib/include/model.h',
      'lib/model.c',
      'lib/model_data.c',
      'lib/td_kernels_used.c',
      'src/main.c',
      'src/test_vectors.c',
      'src/test_vectors.h',
      'src/board/board.c',
      'src/board/td_start.c',
      'gcc/Makefile',
      'gcc/linker.ld',
      'gcc/td_sections.ld',
      'armclang/Makefile',
      'armclang/scatter.sct',
      'armclang/td_armlink.h',
      'model/cnn_int8.tflite',
      'model/cnn_int8.tdpk',
    ]) {
      expect(paths, p).toContain(p);
    }
    expect(build.folder).toBe('cnn_int8-qemu-an386');
    expect(build.files.get('model/cnn_int8.tdpk')).toEqual(cnn.pkg);
  });

  test('the same inputs give the same zip, byte for byte', () => {
    const again = exportFor(cnn, 'cnn-int8', 'qemu-an386', cnnVectors);
    expect(again.zip).toEqual(build.zip);
  });

  test('model_data.c holds exactly the package bytes, 16-byte aligned and const', () => {
    const src = text(build.files.get('lib/model_data.c'));
    expect(src).toMatch(
      /const uint8_t model_package\[TD_MODEL_PACKAGE_BYTES\] __attribute__\(\(aligned\(16\)\)\)/,
    );
    const body = src.slice(src.indexOf('model_package['));
    const bytes = [...body.matchAll(/0x([0-9a-f]{2})/g)].map((m) => parseInt(m[1] as string, 16));
    expect(new Uint8Array(bytes)).toEqual(cnn.pkg);
  });

  test('model.h states the arena, layer count and every input and output', () => {
    const h = text(build.files.get('lib/include/model.h'));
    const parsed = parsePackage(cnn.pkg);
    if (!parsed.ok) throw parsed.error;
    const c = parsed.value;
    const arena = Math.ceil(c.arenaBytes / 16) * 16 + c.scratchBytes;
    expect(build.arenaBytes).toBe(arena);
    expect(h).toContain(`#define TD_MODEL_ARENA_BYTES ${arena}u`);
    expect(h).toContain(`#define TD_MODEL_NUM_LAYERS ${c.ops.length}u`);
    expect(h).toContain(`#define TD_MODEL_PACKAGE_BYTES ${cnn.pkg.length}u`);
    cnn.analysis.model.inputs.forEach((t, i) => {
      expect(h).toContain(`#define TD_MODEL_INPUT${i}_DIMS {${t.shape.join(', ')}}`);
      expect(h).toContain(`#define TD_MODEL_INPUT${i}_BYTES ${t.bytes}u`);
    });
    cnn.analysis.model.outputs.forEach((t, i) => {
      expect(h).toContain(`#define TD_MODEL_OUTPUT${i}_DIMS {${t.shape.join(', ')}}`);
      const tensor = c.tensors[c.outputs[i] as number];
      expect(h).toContain(`#define TD_MODEL_OUTPUT${i}_ZERO_POINT (${tensor?.zeroPoint})`);
    });
  });

  test('the kernel table and the archive hold exactly the kernels the package uses', () => {
    const used = usedKernelNames(cnn.pkg);
    const table = text(build.files.get('lib/td_kernels_used.c'));
    const listed = [...table.matchAll(/&td_kernel_(\w+),/g)].map((m) => m[1]).sort();
    expect(listed).toEqual(used);
    expect(table).toContain(`td_kernel_table_count = ${used.length}u;`);

    const ar = readArchive(build.files.get('lib/libtinydeploy.a') as Uint8Array);
    const kernelMembers = ar.members
      .map((m) => m.name.replace(/\.o$/, ''))
      .filter((n) => kit().manifest.objects.find((o) => o.name === n)?.kind === 'kernel');
    expect(kernelMembers.sort()).toEqual(used);
    expect(build.kernels.map((k) => k.name).sort()).toEqual(used);
    // Fewer kernels than the kit has: the filter did something.
    expect(used.length).toBeLessThan(
      kit().manifest.objects.filter((o) => o.kind === 'kernel').length,
    );
  });

  test('the scatter file places code in TD_TEXT and the stack at the top of TD_RAM', () => {
    const sct = text(build.files.get('armclang/scatter.sct'));
    expect(sct).toMatch(/LR_TEXT 0x00000000 0x00400000/);
    expect(sct).toMatch(/RW_RAM 0x20000000 0x003FC000/);
    expect(sct).toMatch(/ARM_LIB_STACK 0x20400000 EMPTY -0x00004000/);
    expect(sct).toContain('* (.vectors, +FIRST)');
  });
});

describe('export errors', () => {
  test('an unknown board is refused, naming the boards there are', () => {
    const r = buildExport({
      name: 'm',
      model: cnn.bytes,
      analysis: cnn.analysis,
      package: cnn.pkg,
      board: 'no-such-board',
      kit: kit(),
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('UNKNOWN_BOARD');
      expect(r.error.message).toContain('qemu-an386');
    }
  });

  test('a kit without one of the used kernels is refused, naming it', () => {
    const k = kit();
    const reduced: ExportKit = {
      contents: k.contents,
      manifest: {
        ...k.manifest,
        objects: k.manifest.objects.filter((o) => o.name !== 'softmax_s8'),
      },
    };
    const r = buildExport({
      name: 'm',
      model: cnn.bytes,
      analysis: cnn.analysis,
      package: cnn.pkg,
      board: 'qemu-an386',
      kit: reduced,
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('MISSING_KERNEL');
      expect(r.error.message).toContain('SOFTMAX_S8');
    }
  });

  test('test vectors of the wrong size are refused', () => {
    const bad = {
      ...cnnVectors,
      inputs: [[new Int8Array(3)]],
      outputs: cnnVectors.outputs?.slice(0, 1),
    };
    const r = buildExport({
      name: 'm',
      model: cnn.bytes,
      analysis: cnn.analysis,
      package: cnn.pkg,
      board: 'qemu-an386',
      kit: kit(),
      vectors: bad,
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('BAD_VECTORS');
  });

  test('a package that does not belong to the analysis is refused', () => {
    const other = prepare(exampleBytes('mlp-float') as Uint8Array);
    const r = buildExport({
      name: 'm',
      model: cnn.bytes,
      analysis: cnn.analysis,
      package: other.pkg,
      board: 'qemu-an386',
      kit: kit(),
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('INCONSISTENT');
  });
});

describe.skipIf(!tools.arm)('the export builds with arm-none-eabi-gcc', () => {
  test('the archive indexes its symbols and holds only the used kernels (nm)', () => {
    const build = exportFor(cnn, 'cnn-int8', 'qemu-an386', cnnVectors);
    const root = unzip(build.zip, build.folder);
    const lib = join(root, 'lib', 'libtinydeploy.a');
    const members = run('arm-none-eabi-ar', ['t', lib]).trim().split('\n');
    expect(members).toEqual(build.libraryMembers);
    const nm = run('arm-none-eabi-nm', ['-s', '--defined-only', lib]);
    const kernels = [...nm.matchAll(/ R td_kernel_(\w+)$/gm)].map((m) => m[1]).sort();
    expect(kernels).toEqual(usedKernelNames(cnn.pkg));
    expect(nm).toMatch(/Archive index:\n(.+ in .+\n)+/);
    expect(nm).toContain('td_load in td_load.o');
  });

  test.skipIf(!tools.qemu)('make -C gcc, then QEMU mps2-an386: outputs matched', async () => {
    const build = exportFor(cnn, 'cnn-int8', 'qemu-an386', cnnVectors);
    const root = unzip(build.zip, build.folder);
    makeGcc(root);
    const out = await runQemu(join(root, 'gcc', 'build', 'example.elf'));
    expect(out).toContain('TinyDeploy example: cnn-int8 on qemu-an386');
    expect(out).toContain('outputs matched: 2 sample(s), max difference 0 step(s)');
    expect(out).not.toContain('mismatch');
  });

  test('make -C gcc for virtual-apollo4p, then the emulator: outputs matched', () => {
    const build = exportFor(cnn, 'cnn-int8', 'virtual-apollo4p', cnnVectors);
    const root = unzip(build.zip, build.folder);
    const out = runEmulator(makeGcc(root));
    expect(out).toContain('TinyDeploy example: cnn-int8 on virtual-apollo4p');
    expect(out).toContain('outputs matched: 2 sample(s), max difference 0 step(s)');
  });

  test('a wrong expected value is reported with its position', () => {
    // The comparison must be able to fail: corrupt one expected element.
    const outputs = (cnnVectors.outputs ?? []).map((s) => s.map((d) => d.slice()));
    const first = outputs[1]?.[0] as Int8Array;
    first[3] = first[3] === 127 ? 125 : (first[3] as number) + 2;
    const build = exportFor(cnn, 'cnn-int8', 'virtual-apollo4p', { ...cnnVectors, outputs });
    const root = unzip(build.zip, build.folder);
    const out = runEmulator(makeGcc(root));
    expect(out).toMatch(/output mismatch: sample 1 output 0 element 3: got -?\d+ expected -?\d+/);
    expect(out).not.toContain('outputs matched');
  });

  test('a one-step difference passes within a one-step tolerance', () => {
    const outputs = (cnnVectors.outputs ?? []).map((s) => s.map((d) => d.slice()));
    const first = outputs[0]?.[0] as Int8Array;
    first[0] = first[0] === 127 ? 126 : (first[0] as number) + 1;
    const vectors = { ...cnnVectors, outputs, tolerance: { steps: 1, abs: 0, rel: 0 } };
    const build = exportFor(cnn, 'cnn-int8', 'virtual-apollo4p', vectors);
    const out = runEmulator(makeGcc(unzip(build.zip, build.folder)));
    expect(out).toContain('outputs matched: 2 sample(s), max difference 1 step(s)');
  });

  test('a float model matches exactly, and without vectors the example prints outputs', () => {
    const mlp = prepare(exampleBytes('mlp-float') as Uint8Array);
    const build = exportFor(mlp, 'mlp-float', 'virtual-apollo4p', hostVectors(mlp, 1, 5));
    const out = runEmulator(makeGcc(unzip(build.zip, build.folder)));
    expect(out).toContain('outputs matched: 1 sample(s), max difference 0 step(s)');

    const bare = exportFor(mlp, 'mlp-float', 'virtual-apollo4p', null);
    const out2 = runEmulator(makeGcc(unzip(bare.zip, bare.folder)));
    expect(out2).toContain('no expected outputs stored');
    expect(out2).toMatch(/output 0: (-?\d+\.\d{6} ){9}-?\d+\.\d{6}\r\n/);
  });

  test.skipIf(!tools.cmake || !tools.qemu)(
    'cmake configure and build, and the CMake ELF runs on QEMU too',
    async () => {
      const build = exportFor(cnn, 'cnn-int8', 'qemu-an386', cnnVectors);
      const root = unzip(build.zip, build.folder);
      const out = join(root, 'build');
      run('cmake', [
        '-S',
        root,
        '-B',
        out,
        `-DCMAKE_TOOLCHAIN_FILE=${join(root, 'cmake', 'arm-none-eabi-gcc.cmake')}`,
        '-DCMAKE_C_FLAGS=-Werror',
      ]);
      run('cmake', ['--build', out, '-j2']);
      expect(existsSync(join(out, 'example.bin'))).toBe(true);
      const uart = await runQemu(join(out, 'example.elf'));
      expect(uart).toContain('outputs matched: 2 sample(s), max difference 0 step(s)');
    },
  );
});

const shared = sharedModelsDir();
const personDetect = shared ? join(shared, 'tflm', 'person_detect.tflite') : null;

describe.skipIf(!tools.arm || !personDetect || !existsSync(personDetect ?? ''))(
  'person_detect (shared models)',
  () => {
    // Read in beforeAll: a skipped describe still runs its body to collect tests.
    let p: ReturnType<typeof prepare>;
    let vectors: ReturnType<typeof hostVectors>;
    beforeAll(() => {
      p = prepare(new Uint8Array(readFileSync(personDetect as string)));
      vectors = hostVectors(p, 1, 3);
    });

    test.skipIf(!tools.qemu)('runs on QEMU and matches the host runtime exactly', async () => {
      const build = exportFor(p, 'person_detect', 'qemu-an386', vectors);
      expect(build.kernels.map((k) => k.name).sort()).toEqual(usedKernelNames(p.pkg));
      const root = unzip(build.zip, build.folder);
      makeGcc(root);
      const out = await runQemu(join(root, 'gcc', 'build', 'example.elf'), 120_000);
      expect(out).toContain('outputs matched: 1 sample(s), max difference 0 step(s)');
    });

    test('runs on the emulator (virtual-apollo4p) and matches', () => {
      const build = exportFor(p, 'person_detect', 'virtual-apollo4p', vectors);
      const root = unzip(build.zip, build.folder);
      const elf = makeGcc(root);
      const out = runEmulator(elf);
      expect(out).toContain('TinyDeploy example: person_detect on virtual-apollo4p');
      expect(out).toContain('outputs matched: 1 sample(s), max difference 0 step(s)');
    });
  },
);
