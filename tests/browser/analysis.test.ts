// The analysis view, end to end: the built app in headless Chromium, models
// opened the ways a user opens them, figures checked against the Node
// analysis of the same bytes (and the independent MANIFEST for shared models).
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { analyzeModel } from '../../src/core/analysis/analyze.ts';
import type { Analysis } from '../../src/core/analysis/types.ts';
import { EXAMPLES, exampleBytes } from '../../src/core/examples/index.ts';
import { readModel } from '../../src/core/tflite/read.ts';
import { readManifest, sharedModelsDir } from '../support/models.ts';
import { loadCount, openExample, openFile, waitForLoads } from './support/app-page.ts';
import { launchChromium, openPage } from './support/browser.ts';

const resultsDir = resolve(import.meta.dirname, '../../test-results');
const shared = sharedModelsDir();

function analyse(bytes: Uint8Array): Analysis {
  const model = readModel(bytes);
  if (!model.ok) throw model.error;
  return analyzeModel(model.value, bytes.length);
}

const digits = (text: string | null): number => Number((text ?? '').replace(/[^0-9]/g, ''));

async function rowIndices(page: Page): Promise<number[]> {
  return page.$$eval('[data-testid="layer-table"] tbody tr', (rows) =>
    rows.map((r) => Number(r.getAttribute('data-index'))),
  );
}

async function columnNumbers(page: Page, column: string): Promise<number[]> {
  const texts = await page.$$eval(
    `[data-testid="layer-table"] tbody td[data-column="${column}"]`,
    (cells) => cells.map((c) => c.textContent ?? ''),
  );
  return texts.map(digits);
}

let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function freshPage(): Promise<void> {
  ({ page, errors } = await openPage(browser, inject('appUrl')));
}

afterEach(async () => {
  // Whatever a test did, the page must not have logged an error or thrown.
  expect(errors).toEqual([]);
  await page.close();
});

