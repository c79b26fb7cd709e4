// Page-level helpers for the run flow, shared by the browser tests and the
// benchmark: start a run and wait for its result, read what the page offers
// for download, through what a user sees and clicks.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';

export async function runCount(page: Page): Promise<number> {
  return Number((await page.getAttribute('.app', 'data-runs')) ?? 0);
}

/** Resolves once the app has finished `count` runs (whatever their outcome). */
export async function waitForRuns(page: Page, count: number, timeout = 120_000): Promise<void> {
  await page.waitForFunction(
    (n) => Number(document.querySelector('.app')?.getAttribute('data-runs') ?? 0) >= n,
    count,
    { timeout },
  );
}

/** Presses Run and waits for the results view of that run. */
export async function runAndWait(page: Page, timeout = 120_000): Promise<void> {
  const before = await runCount(page);
  await page.click('[data-testid="run"]');
  await waitForRuns(page, before + 1, timeout);
  await page.waitForSelector('[data-testid="results"][data-origin="run"]');
}

/** Clicks `selector`, which saves a file, and returns the file's bytes and name. */
export async function download(
  page: Page,
  selector: string,
  timeout = 60_000,
): Promise<{ name: string; bytes: Uint8Array }> {
  const [file] = await Promise.all([
    page.waitForEvent('download', { timeout }),
    page.click(selector),
  ]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: new Uint8Array(await readFile(path)) };
}

export async function downloadText(page: Page, selector: string): Promise<string> {
  return new TextDecoder().decode((await download(page, selector)).bytes);
}

/** The `data-state` of every stage in the run panel's (or results view's) stage list. */
export async function stageStates(
  page: Page,
  scope = '[data-testid="run-panel"]',
): Promise<Record<string, string>> {
  return page.$$eval(`${scope} [data-testid="stages"] [data-stage]`, (items) =>
    Object.fromEntries(
      items.map((li) => [li.getAttribute('data-stage') ?? '', li.getAttribute('data-state') ?? '']),
    ),
  );
}

/** Timings the app marks around a run (td:run-start → td:run-report), ms; NaN when missing. */
export async function runWallMs(page: Page): Promise<number> {
  return page.evaluate(() => {
    const start = performance.getEntriesByName('td:run-start', 'mark').at(-1)?.startTime;
    const end = performance.getEntriesByName('td:run-report', 'mark').at(-1)?.startTime;
    return start !== undefined && end !== undefined ? end - start : NaN;
  });
}
