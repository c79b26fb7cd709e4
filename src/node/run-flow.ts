// The flow under Node: opens a board (QEMU, the virtual board, the host
// build of the RPC server, or a board on a serial port), starts the TFLite
// reference in headless Chromium unless one is handed in, runs runFlow,
// and renders the files a run leaves behind (report.json, profile.csv,
// summary.txt, report.html, the export zip).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildExport } from '../core/codegen/export.ts';
import { loadKit } from '../core/codegen/kit.ts';
import { DEFAULT_TOLERANCE } from '../core/codegen/test-vectors.ts';
import { BoardOpenError } from '../core/flow/failure.ts';
import { runFlow, type FlowExtras } from '../core/flow/run.ts';
import type {
  FlowBoard,
  FlowDeps,
  FlowOptions,
  FlowProgressCallback,
  FlowResult,
  Reference,
} from '../core/flow/types.ts';
import { runFiles } from '../core/report/files.ts';
import { BoardClient } from '../core/rpc/client.ts';
import type { Transport } from '../core/transport/transport.ts';
import { openBoard } from './boards.ts';
import { firmwareDir, prebuiltDir, readManifest, repoRoot } from './firmware-build.ts';
import { prebuiltElf } from './qemu.ts';
import { launchReference, type ReferenceSession } from './reference-chromium.ts';
import { spawnTransport } from './transport-process.ts';
import { openSerial } from './transport-serial.ts';

export const RUN_BOARDS = ['virtual-apollo4p', 'qemu-an386', 'host'] as const;
export type RunBoard = (typeof RUN_BOARDS)[number];

export const isRunBoard = (s: string): s is RunBoard =>
  (RUN_BOARDS as readonly string[]).includes(s);

/** A board already running the validator firmware, on a serial port. */
export interface SerialBoard {
  port: string;
  baudRate?: number;
}

/** The board id a run reports: the board's name, or `serial:PATH`. */
export const boardIdOf = (board: RunBoard | SerialBoard): string =>
  typeof board === 'string' ? board : `serial:${board.port}`;

/** A board ready for the flow: its client, what identifies its firmware, and a close(). */
export interface FlowBoardHandle {
  client: BoardClient;
  extras: FlowExtras & { firmwareImage?: Uint8Array; firmwareSourceId?: string };
  close(): Promise<void>;
}

export { BoardOpenError };

/**
 * The host RPC server binary: $TINYDEPLOY_HOST_SERVER, else built with make
 * into firmware/build/host-cli (needs a C compiler; incremental after the first run).
 */
