// Share links and the run history, in the built app: a report travels in the
// URL fragment and opens without running anything; every run lands in
// IndexedDB, survives a reload, and two runs compare side by side with
// regressions marked.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodeShareLink, encodeShareLink } from '../../src/core/report/share-link.ts';
import { fakeReport } from '../unit/report-fixtures.ts';
import { parseReport } from '../../src/core/report/parse-report.ts';
import type { Report } from '../../src/core/report/types.ts';
import { openExample } from './support/app-page.ts';
import { CHROMIUM_FLAGS, chromiumPath } from './support/browser.ts';
import { chromium } from 'playwright-core';
import { downloadText, runAndWait, runCount } from './support/flow-page.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
});

afterAll(async () => {
  await browser?.close();
});

/** A context of its own (IndexedDB is per context), errors collected per page. */
async function context(): Promise<{
  ctx: BrowserContext;
  errors: string[];
  page: () => Promise<Page>;
}> {
  const ctx = await browser.newContext({
    viewport: { width: 1360, height: 900 },
    serviceWorkers: 'block',
  });
  const errors: string[] = [];
  return {
    ctx,
    errors,
    page: async () => {
      const p = await ctx.newPage();
      p.setDefaultTimeout(10_000);
      p.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      p.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()}`);
      });
      return p;
    },
  };
}

/** Rows of the history table: their data-run ids, newest first. */
async function historyIds(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="history-table"] tbody tr', (rows) =>
    rows.map((r) => r.getAttribute('data-run') ?? ''),
  );
}

describe('share link', () => {
  it(
    'opens the report from the URL alone, without running anything',
    { timeout: 120_000 },
    async () => {
      const { ctx, errors, page: newPage } = await context();
      const page = await newPage();
      await page.goto(inject('appUrl'));
      await openExample(page, 'cnn-int8');
      await runAndWait(page);
      const original = parseReport(await downloadText(page, '[data-download="json"]'));
      if (!original.ok) throw original.error;

      await page.click('[data-testid="share"]');
      const url = await page.inputValue('[data-testid="share-url"]');
      expect(url.startsWith(inject('appUrl'))).toBe(true);
      const decoded = decodeShareLink(url);
      if (!decoded.ok) throw decoded.error;
      expect(decoded.value.verdict).toBe(original.value.verdict);

      // A new page that has never run anything: the report is there, the worker never starts.
      const other = await newPage();
      const requests: string[] = [];
      other.on('request', (r) => requests.push(new URL(r.url()).pathname));
      await other.goto(url);
      await other.waitForSelector('[data-testid="results"][data-origin="shared"]');
      expect(await other.textContent('[data-testid="shared-note"]')).toMatch(/not re-run/);
      expect(await other.getAttribute('[data-testid="results"]', 'data-status')).toBe(
        original.value.verdict,
      );
      expect(await other.textContent('[data-testid="verdict-reason"]')).toBe(
        original.value.verdictReason,
      );
      const events = await other.$$eval('[data-testid="profile-table"] tbody tr', (rows) =>
        rows.map((r) => Number(r.getAttribute('data-event'))),
      );
      expect(events).toEqual(original.value.layers.map((l) => l.index));
      const cycles = await other.textContent('[data-figure="cycles"] .value');
      expect(Number(cycles?.replace(/[^0-9]/g, ''))).toBe(original.value.summary.totalCycles);
      expect(await runCount(other)).toBe(0);
      expect(requests.some((p) => p.includes('flow.worker') || p.endsWith('firmware.elf'))).toBe(
        false,
      );
      // The shared report downloads as the same JSON.
      const again = parseReport(await downloadText(other, '[data-download="json"]'));
      if (!again.ok) throw again.error;
      expect(again.value).toEqual(decoded.value);

      // A damaged link says so instead of showing anything.
      await other.goto(url.slice(0, url.length - 40));
      await other.reload();
      await other.waitForSelector('[data-testid="link-error"]');
      expect(await other.textContent('[data-testid="link-error"]')).toMatch(/cannot be opened/);
      expect(errors).toEqual([]);
      await ctx.close();
    },
  );
});

describe('shared mismatch', () => {
  it('shows a failed verdict with its first diverging layer, from the link alone', async () => {
    const { ctx, errors, page: newPage } = await context();
    const report = fakeReport({ layers: 12, diff: 3 });
    report.divergence = {
      layer: 4,
      op: report.layers[4]!.op,
      maxAbsDiff: 3,
      unit: 'steps',
      bitExactShare: 0.5,
      message: `layer 4 (${report.layers[4]!.op}) is the first to differ: max |Δ| 3 steps, 50% bit-exact`,
    };
    const link = encodeShareLink(report);
    if (!link.ok) throw link.error;
    const page = await newPage();
    await page.goto(`${inject('appUrl')}${link.value.fragment}`);
    await page.waitForSelector('[data-testid="results"][data-origin="shared"]');
    expect(report.verdict).toBe('fail');
    expect(await page.getAttribute('[data-testid="results"]', 'data-status')).toBe('fail');
    expect(await page.textContent('[data-testid="verdict-status"]')).toBe('Mismatch');
    expect(await page.textContent('[data-testid="divergence"]')).toContain(
      `First diverging layer: 4 (${report.layers[4]!.op})`,
    );
    const failed = await page.$$eval('[data-testid="outputs-table"] tr.failed', (rows) =>
      rows.map((r) => r.getAttribute('data-output')),
    );
    expect(failed).toEqual(report.outputs.filter((o) => !o.pass).map((o) => String(o.index)));
    expect(errors).toEqual([]);
    await ctx.close();
  });
});

describe('history', () => {
  it(
    'keeps every run across reloads and compares two, marking regressions',
    { timeout: 180_000 },
    async () => {
      const { ctx, errors, page: newPage } = await context();
      const page = await newPage();
      await page.goto(inject('appUrl'));
      await openExample(page, 'cnn-int8');
      await runAndWait(page);
      await page.click('[data-tab="model"]');
      await page.fill('[data-testid="seed"]', '7');
      await page.press('[data-testid="seed"]', 'Tab');
      await runAndWait(page);

      await page.click('[data-tab="history"]');
      const ids = await historyIds(page);
      expect(ids.length).toBe(2);

      // A reload keeps them (IndexedDB).
      await page.reload();
      await page.click('[data-tab="history"]');
      await page.waitForSelector('[data-testid="history-table"]');
      expect(await historyIds(page)).toEqual(ids);

      // The two real runs differ only in their inputs: the comparison says so, no regression.
      for (const id of ids) await page.check(`[data-run="${id}"] input[type="checkbox"]`);
      await page.waitForSelector('[data-testid="compare"]');
      expect(await page.textContent('[data-testid="compare-verdict"]')).toMatch(/no regressions/);
      expect(await page.textContent('[data-testid="compare"]')).toMatch(
        /different validation inputs/,
      );
      for (const metric of ['inferenceMs', 'arenaBytes', 'outputs[0].maxAbsDiff']) {
        expect(await page.$(`[data-testid="compare"] [data-metric="${metric}"]`)).not.toBeNull();
      }

      // A later run that is slower and needs more arena: a third entry made from the
      // newest report, stored as the app stores runs.
      const slower = await page.evaluate(async (id) => {
        const open = indexedDB.open('tinydeploy');
        const db = await new Promise<IDBDatabase>((ok, fail) => {
          open.onsuccess = () => ok(open.result);
          open.onerror = () => fail(open.error);
        });
        const store = (mode: IDBTransactionMode): IDBObjectStore =>
          db.transaction('runs', mode).objectStore('runs');
        const run = await new Promise<Record<string, unknown>>((ok, fail) => {
          const get = store('readonly').get(id);
          get.onsuccess = () => ok(get.result as Record<string, unknown>);
          get.onerror = () => fail(get.error);
        });
        const copy = structuredClone(run) as {
          id: string;
          savedAt: string;
          outcome: { report: Report };
        };
        const r = copy.outcome.report;
        r.summary.inferenceMs *= 1.25;
        r.summary.totalCycles = Math.round(r.summary.totalCycles * 1.25);
        r.summary.arenaBytes += 4096;
        copy.id = `${run.id as string}-slower`;
        copy.savedAt = new Date(Date.parse(run.savedAt as string) + 60_000).toISOString();
        await new Promise<void>((ok, fail) => {
          const put = store('readwrite').put(copy, copy.id);
          put.onsuccess = () => ok();
          put.onerror = () => fail(put.error);
        });
        db.close();
        return { id: copy.id, ms: r.summary.inferenceMs };
      }, ids[0]!);
      await page.reload();
      await page.click('[data-tab="history"]');
      await page.waitForSelector(`[data-run="${slower.id}"]`);
      expect(await historyIds(page)).toEqual([slower.id, ...ids]);
      await page.check(`[data-run="${ids[0]}"] input[type="checkbox"]`);
      await page.check(`[data-run="${slower.id}"] input[type="checkbox"]`);
      await page.waitForSelector('[data-testid="compare"]');
      expect(await page.textContent('[data-testid="compare-verdict"]')).toMatch(/2 regressions/);
      const changes = await page.$$eval('[data-testid="compare"] tr[data-metric]', (rows) =>
        Object.fromEntries(
          rows.map((r) => [r.getAttribute('data-metric'), r.getAttribute('data-change')]),
        ),
      );
      expect(changes.inferenceMs).toBe('regression');
      expect(changes.arenaBytes).toBe('regression');
      expect(changes['outputs[0].maxAbsDiff']).toBe('same');

      // Opening a run from the history shows its report.
      await page.click(`[data-run="${slower.id}"] button:has-text("Open")`);
      await page.waitForSelector('[data-testid="results"][data-origin="history"]');
      expect(Number(await page.getAttribute('[data-figure="inference"]', 'data-value'))).toBe(
        slower.ms,
      );

      // Deleting one removes it for good.
      await page.click('[data-tab="history"]');
      await page.click(`[data-run="${slower.id}"] button:has-text("Delete")`);
      await page.waitForSelector(`[data-run="${slower.id}"]`, { state: 'detached' });
      await page.reload();
      await page.click('[data-tab="history"]');
      await page.waitForSelector('[data-testid="history-table"]');
      expect(await historyIds(page)).toEqual(ids);
      expect(errors).toEqual([]);
      await ctx.close();
    },
  );
});
