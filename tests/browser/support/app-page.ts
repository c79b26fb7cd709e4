// Page-level helpers shared by the browser tests and the benchmark: how to
// open a model in the app and wait for its analysis, through what a user sees.
import type { Page } from 'playwright-core';

/** Resolves once the app has finished as many loads as `count` (success or error). */
export async function waitForLoads(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) => Number(document.querySelector('.app')?.getAttribute('data-loads') ?? 0) >= n,
    count,
  );
}

export async function loadCount(page: Page): Promise<number> {
  return Number((await page.getAttribute('.app', 'data-loads')) ?? 0);
}

/** Gives the file to the app's file input, as the picker would, and waits for the result. */
export async function openFile(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  const before = await loadCount(page);
  await page.setInputFiles('[data-testid="file-input"]', {
    name,
    mimeType: 'application/octet-stream',
    buffer: Buffer.from(bytes),
  });
  await waitForLoads(page, before + 1);
}

export async function openExample(page: Page, id: string): Promise<void> {
  const before = await loadCount(page);
  await page.click(`[data-example="${id}"]`);
  await waitForLoads(page, before + 1);
}
