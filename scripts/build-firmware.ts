// npm run firmware [-- --board NAME] [-- --out DIR]
// Builds the validator firmware for every board (or one) into
// firmware-prebuilt/<board>/: firmware.elf, firmware.bin, manifest.json.
// Byte-reproducible: commit the result; tests/unit/firmware-build.test.ts
// rebuilds it from a copy of the sources and compares.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BOARDS, buildFirmware, prebuiltDir } from '../src/node/firmware-build.ts';

const { values } = parseArgs({
  options: { board: { type: 'string' }, out: { type: 'string' } },
});
const boards = values.board ? [values.board] : [...BOARDS];
for (const board of boards) {
  const outDir = join(values.out ?? prebuiltDir, board);
  const m = buildFirmware(board, { outDir });
  const flash = m.sections.filter((s) => s.loaded).reduce((n, s) => n + s.bytes, 0);
  console.log(`${board}: ${flash} bytes of image, build ${m.buildId.slice(0, 16)} -> ${outDir}`);
}
