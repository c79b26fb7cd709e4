// Drop to report in the built app: headless Chromium, a model dropped on the
// page, Run pressed with the app's defaults (virtual board, seed 1, the
// default number of input sets), timed by the app's own performance marks
// from td:drop (the file arrives) to td:run-report (the report is in). The
// first run includes starting the workers, loading tfjs-tflite and compiling
// its WASM; later runs of the same page are warm. Stage times are the flow's.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { EXAMPLES, exampleBytes } from '../../src/core/examples/index.ts';
import { FLOW_STAGES } from '../../src/core/flow/types.ts';
import { launchChromium, openPage } from '../../tests/browser/support/browser.ts';
import { dropFile } from '../../tests/browser/support/drop.ts';
import { runAndWait } from '../../tests/browser/support/flow-page.ts';
import { serveStatic } from '../../tests/browser/support/static-server.ts';
import { sharedModelsDir } from '../../tests/support/models.ts';
import { timingLine, type Timing } from '../lib/timing.ts';

export const title =
  'app: drop to validated, profiled report (headless Chromium, built app, virtual board)';

const repo = resolve(import.meta.dirname, '../..');
const WARM_RUNS = 3;
/** The target the app aims for on person_detect. */
const TARGET_MS = 10_000;

function candidate(): { name: string; bytes: Uint8Array } {
  const dir = sharedModelsDir();
  if (dir) {
    const file = 'tflm/person_detect.tflite';
    return { name: 'person_detect.tflite', bytes: new Uint8Array(readFileSync(join(dir, file))) };
  }
  // Without the shared models: the largest example (one the runtime runs whole).
  const built = EXAMPLES.filter((e) => e.id !== 'kws-int8').map((e) => ({
    name: e.fileName,
    bytes: exampleBytes(e.id)!,
  }));
  return built.sort((a, b) => b.bytes.length - a.bytes.length)[0]!;
}

async function marks(page: Page, from: string, to: string): Promise<number> {
  return page.evaluate(
    ([a, b]) => {
      const t0 = performance.getEntriesByName(a!, 'mark').at(-1)?.startTime;
      const t1 = performance.getEntriesByName(b!, 'mark').at(-1)?.startTime;
      return t0 !== undefined && t1 !== undefined ? t1 - t0 : NaN;
    },
    [from, to],
  );
}

async function stageTimes(page: Page): Promise<Record<string, number>> {
  await page.click('[data-tab="model"]');
  const out = await page.$$eval('[data-testid="run-panel"] [data-stage]', (items) =>
    Object.fromEntries(
      items.map((li) => [li.getAttribute('data-stage') ?? '', Number(li.getAttribute('data-ms'))]),
    ),
  );
  return out;
}

function summarise(values: number[]): Timing {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 ? sorted[mid]! : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { medianMs: median, minMs: sorted[0]!, maxMs: sorted.at(-1)!, runs: sorted.length };
}

const stageLine = (s: Record<string, number>): string =>
  FLOW_STAGES.map((k) => `${k} ${Number.isFinite(s[k]) ? Math.round(s[k]!) : '?'} ms`).join(', ');

export async function run(): Promise<string[]> {
  const outDir = mkdtempSync(join(tmpdir(), 'tinydeploy-bench-flow-'));
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
      const c = candidate();
      const { page } = await openPage(browser, server.url);
      await dropFile(page, '[data-testid="dropzone"]', c.name, c.bytes);
      await runAndWait(page, 300_000);
      const status = await page.getAttribute('[data-testid="results"]', 'data-status');
      const sets = await page.$eval(
        '[data-testid="verdict"] .facts',
        (el) => /(\d+) input sets/.exec(el.textContent ?? '')?.[1] ?? '?',
      );
      const cold = await marks(page, 'td:drop', 'td:run-report');
      const coldRun = await marks(page, 'td:run-start', 'td:run-report');
      const coldStages = await stageTimes(page);
      const warm: number[] = [];
      let warmStages: Record<string, number> = {};
      for (let i = 0; i < WARM_RUNS; i++) {
        await runAndWait(page, 300_000);
        warm.push(await marks(page, 'td:run-start', 'td:run-report'));
        warmStages = await stageTimes(page);
      }
      await page.close();
      lines.push(
        `  ${c.name}: ${c.bytes.length.toLocaleString('en-US')} bytes, verdict ${status}, ${sets} input sets`,
      );
      lines.push(
        `  ${'drop -> report, first run'.padEnd(34)} ${`${cold.toFixed(0)} ms`.padStart(10)}   ` +
          `(Run -> report ${coldRun.toFixed(0)} ms; target < ${TARGET_MS} ms: ${cold < TARGET_MS ? 'met' : 'NOT met'})`,
      );
      lines.push(`    stages: ${stageLine(coldStages)}`);
      lines.push(timingLine('Run -> report, warm page', summarise(warm)));
      lines.push(`    stages (last warm run): ${stageLine(warmStages)}`);
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
