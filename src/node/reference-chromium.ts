// The independent reference under Node: TFLite (tfjs-tflite, WASM) in headless
// Chromium driven by playwright-core. One browser per session; each page
// loads tfjs-tflite once and then runs any number of models, each with a batch
// of input sets in a single round trip.
import { chromium, type Browser, type Page } from 'playwright-core';
import { prepareReferenceModel } from '../core/reference/normalize.ts';
import { decodeResult, encodeJob } from '../core/reference/wire.ts';
import type { ReferenceJob, ReferenceResult } from '../core/reference/types.ts';
// The page's global declarations (window.tdReference).
import type {} from '../reference-page/main.ts';
import type { TensorData } from '../core/validate/tensor-data.ts';
import { startReferenceServer, type ReferenceServer } from './reference-server.ts';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export interface ReferenceOptions {
  /** Chromium binary (default: $CHROMIUM_PATH or /usr/bin/chromium). */
  executablePath?: string;
  /** Pages working in parallel (default 1). */
  pages?: number;
  /** Receives the pages' console output (TFLite logs why it refuses a model there). */
  onConsole?: (text: string) => void;
}

export interface ReferenceSession {
  run(job: ReferenceJob): Promise<ReferenceResult>;
  /**
   * Outputs per input set, from the model as prepared for a faithful
   * reference (prepareReferenceModel); throws if TFLite refuses the model.
   */
  runReference(model: Uint8Array, inputSets: TensorData[][]): Promise<TensorData[][]>;
  close(): Promise<void>;
}

async function openPage(
  browser: Browser,
  url: string,
  onConsole?: (text: string) => void,
): Promise<Page> {
  const page = await browser.newPage();
  if (onConsole) page.on('console', (m) => onConsole(m.text()));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  try {
    await page.waitForFunction(() => window.tdReference?.ready === true, null, { timeout: 30_000 });
  } catch (e) {
    throw new Error(`reference page did not start: ${errors.join('; ') || String(e)}`, {
      cause: e,
    });
  }
  return page;
}

export async function launchReference(options: ReferenceOptions = {}): Promise<ReferenceSession> {
  const server: ReferenceServer = await startReferenceServer();
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: options.executablePath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_FLAGS,
    });
    const b = browser;
    const pages = await Promise.all(
      Array.from({ length: Math.max(1, options.pages ?? 1) }, () =>
        openPage(b, server.url, options.onConsole),
      ),
    );
    // A page runs one job at a time; jobs wait for the next free page.
    const idle: Page[] = [...pages];
    const waiting: ((p: Page) => void)[] = [];
    const acquire = (): Promise<Page> => {
      const p = idle.pop();
      return p ? Promise.resolve(p) : new Promise((ok) => waiting.push(ok));
    };
    const release = (p: Page): void => {
      const next = waiting.shift();
      if (next) next(p);
      else idle.push(p);
    };
    let nextId = 0;

    const run = async (job: ReferenceJob): Promise<ReferenceResult> => {
      const id = `j${nextId++}`;
      server.putJob(id, encodeJob(job));
      const page = await acquire();
      try {
        const failure = await page.evaluate((jobId) => window.tdReference!.run(jobId), id);
        if (failure) return { ok: false, error: failure };
      } finally {
        release(page);
      }
      const frame = server.takeResult(id);
      return frame ? decodeResult(frame) : { ok: false, error: `no result for job ${id}` };
    };

    return {
      run,
      async runReference(modelBytes, inputSets) {
        const { bytes: model, extraInputs } = prepareReferenceModel(modelBytes);
        const result = await run({ model, inputSets, extraInputs });
        if (!result.ok) throw new Error(result.error);
        return result.outputSets;
      },
      async close() {
        await b.close();
        await server.close();
      },
    };
  } catch (e) {
    await browser?.close();
    await server.close();
    throw e;
  }
}
