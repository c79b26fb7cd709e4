// The committed export kit (firmware-prebuilt/lib/cortex-m4f): built from
// the current sources, every file as its manifest says, every kernel of the
// runtime present with the id its descriptor carries, and reproducible:
// rebuilding it gives the same bytes.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { isToolchainSymbol } from '../../src/core/codegen/export.ts';
import { kitPaths } from '../../src/core/codegen/kit.ts';
import { parseBoardMemory } from '../../src/core/codegen/linker-script.ts';
import { KERNEL_IDS } from '../../src/core/package/kernel-ids.ts';
import {
  buildKit,
  compilerVersion,
  kitDir,
  kitSourceHash,
  readKitDir,
  repoRoot,
} from '../../scripts/lib-kit.ts';
import { tools } from './codegen-helpers.ts';

const kit = readKitDir();
const m = kit.manifest;
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('the committed export kit', () => {
  test('was built from the current sources (else: npm run firmware:lib)', () => {
    expect(m.sourceHash, 'the kit is stale: run `npm run firmware:lib`').toBe(kitSourceHash());
  });

  test('every file matches its size and SHA-256 in the manifest', () => {
    for (const o of m.objects) {
      const b = kit.contents.get(o.file) as Uint8Array;
      expect(b.length, o.file).toBe(o.bytes);
      expect(sha256(b), o.file).toBe(o.sha256);
    }
    for (const f of m.files) {
      const b = kit.contents.get(`files/${f.path}`) as Uint8Array;
      expect(sha256(b), f.path).toBe(f.sha256);
    }
  });

  test('has one object per kernel of td_kernel_list.h, with the id of kernel-ids.ts', () => {
    const list = readFileSync(join(repoRoot, 'firmware/runtime/include/td_kernel_list.h'), 'utf8');
    const names = [...list.matchAll(/^TD_KERNEL\((\w+)\)/gm)].map((x) => x[1] as string).sort();
    const kernels = m.objects.filter((o) => o.kind === 'kernel');
    expect(kernels.map((o) => o.name).sort()).toEqual(names);
    for (const k of kernels) {
      expect(k.kernelId, k.name).toBe(KERNEL_IDS[k.name.toUpperCase() as keyof typeof KERNEL_IDS]);
      expect(k.defines).toContain(`td_kernel_${k.name}`);
      expect(k.sizes.text, k.name).toBeGreaterThan(0);
    }
  });

  test('needs nothing beyond itself, the generated table and the toolchain libraries', () => {
    const defined = new Set(m.objects.flatMap((o) => o.defines));
    const external = new Set(m.objects.flatMap((o) => o.needs).filter((s) => !defined.has(s)));
    const table = ['td_kernel_table', 'td_kernel_table_count'];
    for (const s of table) expect(external.has(s), s).toBe(true);
    expect([...external].filter((s) => !table.includes(s) && !isToolchainSymbol(s))).toEqual([]);
  });

  test('describes each board with its memory map from its linker script', () => {
    expect(m.boards.map((b) => b.name)).toEqual(
      expect.arrayContaining(['qemu-an386', 'virtual-apollo4p']),
    );
    for (const b of m.boards) {
      const script = new TextDecoder().decode(kit.contents.get(`files/boards/${b.name}/linker.ld`));
      expect(b.memory).toEqual(parseBoardMemory(script));
      expect(b.cpu).toBe(m.core);
    }
    const apollo = m.boards.find((b) => b.name === 'virtual-apollo4p');
    expect(apollo?.memory.aliases.TD_RAM).toBe('TCM');
    expect(apollo?.memory.regions.find((r) => r.name === 'TCM')).toMatchObject({
      origin: 0x10000000,
      length: 384 * 1024,
    });
  });

  test('lists every file it holds', () => {
    const listed = [...kitPaths(m), ...m.files.map((f) => `files/${f.path}`)];
    expect(listed.sort()).toEqual([...kit.contents.keys()].sort());
  });
});

describe.skipIf(!tools.arm)('rebuilding the kit', () => {
  test('reproduces the committed objects and manifest byte for byte', () => {
    if (compilerVersion() !== m.compiler) {
      // Another compiler makes other code; the checks above still hold.
      console.warn(`kit built with ${m.compiler}, have ${compilerVersion()}: not comparing bytes`);
      return;
    }
    const out = mkdtempSync(join(tmpdir(), 'td-kit-test-'));
    try {
      const rebuilt = buildKit(join(out, 'kit'));
      expect(rebuilt).toEqual(m);
      for (const p of kitPaths(m)) {
        expect(new Uint8Array(readFileSync(join(out, 'kit', p))), p).toEqual(
          new Uint8Array(readFileSync(join(kitDir, p))),
        );
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