export function hostServerPath(): string {
  const given = process.env.TINYDEPLOY_HOST_SERVER;
  if (given) {
    if (!existsSync(given))
      throw new BoardOpenError(`TINYDEPLOY_HOST_SERVER=${given} does not exist`);
    return given;
  }
  const out = join(firmwareDir, 'build', 'host-cli');
  const r = spawnSync('make', ['-C', join(firmwareDir, 'host'), `OUT=${out}`, '-j2', 'rpc'], {
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    throw new BoardOpenError(
      `building the host RPC server failed (make -C firmware/host rpc): ${r.error?.message ?? r.stderr.slice(-2000)}`,
    );
  }
  return join(out, 'rpc-server');
}

export interface OpenFlowBoardOptions {
  /** Host board: the rpc-server binary (default hostServerPath()). */
  hostServer?: string;
  /** Host board: extra rpc-server arguments. */
  hostArgs?: readonly string[];
  /** Wraps the board's transport (tests: tampering, a dead link). */
  wrap?: (t: Transport) => Transport;
  invokeTimeoutMs?: number;
}

function firmwareExtras(board: string): FlowBoardHandle['extras'] {
  const manifestPath = join(prebuiltDir, board, 'manifest.json');
  const extras: FlowBoardHandle['extras'] = {
    firmwareImage: new Uint8Array(readFileSync(prebuiltElf(board))),
  };
  if (existsSync(manifestPath)) {
    const m = readManifest(manifestPath);
    extras.firmwareSourceId = m.sourceId;
    extras.kernelCodeBytes = m.kernels;
  }
  return extras;
}

export async function openFlowBoard(
  board: RunBoard | SerialBoard,
  options: OpenFlowBoardOptions = {},
): Promise<FlowBoardHandle> {
  const wrap = options.wrap ?? ((t: Transport) => t);
  if (typeof board !== 'string') {
    let port;
    try {
      port = await openSerial({
        path: board.port,
        ...(board.baudRate !== undefined ? { baudRate: board.baudRate } : {}),
      });
    } catch (e) {
      throw new BoardOpenError(e instanceof Error ? e.message : String(e));
    }
    const client = new BoardClient(wrap(port), {
      invokeTimeoutMs: options.invokeTimeoutMs ?? 60_000,
    });
    return {
      client,
      extras: {},
      close: async () => {
        await client.close().catch(() => {});
        await port.close();
      },
    };
  }
  if (board === 'host') {
    const server = options.hostServer ?? hostServerPath();
    const proc = spawnTransport(server, ['--counters', 'clock', ...(options.hostArgs ?? [])]);
    const client = new BoardClient(wrap(proc), {
      invokeTimeoutMs: options.invokeTimeoutMs ?? 30_000,
    });
    return {
      client,
      extras: { firmwareImage: new Uint8Array(readFileSync(server)) },
      close: async () => {
        await client.close().catch(() => {});
        await proc.close().catch(() => {});
        await proc.exited;
      },
    };
  }
  let open;
  try {
    open = await openBoard(board);
  } catch (e) {
    throw new BoardOpenError(`${board}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const client = new BoardClient(wrap(open.transport), {
    // The emulators run a large model's inference for many seconds.
    invokeTimeoutMs: options.invokeTimeoutMs ?? 600_000,
  });
  return {
    client,
    extras: firmwareExtras(board),
    close: async () => {
      await client.close().catch(() => {});
      await open.close();
    },
  };
}

/** The reference of a Chromium session, as the flow wants it. */
export const chromiumReference = (session: ReferenceSession): Reference => ({
  run: (model, inputSets) => session.runReference(model, inputSets),
});

export interface NodeFlowOptions extends Omit<FlowOptions, 'boardId'> {
  board: RunBoard | SerialBoard;
  toolVersion: string;
  /** A running reference session to reuse (default: one started and closed here). */
  reference?: ReferenceSession;
  boardOptions?: OpenFlowBoardOptions;
  onProgress?: FlowProgressCallback;
  signal?: AbortSignal;
}

/**
 * A board opened on first use, so a model that cannot be packaged never
 * boots QEMU or the emulator. Opening failures surface as BoardOpenError
 * from the first request (stage 'load').
 */
function lazyBoard(open: () => Promise<FlowBoardHandle>): {
  board: FlowBoard;
  handle(): Promise<FlowBoardHandle> | null;
} {
  let opening: Promise<FlowBoardHandle> | null = null;
  const get = (): Promise<FlowBoardHandle> => (opening ??= open());
  const board: FlowBoard = {
    info: async () => (await get()).client.info(),
    kernels: async () => (await get()).client.kernels(),
    loadPackage: async (p, cb) => (await get()).client.loadPackage(p, cb),
    setInput: async (i, b) => (await get()).client.setInput(i, b),
    invoke: async (o) => (await get()).client.invoke(o),
    getOutput: async (i) => (await get()).client.getOutput(i),
    getTensor: async (i) => (await get()).client.getTensor(i),
    getProfile: async () => (await get()).client.getProfile(),
    reset: async (h) => (await get()).client.reset(h),
  };
  return { board, handle: () => opening };
}

/** The Chromium reference, started on first use and kept for the run. */
function lazyReference(): { reference: Reference; close(): Promise<void> } {
  let session: Promise<ReferenceSession> | null = null;
  return {
    reference: {
      async run(model, sets) {
        session ??= launchReference().catch((e: unknown) => {
          throw new Error(
            `headless Chromium did not start (set CHROMIUM_PATH?): ${e instanceof Error ? e.message : String(e)}`,
          );
        });
        return (await session).runReference(model, sets);
      },
    },
    async close() {
      const s = await session?.catch(() => null);
      await s?.close();
    },
  };
}

export async function runFlowNode(
  model: Uint8Array,
  options: NodeFlowOptions,
): Promise<FlowResult> {
  const { board, toolVersion, reference, boardOptions, onProgress, signal, ...flow } = options;
  const ref = reference ? null : lazyReference();
  const deps: FlowDeps = {
    board: null as unknown as FlowBoard,
    reference: reference
      ? chromiumReference(reference)
      : (ref as { reference: Reference }).reference,
    toolVersion,
  };
  const lazy = lazyBoard(async () => {
    let handle: FlowBoardHandle;
    try {
      handle = await openFlowBoard(board, boardOptions);
    } catch (e) {
      if (e instanceof BoardOpenError) throw e;
      throw new BoardOpenError(
        `cannot open board ${board}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    // What identifies the firmware is read at the report stage, after this.
    Object.assign(deps, handle.extras);
    return handle;
  });
  deps.board = lazy.board;
  // A request in flight (a long inference) would only notice cancellation
  // when it ends: closing the link ends it now.
  const hangUp = (): void => {
    void lazy
      .handle()
      ?.then((h) => h.client.close())
      .catch(() => {});
  };
  signal?.addEventListener('abort', hangUp, { once: true });
  try {
    return await runFlow(deps, model, { ...flow, boardId: boardIdOf(board) }, onProgress, signal);
  } finally {
    signal?.removeEventListener('abort', hangUp);
    // A board still booting when the run was cancelled is not waited for.
    const opening = lazy.handle()?.catch(() => null) ?? null;
    const h = signal?.aborted
      ? await Promise.race([opening, new Promise<null>((ok) => setTimeout(() => ok(null), 2000))])
      : await opening;
    await h?.close();
    await ref?.close();
  }
}

/** The files a run leaves behind: report files when it reached a report, plus the export zip. */
export async function runOutputFiles(
  result: FlowResult,
  model: Uint8Array,
  modelName: string,
  board: string,
): Promise<{ files: Record<string, string | Uint8Array>; notes: string[] }> {
  const a = result.artifacts;
  const files: Record<string, string | Uint8Array> = {};
  const notes: string[] = [];
  const reports = a.profile && a.report ? runFiles(a.profile, a.report) : null;
  if (reports) Object.assign(files, reports);
  if (!a.analysis || !a.package) return { files, notes };
  const kitDir = join(prebuiltDir, 'lib', 'cortex-m4f');
  if (!existsSync(join(kitDir, 'manifest.json'))) {
    notes.push('no export kit in firmware-prebuilt/lib/cortex-m4f: export zip skipped');
    return { files, notes };
  }
  const kit = await loadKit(
    async (p, source) =>
      new Uint8Array(await readFile(source ? join(repoRoot, source) : join(kitDir, p))),
  );
  const boards = kit.manifest.boards.map((b) => b.name);
  const target = boards.includes(board) ? board : 'virtual-apollo4p';
  if (target !== board)
    notes.push(`the export kit has no board support for ${board}; the example targets ${target}`);
  const samples = Math.min(a.inputs?.sets.length ?? 0, 4);
  const name = modelName.replace(/\.tflite$/i, '');
  const built = buildExport({
    name,
    model,
    analysis: a.analysis,
    package: a.package.bytes,
    board: target,
    kit,
    vectors:
      a.inputs && a.expected && samples > 0
        ? {
            inputs: a.inputs.sets.slice(0, samples),
            outputs: a.expected.slice(0, samples),
            source: 'TFLite reference (tfjs-tflite), as validated by TinyDeploy',
            tolerance: DEFAULT_TOLERANCE,
          }
        : null,
    reports: reports ? Object.entries(reports).map(([n, data]) => ({ name: n, data })) : [],
  });
  if (!built.ok) notes.push(`export zip skipped: ${built.error.code}: ${built.error.message}`);
  else files[`${built.value.folder}.zip`] = built.value.zip;
  return { files, notes };
}
