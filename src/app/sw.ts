// The service worker: makes the app work offline once it has loaded online.
// At install it caches every file of the build (the list and a version are
// written in by the build, see build/app-assets.ts): the app, its workers,
// tfjs-tflite and its WASM, the firmware and the export kit. Requests for
// those files are answered from the cache; a navigation gets index.html (a
// share link is index.html plus a fragment). Anything else goes to the
// network. A new build has a new version: it installs beside the old one and
// takes over once no page uses the old one; old caches are then deleted.
/// <reference lib="webworker" />

interface Precache {
  version: string;
  files: string[];
}

const sw = self as unknown as ServiceWorkerGlobalScope & { __TD_PRECACHE__?: Precache };
const PREFIX = 'tinydeploy-';

function manifest(): Precache {
  // Not built by the plugin (no list written in): nothing to cache.
  return sw.__TD_PRECACHE__ ?? { version: 'dev', files: [] };
}

const cacheName = (): string => `${PREFIX}${manifest().version}`;
/** Build paths are relative to the worker's own folder (the app's base). */
const scopeUrl = (path: string): string => new URL(path, sw.registration.scope).href;

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(cacheName());
      // Bypass the HTTP cache: the copy cached must be the one this version lists.
      await cache.addAll(
        manifest().files.map((f) => new Request(scopeUrl(f), { cache: 'reload' })),
      );
      // The first install may take the page at once; an update waits (see activate).
      if (!sw.registration.active) await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const keep = cacheName();
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== keep) await caches.delete(name);
      }
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  const navigation = request.mode === 'navigate';
  const key = navigation ? scopeUrl('index.html') : url.origin + url.pathname;
  event.respondWith(
    (async () => {
      const cache = await caches.open(cacheName());
      const hit = await cache.match(key);
      if (hit) return hit;
      return fetch(request);
    })(),
  );
});

// The page asks which version is in control (shown in the footer, used by tests).
sw.addEventListener('message', (event) => {
  if (event.data === 'version') event.ports[0]?.postMessage(manifest().version);
});

export {};
