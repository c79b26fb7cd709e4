// person_detect end to end: the wall time of one inference on the virtual
// board (emulated Apollo4 Plus running the validator firmware), and the wall
// time of the whole headless CLI flow (`tinydeploy run`: package, load,
// validate against TFLite in Chromium, profile, report, export).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BoardClient } from '../../src/core/rpc/client.ts';
import { readModel } from '../../src/core/tflite/read.ts';
import { virtualBoard } from '../../src/core/transport/virtual-board.ts';
import { packageOf } from '../../tests/support/package-fixtures.ts';
import { sharedModelsDir } from '../../tests/support/models.ts';

export const title = 'person_detect: one inference on the virtual board, and `tinydeploy run`';

const root = join(import.meta.dirname, '../..');
const FIRMWARE = join(root, 'firmware-prebuilt/virtual-apollo4p/firmware.elf');

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;

async function inference(modelPath: string): Promise<string> {
  const read = readModel(new Uint8Array(readFileSync(modelPath)));
  if (!read.ok) return `inference: ${read.error.message}`;
  const t = virtualBoard(new Uint8Array(readFileSync(FIRMWARE)));
  await t.settled();
  const client = new BoardClient(t, { invokeTimeoutMs: 600_000 });
  try {
    await client.loadPackage(packageOf(read.value).bytes);
    const walls: number[] = [];
    let cycles = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = await client.invoke();
      walls.push(performance.now() - t0);
      cycles = r.totalCycles;
    }
    return (
      `one inference on the virtual board: first ${(walls[0]! / 1000).toFixed(2)} s, ` +
      `median of 3 ${(median(walls) / 1000).toFixed(2)} s wall; ${(cycles / 1e6).toFixed(1)} M emulated cycles`
    );
  } finally {
    await client.close();
    await t.close();
  }
}

function cliRun(modelPath: string): string {
  const out = mkdtempSync(join(tmpdir(), 'td-bench-'));
  try {
    const t0 = performance.now();
    const r = spawnSync(
      process.execPath,
      [join(root, 'bin/tinydeploy.mjs'), 'run', modelPath, '--inputs', '5', '--out', out],
      { encoding: 'utf8' },
    );
    const s = (performance.now() - t0) / 1000;
    const verdict = r.status === 0 ? 'pass' : r.status === 1 ? 'fail' : `error ${r.status}`;
    return `tinydeploy run --board virtual-apollo4p --inputs 5: ${s.toFixed(1)} s wall (verdict ${verdict})`;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export async function bench(): Promise<string[]> {
  const dir = sharedModelsDir();
  if (!dir) return ['skipped: ../shared/models is absent'];
  if (!existsSync(FIRMWARE)) return ['skipped: no firmware-prebuilt/virtual-apollo4p'];
  const model = join(dir, 'tflm/person_detect.tflite');
  return [await inference(model), cliRun(model)];
}
