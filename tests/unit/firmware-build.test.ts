// The committed firmware-prebuilt/ images are reproducible: a fresh build
// from a copy of the sources in another folder (so no path of this checkout
// can leak in) yields the same ELF, .bin and manifest, byte for byte.
// Needs Debian's gcc-arm-none-eabi (CI installs it); skips without it, and
// when the installed compiler is not the one the manifest was built with.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BOARDS,
  buildFirmware,
  firmwareDir,
  firmwareSources,
  hasToolchain,
  prebuiltDir,
  readManifest,
  sourceId,
  toolchainVersion,
} from '../../src/node/firmware-build.ts';

const toolchain = hasToolchain();
const committed = readManifest(join(prebuiltDir, BOARDS[0], 'manifest.json'));
const sameCompiler = toolchain && toolchainVersion() === committed.toolchain;
const skipReason = !toolchain
  ? 'arm-none-eabi-gcc not installed (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi)'
  : `installed ${toolchainVersion()} differs from the manifest's ${committed.toolchain}`;

const work = mkdtempSync(join(tmpdir(), 'td-fw-repro-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Copies the files a board is built from into a fresh folder. */
function copySources(board: string): string {
  const dest = join(work, `src-${board}`, 'firmware');
  for (const rel of firmwareSources(board)) {
    mkdirSync(dirname(join(dest, rel)), { recursive: true });
    copyFileSync(join(firmwareDir, rel), join(dest, rel));
  }
  return dest;
}

describe.skipIf(!sameCompiler)('firmware build is reproducible', () => {
  it.each(BOARDS)(
    '%s: a fresh build equals the committed bytes',
    (board) => {
      const src = copySources(board);
      expect(sourceId(board, src)).toBe(sourceId(board));
      const out = join(work, `out-${board}`);
      const m = buildFirmware(board, { sourceDir: src, outDir: out });
      const mine = readManifest(join(prebuiltDir, board, 'manifest.json'));
      // A stale commit shows here first: the source id says which side moved.
      expect(m.sourceId, 'firmware sources changed: run `npm run firmware`').toBe(mine.sourceId);
      for (const f of ['firmware.elf', 'firmware.bin', 'manifest.json']) {
        const fresh = readFileSync(join(out, f));
        const kept = readFileSync(join(prebuiltDir, board, f));
        expect(fresh.equals(kept), `${board}/${f} differs from a fresh build`).toBe(true);
      }
    },
    120_000,
  );
});

if (!sameCompiler) it.skip(`firmware reproducibility: ${skipReason}`, () => {});
