// Drop to table in the built app: headless Chromium, a model given to the
// file input, timed by the app's own performance marks (td:drop when the file
// arrives, td:analysed when the worker answers, td:table once the table is in
// the DOM). The first open includes starting the worker; the rest are warm.
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { EXAMPLES, exampleBytes } from '../../src/core/examples/index.ts';
import { sharedModelsDir } from '../../tests/support/models.ts';
import { openFile } from '../../tests/browser/support/app-page.ts';
import { launchChromium, openPage } from '../../tests/browser/support/browser.ts';
import { serveStatic } from '../../tests/browser/support/static-server.ts';
import { timingLine, type Timing } from '../lib/timing.ts';

export const title = 'app: file drop to layer table (headless Chromium, built app)';

const repo = resolve(import.meta.dirname, '../..');
const WARM_RUNS = 10;
const WARMUP = 2;

interface Candidate {
  name: string;
  bytes: Uint8Array;
}

function candidates(): Candidate[] {
  const dir = sharedModelsDir();
  if (dir) {
    return ['tflm/person_detect.tflite', 'tflm/mobilenet_v2_quantized_1x3x224x224.tflite'].map(
      (f) => ({ name: f.split('/').pop()!, bytes: new Uint8Array(readFileSync(join(dir, f))) }),
    );
  }
  // Without the shared models: the largest example the project builds.
  const built = EXAMPLES.map((e) => ({ name: e.fileName, bytes: exampleBytes(e.id)! }));
  return [built.sort((a, b) => b.bytes.length - a.bytes.length)[0]!];
}

interface Sample {
  total: number;
  worker: number;
  render: number;
}

async function openAndTime(page: Page, c: Candidate): Promise<Sample> {
  await openFile(page, c.name, c.bytes);
  // No helper functions inside the evaluated callback: tsx wraps named
  // functions in a __name() call that does not exist in the page.
  const [drop, analysed, table] = await page.evaluate(() =>
    ['td:drop', 'td:analysed', 'td:table'].map(
      (n) => performance.getEntriesByName(n, 'mark').at(-1)?.startTime ?? NaN,
    ),
  );
  const marks = { drop: drop ?? NaN, analysed: analysed ?? NaN, table: table ?? NaN };
  if (![marks.drop, marks.analysed, marks.table].every(Number.isFinite)) {
    throw new Error(`${c.name}: the app did not set its performance marks (did it fail to open?)`);
  }
  return {
    total: marks.table - marks.drop,
    worker: marks.analysed - marks.drop,
    render: marks.table - marks.analysed,
  };
}

function summarise(values: number[]): Timing {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 ? sorted[mid]! : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return {
    medianMs: median,
    minMs: sorted[0] ?? 0,
    maxMs: sorted.at(-1) ?? 0,
    runs: sorted.length,
  };
}

export async function run(): Promise<string[]> {
  // Build into a scratch folder: measures the current sources and leaves dist/ alone.
  const outDir = mkdtempSync(join(tmpdir(), 'tinydeploy-bench-app-'));
  const lines: string[] = [];
  try {
    await build({
      configFile: join(repo, 'vite.config.ts'),
      root: join(repo, 'src/app'),
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
    });
    const server = await serveStatic(outDir);
    const browser = await launchChromium();
    try {
      for (const c of candidates()) {
        const { page } = await openPage(browser, server.url);
        const cold = await openAndTime(page, c);
        for (let i = 0; i < WARMUP; i++) await openAndTime(page, c);
        const warm: Sample[] = [];
        for (let i = 0; i < WARM_RUNS; i++) warm.push(await openAndTime(page, c));
        const layers = await page.locator('[data-testid="layer-table"] tbody tr').count();
        await page.close();
        lines.push(
          `  ${c.name}: ${c.bytes.length.toLocaleString('en-US')} bytes, ${layers} layers`,
        );
        lines.push(
          `  ${'first open (worker start)'.padEnd(34)} ${`${cold.total.toFixed(2)} ms`.padStart(10)}   (worker ${cold.worker.toFixed(2)} ms, render ${cold.render.toFixed(2)} ms)`,
        );
        lines.push(timingLine('drop -> table', summarise(warm.map((s) => s.total))));
        lines.push(
          timingLine('  drop -> analysis back (worker)', summarise(warm.map((s) => s.worker))),
        );
        lines.push(timingLine('  analysis -> table in DOM', summarise(warm.map((s) => s.render))));
      }
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  return lines;
}

/** bench/run.ts calls sections by this name. */
export const bench = run;
