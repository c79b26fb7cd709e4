// The app's main job, end to end in headless Chromium: a model dropped on the
// page, one Run, the flow in workers (the emulated board, TFLite in WASM), and
// the report. Figures are checked against the Node analysis of the same bytes
// and against the files the page hands out; the export zip is built with the
// ARM toolchain and run on the emulator from Node.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { analyzeModel } from '../../src/core/analysis/analyze.ts';
import type { Analysis } from '../../src/core/analysis/types.ts';
import { exampleBytes } from '../../src/core/examples/index.ts';
import { PROFILE_CSV_COLUMNS } from '../../src/core/profile/csv.ts';
import { parseReport } from '../../src/core/report/parse-report.ts';
import { readModel } from '../../src/core/tflite/read.ts';
import { sharedModelsDir } from '../support/models.ts';
import { makeGcc, runEmulator, tools, unzipTo } from '../unit/codegen-helpers.ts';
import { loadCount, openExample, waitForLoads } from './support/app-page.ts';
import { launchChromium, openPage } from './support/browser.ts';
import { dropFile } from './support/drop.ts';
import {
  download,
  downloadText,
  runAndWait,
  stageStates,
  waitForRuns,
} from './support/flow-page.ts';

const resultsDir = resolve(import.meta.dirname, '../../test-results');
const shared = sharedModelsDir();

function analyse(bytes: Uint8Array): Analysis {
  const model = readModel(bytes);
  if (!model.ok) throw model.error;
  return analyzeModel(model.value, bytes.length);
}

/** person_detect when the shared models are here, else the largest example the runtime runs whole. */
function acceptanceModel(): { name: string; bytes: Uint8Array } {
  if (shared) {
    return {
      name: 'person_detect.tflite',
      bytes: new Uint8Array(readFileSync(join(shared, 'tflm/person_detect.tflite'))),
    };
  }
  const candidates = ['cnn-int8', 'mlp-float']
    .map((id) => ({ name: `${id}.tflite`, bytes: exampleBytes(id)! }))
    .filter((c) => analyse(c.bytes).layers.every((l) => l.supported));
  return candidates.sort((a, b) => b.bytes.length - a.bytes.length)[0]!;
}

/** CSV text without its '#' provenance lines, as rows of cells. */
function csvRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split(','));
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
  expect(errors).toEqual([]);
  await page.close();
});

