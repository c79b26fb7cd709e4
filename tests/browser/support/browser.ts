// Launches the system Chromium (Debian's /usr/bin/chromium, installed by CI's
// apt step) through playwright-core, with the flags that keep it quiet and
// deterministic on a headless machine.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

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

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}: install it (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  return path;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_FLAGS });
}

export interface PageOptions {
  /**
   * Let the app's service worker install (default false: it would precache
   * the whole build, tfjs-tflite's WASM included, in every fresh page).
   */
  serviceWorker?: boolean;
}

/**
 * A fresh page whose console errors and uncaught exceptions are collected, so
 * a test can assert the app ran cleanly.
 */
export async function openPage(
  browser: Browser,
  url: string,
  options: PageOptions = {},
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({
    viewport: { width: 1360, height: 900 },
    serviceWorkers: options.serviceWorker ? 'allow' : 'block',
  });
  // Fail in seconds, not Playwright's default 30 s, when an expected state never comes.
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  return { page, errors };
}
