// Worker entry for the flow: the board (the virtual board's emulator, or the
// RPC client of a real board whose serial link the page pipes in), runFlow,
// and the export zip. The reference (tfjs-tflite) runs in its own worker,
// reached over a MessagePort, so the emulator and TFLite use two cores.
import * as Comlink from 'comlink';
import { loadKit, type ExportKit } from '../../core/codegen/kit.ts';
import { buildExport } from '../../core/codegen/export.ts';
import { DEFAULT_TOLERANCE } from '../../core/codegen/test-vectors.ts';
import { runFlow } from '../../core/flow/run.ts';
import type { FlowResult, Reference } from '../../core/flow/types.ts';
import { prepareReferenceModel } from '../../core/reference/normalize.ts';
import { runFiles } from '../../core/report/files.ts';
import { BoardClient } from '../../core/rpc/client.ts';
import type { Transport } from '../../core/transport/transport.ts';
import { virtualBoard } from '../../core/transport/virtual-board.ts';
import { portTransport } from '../transport/port.ts';
import { decodeUserInputs } from './decode-inputs.ts';
import type {
  ExportOutcome,
  FlowWorkerApi,
  FlowWorkerConfig,
  RunOutcome,
  RunRequest,
} from './flow-protocol.ts';
import type { ReferenceWorkerApi } from './reference.worker.ts';
import { outcomeOf } from './outcome.ts';

interface Firmware {
  image: Uint8Array;
  sourceId: string | undefined;
  kernelCodeBytes: Record<string, number>;
}

let config: FlowWorkerConfig | null = null;
let reference: Comlink.Remote<ReferenceWorkerApi> | null = null;
const firmwareCache = new Map<string, Promise<Firmware>>();
let kitCache: Promise<ExportKit> | null = null;
interface CurrentRun {
  controller: AbortController;
  transport: Transport | null;
  /** An exception nobody caught while the run was in flight (an emulator bug). */
  crash: Error | null;
}
let current: CurrentRun | null = null;
let last: { request: Omit<RunRequest, 'model'>; model: Uint8Array; result: FlowResult } | null =
  null;

function configured(): FlowWorkerConfig {
  if (!config) throw new Error('the flow worker was not configured');
  return config;
}

const base = (): string => configured().baseUrl;

