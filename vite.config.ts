import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { appAssetsPlugin } from './src/app/build/app-assets.ts';

export default defineConfig({
  root: 'src/app',
  // Static files (manifest, icons) live in src/app/public.
  publicDir: 'public',
  plugins: [
    // The root is src/app, so point the plugin at the repository's svelte.config.js.
    svelte({ configFile: resolve(import.meta.dirname, 'svelte.config.js') }),
    // tfjs-tflite, the firmware and the export kit copied into the build; the service worker.
    appAssetsPlugin({ serviceWorker: resolve(import.meta.dirname, 'src/app/sw.ts') }),
  ],
  build: { outDir: '../../dist', emptyOutDir: true, target: 'es2022' },
  worker: { format: 'es' },
  server: { port: 5173 },
  preview: { port: 5173 },
});
