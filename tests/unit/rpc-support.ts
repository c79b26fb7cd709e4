// The RPC server built for the host (make -C firmware/host rpc), for the
// rpc-* tests: cached per source state of runtime, host and rpc sources.
// The runtime objects come from the host-runtime build of the same runtime
// (copied with their timestamps, so make only compiles the RPC files).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { BoardClient, type BoardClientOptions } from '../../src/core/rpc/client.ts';
import type { Transport } from '../../src/core/transport/transport.ts';
import { spawnTransport, type ProcessTransport } from '../../src/node/transport-process.ts';
import { hostBinaries } from '../support/host-runtime.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const firmware = join(repoRoot, 'firmware');
const cacheRoot = join(firmware, 'build', 'rpc-cache');

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) return sourceFiles(p);
      return /\.(c|h)$|^Makefile$/.test(name) ? [p] : [];
    });
}

function sourceHash(): string {
  const h = createHash('sha256');
  for (const dir of ['runtime', 'host', 'rpc']) {
    for (const f of sourceFiles(join(firmware, dir))) {
      h.update(relative(repoRoot, f));
      h.update('\0');
      h.update(readFileSync(f));
      h.update('\0');
    }
  }
  return h.digest('hex').slice(0, 16);
}

export interface RpcBinaries {
  server: string;
  serverSan: string;
  fuzz: string;
}

let cached: RpcBinaries | null = null;

export function rpcBinaries(): RpcBinaries {
  if (cached) return cached;
  const hash = sourceHash();
  const dir = join(cacheRoot, hash);
  if (!existsSync(join(dir, 'rpc-fuzz'))) {
    const runtime = hostBinaries().dir;
    mkdirSync(cacheRoot, { recursive: true });
    const tmp = mkdtempSync(join(cacheRoot, `${hash}.tmp-`));
    for (const sub of ['opt', 'san'])
      cpSync(join(runtime, sub), join(tmp, sub), { recursive: true, preserveTimestamps: true });
    const r = spawnSync('make', ['-C', join(firmware, 'host'), `OUT=${tmp}`, '-j2', 'rpc'], {
      encoding: 'utf8',
    });
    if (r.status !== 0) {
      rmSync(tmp, { recursive: true, force: true });
      throw new Error(`RPC server build failed:\n${r.stdout}\n${r.stderr}`);
    }
    try {
      renameSync(tmp, dir);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another worker got there first
    }
    // Older source states: nobody is using them.
    const hourAgo = Date.now() - 3600_000;
    for (const name of readdirSync(cacheRoot)) {
      const p = join(cacheRoot, name);
      if (name !== hash && statSync(p).mtimeMs < hourAgo)
        rmSync(p, { recursive: true, force: true });
    }
  }
  cached = {
    server: join(dir, 'rpc-server'),
    serverSan: join(dir, 'rpc-server-san'),
    fuzz: join(dir, 'rpc-fuzz'),
  };
  return cached;
}

export interface HostBoard {
  client: BoardClient;
  process: ProcessTransport;
  /** Closes the client and waits for the server to exit; returns its stderr. */
  stop(): Promise<string>;
}

/**
 * Starts the sanitized host server and a client on it. `wrap` may put a
 * transport (e.g. a lossy one) between them.
 */
export function startHostBoard(
  args: string[] = [],
  options: BoardClientOptions = {},
  wrap: (t: Transport) => Transport = (t) => t,
): HostBoard {
  const process = spawnTransport(rpcBinaries().serverSan, args);
  const client = new BoardClient(wrap(process), { firstSeq: 1, ...options });
  return {
    client,
    process,
    stop: async () => {
      await client.close();
      await process.exited;
      return process.stderr();
    },
  };
}