async function fetchBytes(path: string): Promise<Uint8Array> {
  const res = await fetch(new URL(path, base()));
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

function firmware(board: string): Promise<Firmware> {
  let f = firmwareCache.get(board);
  if (!f) {
    f = (async () => {
      const [image, manifest] = await Promise.all([
        fetchBytes(`firmware/${board}/firmware.elf`),
        fetchBytes(`firmware/${board}/manifest.json`),
      ]);
      const m = JSON.parse(new TextDecoder().decode(manifest)) as {
        sourceId?: string;
        kernels?: Record<string, number>;
      };
      return { image, sourceId: m.sourceId, kernelCodeBytes: m.kernels ?? {} };
    })();
    // A failed fetch is not remembered: the next run tries again.
    f.catch(() => firmwareCache.delete(board));
    firmwareCache.set(board, f);
  }
  return f;
}

const referenceDeps: Reference = {
  async run(modelBytes, inputSets) {
    if (!reference) throw new Error('the reference worker is not connected');
    await reference.init(new URL('vendor/', base()).href);
    const prepared = prepareReferenceModel(modelBytes);
    const result = await reference.run({
      model: prepared.bytes,
      inputSets,
      extraInputs: prepared.extraInputs,
    });
    if (!result.ok) throw new Error(result.error);
    return result.outputSets;
  },
};

const now = (): number => performance.now();

const api: FlowWorkerApi = {
  configure(c, referencePort) {
    config = c;
    reference = Comlink.wrap<ReferenceWorkerApi>(referencePort);
  },

  async run(request, onProgress, link) {
    const t0 = now();
    if (current) throw new Error('a run is already in progress');
    const controller = new AbortController();
    const run: CurrentRun = { controller, transport: null, crash: null };
    current = run;
    const model = new Uint8Array(request.model);
    const rest: Omit<RunRequest, 'model'> = {
      modelName: request.modelName,
      boardId: request.boardId,
      board: request.board,
      seed: request.seed,
      inputSets: request.inputSets,
      inputs: [],
    };
    let client: BoardClient | null = null;
    try {
      const userInputs = await decodeUserInputs(model, request.inputs);
      if (!userInputs.ok) {
        return failedBeforeStart(userInputs.error.message, now() - t0);
      }
      let fw: Firmware | null = null;
      if (request.board === 'virtual') {
        fw = await firmware(request.boardId);
        run.transport = virtualBoard(fw.image);
      } else {
        if (!link) throw new Error('no serial link was handed to the worker');
        run.transport = portTransport(link);
      }
      client = new BoardClient(run.transport, {
        // The emulator runs a large model's inference for tens of seconds.
        invokeTimeoutMs: request.board === 'virtual' ? 600_000 : 60_000,
      });
      // A real board names itself (INFO); a board that does not answer fails in the load stage.
      let boardId = request.boardId;
      if (request.board === 'webserial') {
        boardId = (await client.info().catch(() => null))?.name || request.boardId;
        rest.boardId = boardId;
      }
      const result = await runFlow(
        {
          board: client,
          reference: referenceDeps,
          toolVersion: configured().toolVersion,
          ...(fw ? { firmwareImage: fw.image, kernelCodeBytes: fw.kernelCodeBytes } : {}),
          ...(fw?.sourceId ? { firmwareSourceId: fw.sourceId } : {}),
        },
        model,
        {
          boardId,
          // A board on a serial port is silicon: its counters are measured.
          ...(request.board === 'webserial' ? { figures: 'measured' as const } : {}),
          modelName: request.modelName,
          seed: request.seed,
          inputSets: request.inputSets,
          ...(Object.keys(userInputs.value).length > 0 ? { userInputs: userInputs.value } : {}),
        },
        (p) => onProgress(p),
        controller.signal,
      );
      last = { request: rest, model, result };
      return outcomeOf(result, controller.signal.aborted, now() - t0, run.crash);
    } finally {
      current = null;
      await client?.close().catch(() => {});
      await run.transport?.close().catch(() => {});
    }
  },

  cancel() {
    if (!current) return;
    current.controller.abort();
    // An inference in flight would finish first: end the link so it stops now.
    void current.transport?.close();
  },

  async exportZip(): Promise<ExportOutcome> {
    const run = last;
    if (!run) return { ok: false, message: 'no finished run to export' };
    const a = run.result.artifacts;
    if (!a.analysis || !a.package) {
      return { ok: false, message: 'the run stopped before the model was packaged' };
    }
    kitCache ??= loadKit((path) => fetchBytes(`kit/cortex-m4f/${path}`));
    let kit: ExportKit;
    try {
      kit = await kitCache;
    } catch (e) {
      kitCache = null;
      return { ok: false, message: `the export kit could not be loaded: ${String(e)}` };
    }
    const boards = kit.manifest.boards.map((b) => b.name);
    const board = boards.includes(run.request.boardId) ? run.request.boardId : 'virtual-apollo4p';
    const note =
      board === run.request.boardId
        ? null
        : `the export kit has no board support for ${run.request.boardId}; the example targets ${board}`;
    // Test vectors: the run's inputs and the reference's outputs, at most a few samples.
    const samples = Math.min(a.inputs?.sets.length ?? 0, 2);
    const vectors =
      a.inputs && a.expected && samples > 0
        ? {
            inputs: a.inputs.sets.slice(0, samples),
            outputs: a.expected.slice(0, samples),
            source: 'TFLite reference (tfjs-tflite), as validated by TinyDeploy',
            tolerance: DEFAULT_TOLERANCE,
          }
        : null;
    const reports =
      a.profile && a.report
        ? Object.entries(runFiles(a.profile, a.report)).map(([name, data]) => ({ name, data }))
        : [];
    const name = run.request.modelName.replace(/\.tflite$/i, '');
    const built = buildExport({
      name,
      model: run.model,
      analysis: a.analysis,
      package: a.package.bytes,
      board,
      kit,
      vectors,
      reports,
    });
    if (!built.ok) return { ok: false, message: `${built.error.code}: ${built.error.message}` };
    const zip = built.value.zip;
    return Comlink.transfer(
      { ok: true as const, zip, fileName: `${built.value.folder}.zip`, note },
      [zip.buffer],
    );
  },
};

// An exception thrown where no promise catches it (inside an emulator slice)
// would leave the run waiting for a board that is gone: end the link instead,
// so the stage fails now, and say what happened.
self.addEventListener('error', (event: ErrorEvent) => {
  const run = current;
  if (!run || run.crash) return;
  event.preventDefault();
  run.crash = event.error instanceof Error ? event.error : new Error(event.message);
  void run.transport?.close();
});

function failedBeforeStart(message: string, totalMs: number): RunOutcome {
  return {
    ok: false,
    report: null,
    failure: { stage: 'validate', code: 'BAD_INPUT', message },
    outputs: [],
    timings: {},
    warnings: [],
    totalMs,
    exportable: false,
  };
}

Comlink.expose(api);
