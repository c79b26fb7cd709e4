// A loopback HTTP server for the reference page: serves the page, the
// tfjs-tflite UMD bundles and WASM from node_modules, the page's TypeScript
// (transpiled on the fly, cached), and holds job/result frames in memory.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import ts from 'typescript';

const repoRoot = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const pkgDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

const VENDOR: Record<string, string> = {
  'tf-core.min.js': join(pkgDir('@tensorflow/tfjs-core'), 'dist/tf-core.min.js'),
  'tf-backend-cpu.min.js': join(
    pkgDir('@tensorflow/tfjs-backend-cpu'),
    'dist/tf-backend-cpu.min.js',
  ),
  'tf-tflite.min.js': join(pkgDir('@tensorflow/tfjs-tflite'), 'dist/tf-tflite.min.js'),
};
const WASM_DIR = join(pkgDir('@tensorflow/tfjs-tflite'), 'wasm');
// Only these source folders are served to the page.
const SOURCE_ROOTS = ['src/reference-page/', 'src/core/reference/', 'src/core/validate/'];

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.ts': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
};

export interface ReferenceServer {
  url: string;
  /** Parks a job for the page to fetch at /jobs/<id>. */
  putJob(id: string, frame: Uint8Array): void;
  /** Takes (and forgets) the result the page posted for <id>. */
  takeResult(id: string): Uint8Array | undefined;
  close(): Promise<void>;
}

const transpiled = new Map<string, string>();

async function transpile(file: string): Promise<string> {
  const cached = transpiled.get(file);
  if (cached !== undefined) return cached;
  const out = ts.transpileModule(await readFile(file, 'utf8'), {
    fileName: file,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
    },
  }).outputText;
  transpiled.set(file, out);
  return out;
}

function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => ok(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', fail);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

export async function startReferenceServer(): Promise<ReferenceServer> {
  const jobs = new Map<string, Uint8Array>();
  const results = new Map<string, Uint8Array>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (req.method === 'POST' && path.startsWith('/results/')) {
      results.set(path.slice('/results/'.length), await readBody(req));
      return send(res, 204, 'text/plain', '');
    }
    if (path.startsWith('/jobs/')) {
      const id = path.slice('/jobs/'.length);
      const job = jobs.get(id);
      jobs.delete(id);
      return job
        ? send(res, 200, 'application/octet-stream', job)
        : send(res, 404, 'text/plain', 'no job');
    }
    if (path === '/favicon.ico') return send(res, 204, 'text/plain', '');
    if (path === '/' || path === '/index.html') {
      const html = await readFile(join(repoRoot, 'src/reference-page/index.html'));
      return send(res, 200, MIME['.html'] as string, html);
    }
    if (path.startsWith('/vendor/')) {
      // The bundles and the WASM modules share one folder: tf-tflite also
      // looks for its modules next to its own script before setWasmPath.
      const name = path.slice('/vendor/'.length);
      const bundle = VENDOR[name];
      if (bundle) return send(res, 200, MIME['.js'] as string, await readFile(bundle));
      if (/^tflite_web_api_[\w.]+$/.test(name)) {
        const type = MIME[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream';
        return send(res, 200, type, await readFile(join(WASM_DIR, name)));
      }
    }
    const rel = normalize(path.slice(1));
    if (
      rel.endsWith('.ts') &&
      SOURCE_ROOTS.some((r) => rel.startsWith(r)) &&
      !rel.includes(`..${sep}`)
    ) {
      return send(res, 200, MIME['.ts'] as string, await transpile(join(repoRoot, rel)));
    }
    send(res, 404, 'text/plain', 'not found');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => send(res, 500, 'text/plain', String(e)));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    putJob: (id, frame) => jobs.set(id, frame),
    takeResult: (id) => {
      const r = results.get(id);
      results.delete(id);
      return r;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
