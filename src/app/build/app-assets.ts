// Build-time plugin for the app's non-module assets: what the browser needs
// besides the bundled code, copied from where it lives into the build, and a
// service worker that precaches all of it.
//
// - vendor/: tfjs-tflite's UMD bundles and WASM (they only work as classic
//   scripts, see docs/numerics.md), loaded by the reference worker;
// - firmware/<board>/: the prebuilt firmware the virtual board runs;
// - kit/<core>/: the export kit (objects and sources) the export zip is made of;
// - sw.js: the service worker, given the list of every file in the build
//   and a version derived from their contents.
//
// The dev server serves the same paths from the same sources.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import type { Plugin } from 'vite';

const repoRoot = resolve(import.meta.dirname, '../../..');
const require = createRequire(import.meta.url);
const pkgDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

/** Boards whose prebuilt firmware the app ships (the virtual board runs it). */
export const APP_FIRMWARE = ['virtual-apollo4p'] as const;
/** Cores whose export kit the app ships. */
export const APP_KITS = ['cortex-m4f'] as const;

/** Build path -> source file. */
export function appAssets(): Map<string, string> {
  const files = new Map<string, string>();
  const tfjs = (pkg: string, file: string): string => join(pkgDir(`@tensorflow/${pkg}`), file);
  files.set('vendor/tf-core.min.js', tfjs('tfjs-core', 'dist/tf-core.min.js'));
  files.set('vendor/tf-backend-cpu.min.js', tfjs('tfjs-backend-cpu', 'dist/tf-backend-cpu.min.js'));
  files.set('vendor/tf-tflite.min.js', tfjs('tfjs-tflite', 'dist/tf-tflite.min.js'));
  // Single-threaded builds only: threads need a cross-origin isolated page,
  // which a static host cannot promise; SIMD or not is picked at run time.
  for (const variant of ['cc', 'cc_simd']) {
    for (const ext of ['js', 'wasm']) {
      const name = `tflite_web_api_${variant}.${ext}`;
      files.set(`vendor/${name}`, tfjs('tfjs-tflite', `wasm/${name}`));
    }
  }
  for (const board of APP_FIRMWARE) {
    for (const name of ['firmware.elf', 'manifest.json']) {
      files.set(`firmware/${board}/${name}`, join(repoRoot, 'firmware-prebuilt', board, name));
    }
  }
  for (const core of APP_KITS) {
    const dir = join(repoRoot, 'firmware-prebuilt/lib', core);
    const manifestPath = join(dir, 'manifest.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      objects: { file: string }[];
      files: { path: string; source: string }[];
    };
    files.set(`kit/${core}/manifest.json`, manifestPath);
    for (const o of manifest.objects) files.set(`kit/${core}/${o.file}`, join(dir, o.file));
    for (const f of manifest.files) {
      files.set(`kit/${core}/files/${f.path}`, join(repoRoot, f.source));
    }
  }
  return files;
}

const MIME: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  wasm: 'application/wasm',
  json: 'application/json',
};

/** The global sw.ts reads its precache list and version from (set by the line the build adds). */
export const SW_GLOBAL = '__TD_PRECACHE__';

export interface AppAssetsOptions {
  /** Source of the service worker, emitted as sw.js at the root. */
  serviceWorker: string;
}

/** Files under `dir`, as paths relative to it with '/' separators. */
function listFiles(dir: string): string[] {
  if (!dir || !existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  walk(dir);
  return out;
}

export function appAssetsPlugin(options: AppAssetsOptions): Plugin {
  let assets = new Map<string, string>();
  let publicDir = '';
  return {
    name: 'tinydeploy-app-assets',
    enforce: 'post',
    configResolved(config) {
      assets = appAssets();
      publicDir = config.publicDir;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).slice(1);
        const file = assets.get(path);
        if (!file) return next();
        res.setHeader(
          'content-type',
          MIME[path.split('.').pop() ?? ''] ?? 'application/octet-stream',
        );
        res.end(readFileSync(file));
      });
    },
    buildStart() {
      if (this.environment.config.consumer !== 'client' || this.environment.config.isWorker) return;
      for (const [fileName, file] of assets) {
        if (!existsSync(file)) this.error(`app asset ${fileName}: ${file} does not exist`);
        this.emitFile({ type: 'asset', fileName, source: readFileSync(file) });
      }
      this.emitFile({ type: 'chunk', id: options.serviceWorker, fileName: 'sw.js' });
    },
    generateBundle(_out, bundle) {
      const sw = bundle['sw.js'];
      if (!sw || sw.type !== 'chunk') return;
      // Everything but the worker itself and source maps; index.html is the
      // app shell every navigation falls back to.
      // Public files (manifest, icons) are copied beside the bundle, not part of it.
      const fromPublic = listFiles(publicDir).filter((f) => !(f in bundle));
      const files = [...Object.keys(bundle), ...fromPublic]
        .filter((f) => f !== 'sw.js' && !f.endsWith('.map'))
        .sort();
      const hash = createHash('sha256');
      for (const f of files) {
        const item = bundle[f];
        const content = item
          ? item.type === 'chunk'
            ? item.code
            : item.source
          : readFileSync(join(publicDir, f));
        hash.update(f).update(content);
      }
      const version = hash.digest('hex').slice(0, 16);
      sw.code = `self.${SW_GLOBAL} = ${JSON.stringify({ version, files })};\n${sw.code}`;
    },
  };
}
