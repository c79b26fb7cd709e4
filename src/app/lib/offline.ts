// Offline support: registers the service worker (sw.ts) that precaches the
// build, and reports whether one controls the page.
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  const url = new URL('sw.js', new URL(import.meta.env.BASE_URL, document.baseURI));
  navigator.serviceWorker.register(url.href).catch((e: unknown) => {
    // Offline use is lost, nothing else: say so without failing the page.
    console.warn(`TinyDeploy works online only: ${e instanceof Error ? e.message : String(e)}`);
  });
}

/** The precache version of the service worker in control, or null when none is. */
export async function offlineVersion(): Promise<string | null> {
  const controller = navigator.serviceWorker?.controller;
  if (!controller) return null;
  const channel = new MessageChannel();
  const answer = new Promise<string | null>((resolve) => {
    channel.port1.onmessage = (e: MessageEvent<string>) => resolve(e.data);
    setTimeout(() => resolve(null), 2000);
  });
  controller.postMessage('version', [channel.port2]);
  return answer;
}
