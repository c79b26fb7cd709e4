// Drops a file on the app as a user drags one from their desktop: a real
// `drop` event carrying a DataTransfer with the file.
import type { Page } from 'playwright-core';
import { waitForLoads, loadCount } from './app-page.ts';

export async function dropFile(
  page: Page,
  target: string,
  name: string,
  bytes: Uint8Array,
): Promise<void> {
  const before = await loadCount(page);
  const transfer = await page.evaluateHandle(
    ({ name, base64 }) => {
      const raw = atob(base64);
      const data = new Uint8Array(raw.length);
      for (let i = 0; i < raw.length; i++) data[i] = raw.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([data], name, { type: 'application/octet-stream' }));
      return dt;
    },
    { name, base64: Buffer.from(bytes).toString('base64') },
  );
  await page.dispatchEvent(target, 'dragenter', { dataTransfer: transfer });
  await page.dispatchEvent(target, 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent(target, 'drop', { dataTransfer: transfer });
  await transfer.dispose();
  await waitForLoads(page, before + 1);
}