describe('analysis view', () => {
  it.each(EXAMPLES.map((e) => [e.id]))(
    'opens example %s from the first screen with one row per operator and the Node MACs total',
    async (id) => {
      await freshPage();
      const expected = analyse(exampleBytes(id)!);
      await openExample(page, id);

      expect(await page.textContent('[data-testid="model-name"]')).toBe(
        EXAMPLES.find((e) => e.id === id)!.fileName,
      );
      expect(await rowIndices(page)).toEqual(expected.layers.map((l) => l.index));
      expect(digits(await page.textContent('[data-stat="macs"] .value'))).toBe(
        expected.totals.macs,
      );
      // Per-layer figures are the Node figures too, in execution order.
      expect(await columnNumbers(page, 'macs')).toEqual(expected.layers.map((l) => l.macs));
      expect(await columnNumbers(page, 'paramBytes')).toEqual(
        expected.layers.map((l) => l.paramBytes),
      );
      // Unsupported layers are marked, and only those.
      const marked = await page.$$eval('[data-testid="layer-table"] tbody tr.unsupported', (rows) =>
        rows.map((r) => Number(r.getAttribute('data-index'))),
      );
      expect(marked).toEqual(expected.layers.filter((l) => !l.supported).map((l) => l.index));
      const unsupportedOps = await page.$$eval(
        '[data-testid="opset"] tr[data-supported="false"]',
        (rows) => rows.map((r) => r.getAttribute('data-op')),
      );
      expect(unsupportedOps.sort()).toEqual([...expected.unsupportedOps].sort());
      expect(digits(await page.textContent('[data-figure="arena"] .exact'))).toBe(
        expected.memory.arenaBytes,
      );
    },
  );

  it('opens the example named in ?example= at once, ready to run on the virtual board', async () => {
    const url = new URL(inject('appUrl'));
    url.searchParams.set('example', 'cnn-int8');
    ({ page, errors } = await openPage(browser, url.href));
    const expected = analyse(exampleBytes('cnn-int8')!);
    await page.waitForSelector('[data-testid="layer-table"] tbody tr');
    expect(await page.textContent('[data-testid="model-name"]')).toBe(
      EXAMPLES.find((e) => e.id === 'cnn-int8')!.fileName,
    );
    expect(await rowIndices(page)).toEqual(expected.layers.map((l) => l.index));
    const board = await page.$eval(
      '[data-testid="run-panel"] input[name="board"]:checked',
      (el) => (el as HTMLInputElement).value,
    );
    expect(board).toBe('virtual-apollo4p');
  });

  it.skipIf(!shared)(
    'opens person_detect.tflite with the op set and layer count of the MANIFEST',
    async () => {
      await freshPage();
      const dir = shared!;
      const row = readManifest(readFileSync(join(dir, 'MANIFEST.md'), 'utf8')).find(
        (r) => r.file === 'tflm/person_detect.tflite',
      )!;
      await openFile(page, 'person_detect.tflite', readFileSync(join(dir, row.file)));

      expect((await rowIndices(page)).length).toBe(row.operators);
      const ops = await page.$$eval('[data-testid="opset"] tbody tr', (rows) =>
        rows.map((r) => r.getAttribute('data-op')),
      );
      expect(ops.sort()).toEqual([...row.ops].sort());
      expect(digits(await page.textContent('[data-stat="macs"] .value'))).toBe(row.macs);
      expect(digits(await page.textContent('[data-figure="peak"] .exact'))).toBe(row.peakLive);
      expect(digits(await page.textContent('[data-figure="no-reuse"] .exact'))).toBe(row.noReuse);
    },
  );

  it('saves a full-page screenshot of the analysis view to test-results/', async () => {
    await freshPage();
    // A real model when the shared folder is there, else the example with unsupported ops.
    if (shared) {
      const bytes = readFileSync(join(shared, 'tflm/person_detect.tflite'));
      await openFile(page, 'person_detect.tflite', bytes);
    } else {
      await openExample(page, 'kws-int8');
    }
    await page.waitForSelector('[data-testid="memory-chart"][data-rendered="true"]');
    mkdirSync(resultsDir, { recursive: true });
    const png = await page.screenshot({ path: join(resultsDir, 'analysis.png'), fullPage: true });
    // PNG height (IHDR): a full page is taller than the 900-pixel viewport.
    expect(png.readUInt32BE(20)).toBeGreaterThan(900);
  });

  it('sorts the layer table by MACs, both ways, from the column header', async () => {
    await freshPage();
    await openExample(page, 'kws-int8');
    const original = await rowIndices(page);
    const header = page.locator('th[data-column="macs"]');

    await header.locator('button').click();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    const down = await columnNumbers(page, 'macs');
    expect(down).toEqual([...down].sort((a, b) => b - a));
    expect(new Set(down).size).toBeGreaterThan(2);
    expect((await rowIndices(page)).sort((a, b) => a - b)).toEqual(original);

    await header.locator('button').click();
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    const up = await columnNumbers(page, 'macs');
    expect(up).toEqual([...down].reverse().sort((a, b) => a - b));

    // Sorting by op name, then back to execution order.
    await page.locator('th[data-column="op"] button').click();
    const ops = await page.$$eval(
      '[data-testid="layer-table"] tbody td[data-column="op"] .mono',
      (cells) => cells.map((c) => c.textContent ?? ''),
    );
    expect(ops).toEqual([...ops].sort((a, b) => a.localeCompare(b)));
    await page.locator('th[data-column="index"] button').click();
    await page.locator('th[data-column="index"] button').click();
    expect(await rowIndices(page)).toEqual(original);
  });

  it.each([
    ['a truncated model', (b: Uint8Array) => b.slice(0, Math.floor(b.length / 2))],
    ['a file that is not a model', () => new TextEncoder().encode('name,value\nnot,a model\n')],
    ['an empty file', () => new Uint8Array(0)],
  ])('shows the reader error for %s and keeps the previous analysis', async (_what, corrupt) => {
    await freshPage();
    await openExample(page, 'cnn-int8');
    const rowsBefore = await rowIndices(page);
    const bytes = corrupt(exampleBytes('cnn-int8')!);
    const expected = readModel(bytes);
    if (expected.ok) throw new Error('the corrupt file should not read');

    await openFile(page, 'broken.tflite', bytes);

    const alert = page.getByRole('alert');
    expect(await alert.getAttribute('data-code')).toBe(expected.error.code);
    expect(await alert.textContent()).toContain(expected.error.message);
    expect(await alert.textContent()).toContain('broken.tflite');
    expect(await page.textContent('[data-testid="model-name"]')).toBe(
      'image_classifier_int8.tflite',
    );
    expect(await rowIndices(page)).toEqual(rowsBefore);

    // The next good file clears the error.
    await openFile(page, 'again.tflite', exampleBytes('mlp-float')!);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.textContent('[data-testid="model-name"]')).toBe('again.tflite');
  });

  it('draws the arena chart: a rendered, non-empty canvas', async () => {
    await freshPage();
    await openExample(page, 'cnn-int8');
    await page.waitForSelector('[data-testid="memory-chart"][data-rendered="true"]');
    const pixels = await page.$eval('[data-testid="memory-chart"]', (el) => {
      const canvas = el as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      const colours = new Set<number>();
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3]! > 0) {
          painted++;
          colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
        }
      }
      return { width: canvas.width, height: canvas.height, painted, colours: colours.size };
    });
    expect(pixels.width).toBeGreaterThan(300);
    expect(pixels.height).toBeGreaterThan(200);
    // Bars cover a good part of the plot, in several tensor colours.
    expect(pixels.painted / (pixels.width * pixels.height)).toBeGreaterThan(0.05);
    expect(pixels.colours).toBeGreaterThan(10);
  });

  it('opens a file dropped on the drop zone', async () => {
    await freshPage();
    const bytes = exampleBytes('kws-int8')!;
    const before = await loadCount(page);
    const dataTransfer = await page.evaluateHandle(
      ({ data, name }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(data)], name));
        return transfer;
      },
      { data: Array.from(bytes), name: 'dropped.tflite' },
    );
    await page.dispatchEvent('[data-testid="dropzone"]', 'drop', { dataTransfer });
    await waitForLoads(page, before + 1);
    expect(await page.textContent('[data-testid="model-name"]')).toBe('dropped.tflite');
    expect((await rowIndices(page)).length).toBe(analyse(bytes).layers.length);
  });

  it('reaches the file picker from the keyboard on the drop zone', async () => {
    await freshPage();
    // Count the picker requests in the page and keep the native dialog closed:
    // waiting for Playwright's filechooser event races with its interception.
    await page.$eval('[data-testid="file-input"]', (input) => {
      input.setAttribute('data-picks', '0');
      input.addEventListener('click', (event) => {
        event.preventDefault();
        input.setAttribute('data-picks', String(Number(input.getAttribute('data-picks')) + 1));
      });
    });
    // The view tabs come first in the tab order, then the drop zone.
    const focused = (): Promise<string | null | undefined> =>
      page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    for (let i = 0; i < 5 && (await focused()) !== 'dropzone'; i++)
      await page.keyboard.press('Tab');
    expect(await focused()).toBe('dropzone');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="file-input"][data-picks="1"]');
    await page.keyboard.press('Space');
    await page.waitForSelector('[data-testid="file-input"][data-picks="2"]');
  });
});