describe('run flow', () => {
  it(
    'takes a dropped model to a validated, profiled report on the virtual board, and exports a project that builds and matches',
    { timeout: 240_000 },
    async () => {
      await freshPage();
      const model = acceptanceModel();
      const expected = analyse(model.bytes);
      await dropFile(page, '[data-testid="dropzone"]', model.name, model.bytes);
      // The drag is over: no "drop to open" overlay left over the page.
      expect(await page.$('.overlay')).toBeNull();

      // The virtual board is the default.
      expect(await page.isChecked('[data-board="virtual-apollo4p"] input')).toBe(true);
      await runAndWait(page, 180_000);

      // Verdict: the board agrees with TFLite.
      expect(await page.getAttribute('[data-testid="results"]', 'data-status')).toBe('pass');
      expect(await page.textContent('[data-testid="verdict-reason"]')).toMatch(
        /within their bounds/,
      );
      // The run panel (on the model tab) shows every stage done.
      await page.click('[data-tab="model"]');
      expect(await stageStates(page)).toEqual({
        package: 'done',
        load: 'done',
        validate: 'done',
        profile: 'done',
        report: 'done',
      });
      await page.click('[data-tab="results"]');

      // The CSV: the reference system's columns, one row per layer, cycles counted, MACs the analysis's.
      const csv = await downloadText(page, '[data-download="csv"]');
      expect(csv).toMatch(/^# .*emulated/m);
      const [header, ...rows] = csvRows(csv);
      expect(header).toEqual([
        'Event',
        'Tag',
        'uSeconds',
        'Est MACs',
        'cycles',
        'cpi',
        'exc',
        'sleep',
        'lsu',
        'fold',
        'daccess',
        'dtaglookup',
        'dhitslookup',
        'dhitsline',
        'iaccess',
        'itaglookup',
        'ihitslookup',
        'ihitsline',
      ]);
      expect(header).toEqual([...PROFILE_CSV_COLUMNS]);
      const col = (name: string): number => header!.indexOf(name);
      expect(rows.map((r) => r[col('Tag')])).toEqual(expected.layers.map((l) => l.op));
      expect(rows.map((r) => Number(r[col('Est MACs')]))).toEqual(
        expected.layers.map((l) => l.macs),
      );
      for (const r of rows) expect(Number(r[col('cycles')])).toBeGreaterThan(0);

      // The table on screen holds the CSV's cells.
      const table = await page.$$eval('[data-testid="profile-table"] tbody tr', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
      );
      expect(table).toEqual(rows);

      // The JSON report says the same, and the figures on screen are its own.
      const report = parseReport(await downloadText(page, '[data-download="json"]'));
      if (!report.ok) throw report.error;
      const r = report.value;
      expect(r.verdict).toBe('pass');
      expect(r.summary.source).toBe('emulated');
      expect(r.summary.totalMacs).toBe(expected.totals.macs);
      expect(r.summary.totalCycles).toBe(rows.reduce((s, x) => s + Number(x[col('cycles')]), 0));
      expect(r.outputs.length).toBe(expected.model.outputs.length);
      expect(await page.textContent('[data-figure="cycles"] .value')).toContain(
        r.summary.totalCycles.toLocaleString('en-US'),
      );
      // Every virtual-board figure says where it comes from; energy says it is an estimate.
      expect(await page.textContent('[data-figure="inference"] .tag')).toContain('emulated');
      expect(await page.textContent('[data-figure="cycles"] .tag')).toContain('emulated');
      expect(await page.textContent('[data-testid="energy"] h3')).toContain('estimated');
      const modes = await page.$$eval('[data-testid="energy"] tbody tr', (trs) =>
        trs.map((tr) => tr.getAttribute('data-mode')),
      );
      expect(modes).toEqual(['low-power', 'high-performance']);
      expect(r.summary.energy?.modes.every((m) => m.energyUj > 0)).toBe(true);

      const html = await downloadText(page, '[data-download="html"]');
      expect(html).toContain('<!doctype html>'.slice(0, 9));
      expect(html).toContain(model.name);

      // Charts drawn.
      for (const kind of ['time', 'cycles-per-mac', 'occupancy']) {
        await page.waitForSelector(`[data-chart="${kind}"] canvas[data-rendered="true"]`);
      }
      mkdirSync(resultsDir, { recursive: true });
      await page.screenshot({ path: join(resultsDir, 'results.png'), fullPage: true });
      await page.screenshot({ path: join(resultsDir, 'results-top.png') });

      // The export: unzip, build with the ARM toolchain, run on the emulator.
      const zip = await download(page, '[data-testid="export"]', 120_000);
      expect(zip.name).toMatch(/\.zip$/);
      if (tools.arm) {
        const { root, cleanup } = unzipTo(zip.bytes, zip.name.replace(/\.zip$/, ''));
        try {
          const out = runEmulator(makeGcc(root), 6_000_000_000);
          expect(out).toMatch(/outputs matched: \d+ sample\(s\)/);
        } finally {
          cleanup();
        }
      }
    },
  );

  it('offers the WebSerial board only where the browser has WebSerial', async () => {
    // No navigator.serial: offered, but disabled with the reason.
    ({ page, errors } = await openPage(browser, 'about:blank'));
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'serial', { get: () => undefined });
    });
    await page.goto(inject('appUrl'));
    await openExample(page, 'cnn-int8');
    const option = '[data-board="webserial"]';
    expect(await page.textContent(option)).toContain('Real board (WebSerial)');
    expect(await page.isDisabled(`${option} input`)).toBe(true);
    expect(await page.textContent(option)).toMatch(/no WebSerial/);
    await page.close();

    // With navigator.serial: enabled, and choosing it asks for a port before Run.
    ({ page, errors } = await openPage(browser, 'about:blank'));
    await page.addInitScript(() => {
      const serial = {
        requestPort: () => Promise.reject(new Error('no port chosen')),
        getPorts: () => Promise.resolve([]),
      };
      Object.defineProperty(Navigator.prototype, 'serial', { get: () => serial });
    });
    await page.goto(inject('appUrl'));
    await openExample(page, 'cnn-int8');
    expect(await page.isDisabled(`${option} input`)).toBe(false);
    await page.check(`${option} input`);
    expect(await page.isDisabled('[data-testid="run"]')).toBe(true);
    await page.click('text=Choose serial port…');
    await page.waitForSelector('text=no port chosen');
    expect(await page.isDisabled('[data-testid="run"]')).toBe(true);
  });

  it('names the stage and the reason when a run fails, and keeps what was done', async () => {
    await freshPage();
    // The keyword spotter has custom ops no kernel runs.
    await openExample(page, 'kws-int8');
    const expected = analyse(exampleBytes('kws-int8')!);
    await runAndWait(page);
    expect(await page.getAttribute('[data-testid="results"]', 'data-status')).toBe('error');
    const reason = (await page.textContent('[data-testid="verdict-reason"]')) ?? '';
    for (const op of expected.unsupportedOps) expect(reason).toContain(op);
    expect(await page.textContent('[data-testid="verdict"] h1')).toContain('package');
    expect(await stageStates(page, '[data-testid="results"]')).toEqual({
      package: 'failed',
      load: 'skipped',
      validate: 'skipped',
      profile: 'skipped',
      report: 'skipped',
    });
  });

  it(
    'cancels a run during validation; the stages already done stay done',
    { timeout: 120_000 },
    async () => {
      await freshPage();
      await openExample(page, 'cnn-int8');
      await page.fill('[data-testid="input-sets"]', '200');
      await page.press('[data-testid="input-sets"]', 'Tab');
      await page.click('[data-testid="run"]');
      await page.waitForSelector(
        '[data-testid="run-panel"] [data-stage="validate"][data-state="running"]',
        {
          timeout: 60_000,
        },
      );
      await page.click('[data-testid="cancel"]');
      await waitForRuns(page, 1, 60_000);
      expect(await page.getAttribute('[data-testid="results"]', 'data-status')).toBe('cancelled');
      const states = await stageStates(page, '[data-testid="results"]');
      expect(states).toEqual({
        package: 'done',
        load: 'done',
        validate: 'cancelled',
        profile: 'skipped',
        report: 'skipped',
      });
      // The app is ready for the next run.
      await page.click('[data-tab="model"]');
      expect(await page.isEnabled('[data-testid="run"]')).toBe(true);
    },
  );

  it(
    "runs on the user's own input file: the sets are the file's, a bad file names the input",
    { timeout: 120_000 },
    async () => {
      await freshPage();
      await openExample(page, 'mlp-float');
      const a = analyse(exampleBytes('mlp-float')!);
      const elements = a.model.inputs[0]!.shape.reduce((x, y) => x * y, 1);
      // Two input sets in one CSV: two rows of the input's element count.
      const row = (k: number): string =>
        Array.from({ length: elements }, (_, i) => ((i * 7 + k) % 13) / 13 - 0.5).join(',');
      await page.setInputFiles('[data-input="0"] input[type="file"]', {
        name: 'features.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(`${row(1)}\n${row(2)}\n`),
      });
      expect(await page.textContent('[data-testid="input-file"]')).toBe('features.csv');
      await runAndWait(page);
      const report = parseReport(await downloadText(page, '[data-download="json"]'));
      if (!report.ok) throw report.error;
      expect(report.value.provenance.inputSets).toBe(2);

      // An image, decoded by the browser in the worker and resized to the image classifier's input.
      await page.click('[data-tab="model"]');
      const loads = await loadCount(page);
      await page.selectOption('#example-select', 'cnn-int8');
      await waitForLoads(page, loads + 1);
      // Another model: the previous model's input files are gone.
      expect(await page.$('[data-testid="input-file"]')).toBeNull();
      await page.setInputFiles('[data-input="0"] input[type="file"]', {
        name: 'icon.png',
        mimeType: 'image/png',
        buffer: readFileSync(
          resolve(import.meta.dirname, '../../src/app/public/icons/icon-192.png'),
        ),
      });
      await runAndWait(page);
      expect(await page.getAttribute('[data-testid="results"]', 'data-status')).not.toBe('error');
      const fromImage = parseReport(await downloadText(page, '[data-download="json"]'));
      if (!fromImage.ok) throw fromImage.error;
      expect(fromImage.value.provenance.inputSets).toBe(1);

      // A file with the wrong number of values: the run stops at validation, naming the input.
      await page.click('[data-tab="model"]');
      await page.setInputFiles('[data-input="0"] input[type="file"]', {
        name: 'short.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('1,2,3\n'),
      });
      await runAndWait(page);
      expect(await page.getAttribute('[data-testid="results"]', 'data-status')).toBe('error');
      expect(await page.textContent('[data-testid="verdict-reason"]')).toMatch(
        /input 0 \(short\.csv\)/,
      );
    },
  );
});
