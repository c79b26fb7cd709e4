// The app as an installed PWA: loaded once online, its service worker takes
// the page and precaches the build; with the network gone, a reload still
// opens the app, and the whole flow runs on an example to a verdict (the
// workers, tfjs-tflite's WASM and the firmware all come from the cache).
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openExample } from './support/app-page.ts';
import { CHROMIUM_FLAGS, chromiumPath } from './support/browser.ts';
import { runAndWait } from './support/flow-page.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
});

afterAll(async () => {
  await browser?.close();
});

describe('offline', () => {
  it(
    'installs, then runs the flow to a verdict with the network off',
    { timeout: 180_000 },
    async () => {
      const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
      const page = await ctx.newPage();
      page.setDefaultTimeout(30_000);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()}`);
      });
      const url = inject('appUrl');
      await page.goto(url);

      // The manifest the browser installs from.
      const manifestHref = await page.getAttribute('link[rel="manifest"]', 'href');
      const manifest = (await (
        await page.request.get(new URL(manifestHref!, url).href)
      ).json()) as {
        name: string;
        icons: { src: string; sizes: string; type: string }[];
        display: string;
      };
      expect(manifest.display).toBe('standalone');
      expect(manifest.icons.map((i) => i.sizes)).toEqual(
        expect.arrayContaining(['192x192', '512x512']),
      );
      for (const icon of manifest.icons) {
        const res = await page.request.get(new URL(icon.src, url).href);
        expect(res.ok()).toBe(true);
        expect(res.headers()['content-type']).toBe(icon.type);
      }

      // Installed: the worker has precached everything and controls the page.
      await page.evaluate(() => navigator.serviceWorker.ready);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      const cached = await page.evaluate(async () => {
        const names = await caches.keys();
        const cache = await caches.open(names.find((n) => n.startsWith('tinydeploy-'))!);
        return (await cache.keys()).map((r) => new URL(r.url).pathname);
      });
      for (const file of [
        '/index.html',
        '/vendor/tf-tflite.min.js',
        '/vendor/tflite_web_api_cc_simd.wasm',
        '/firmware/virtual-apollo4p/firmware.elf',
        '/kit/cortex-m4f/manifest.json',
      ]) {
        expect(cached).toContain(file);
      }
      expect(cached.some((p) => /\/assets\/flow\.worker-.*\.js$/.test(p))).toBe(true);
      expect(cached.some((p) => /\/assets\/reference\.worker-.*\.js$/.test(p))).toBe(true);

      // Network off, reload: the app comes from the cache and runs.
      await ctx.setOffline(true);
      await page.reload();
      expect(await page.evaluate(() => navigator.onLine)).toBe(false);
      await openExample(page, 'cnn-int8');
      await runAndWait(page);
      expect(await page.getAttribute('[data-testid="results"]', 'data-status')).toBe('pass');
      expect(errors).toEqual([]);
      await ctx.close();
    },
  );
});
