// Fast stand-ins for the flow tests: the host RPC server as the board, and a
// "reference" that runs whatever model it is given on a second host server
// (same runtime, so bit-identical unless a test tampers with the model it
// sees). The real TFLite reference is exercised in flow-chromium and cli-run.
import { analyzeModel } from '../../src/core/analysis/analyze.ts';
import { boardIo, runOnBoard } from '../../src/core/flow/board-io.ts';
import type { FlowBoard, FlowDeps, Reference } from '../../src/core/flow/types.ts';
import { buildPackage } from '../../src/core/package/build-package.ts';
import { BoardClient, type BoardClientOptions } from '../../src/core/rpc/client.ts';
import type { Transport } from '../../src/core/transport/transport.ts';
import type { Model } from '../../src/core/tflite/model.ts';
import { readModel } from '../../src/core/tflite/read.ts';
import type { TensorData } from '../../src/core/validate/tensor-data.ts';
import { spawnTransport } from '../../src/node/transport-process.ts';
import { rpcBinaries } from './rpc-support.ts';

export interface HostBoard {
  client: BoardClient;
  stop(): Promise<void>;
}

/** The host RPC server (optimised build) as a board. */
export function hostBoard(
  args: string[] = [],
  options: BoardClientOptions = {},
  wrap: (t: Transport) => Transport = (t) => t,
): HostBoard {
  const proc = spawnTransport(rpcBinaries().server, args);
  const client = new BoardClient(wrap(proc), { firstSeq: 1, ...options });
  return {
    client,
    stop: async () => {
      await client.close().catch(() => {});
      await proc.close().catch(() => {});
      await proc.exited;
    },
  };
}

/**
 * A reference that packages the model it is given and runs it on its own
 * host server. `tamper` edits the model first (to force a mismatch).
 */
export function hostReference(tamper?: (m: Model) => void): Reference & { stop(): Promise<void> } {
  const board = hostBoard();
  return {
    async run(bytes: Uint8Array, sets: TensorData[][]): Promise<TensorData[][]> {
      const read = readModel(bytes);
      if (!read.ok) throw read.error;
      const model = read.value;
      tamper?.(model);
      const built = buildPackage(model, analyzeModel(model, bytes.length).memory);
      if (!built.ok) throw built.error;
      await board.client.loadPackage(built.value.bytes);
      return runOnBoard(
        board.client,
        boardIo(model, built.value),
        sets,
        () => {},
        undefined,
        () => {},
      );
    },
    stop: () => board.stop(),
  };
}

/** Adds `delta` to the first int32 of the constant tensor named `name` (a bias). */
export function bumpBias(name: string, delta: number): (m: Model) => void {
  return (m) => {
    const sg = m.subgraphs[0];
    const t = sg?.tensors.find((x) => x.name === name);
    const buf = t ? m.buffers[t.buffer] : undefined;
    if (!t || !buf || buf.data.length < 4) return;
    const data = buf.data.slice();
    const dv = new DataView(data.buffer);
    dv.setInt32(0, dv.getInt32(0, true) + delta, true);
    buf.data = data;
  };
}

/** A FlowBoard whose methods can be overridden one by one. */
export function patchBoard(board: FlowBoard, patch: Partial<FlowBoard>): FlowBoard {
  return {
    info: patch.info ?? (() => board.info()),
    kernels: patch.kernels ?? (() => board.kernels()),
    loadPackage: patch.loadPackage ?? ((p, cb) => board.loadPackage(p, cb)),
    setInput: patch.setInput ?? ((i, b) => board.setInput(i, b)),
    invoke: patch.invoke ?? ((o) => board.invoke(o)),
    getOutput: patch.getOutput ?? ((i) => board.getOutput(i)),
    getTensor: patch.getTensor ?? ((i) => board.getTensor(i)),
    getProfile: patch.getProfile ?? (() => board.getProfile()),
    reset: patch.reset ?? ((h) => board.reset(h)),
  };
}

/** Deps for runFlow with a fixed clock-free timestamp (reports compare equal across runs). */
export function flowDeps(board: FlowBoard, reference: Reference): FlowDeps {
  return {
    board,
    reference,
    toolVersion: 'tinydeploy test',
    timestamp: () => new Date('2025-01-01T00:00:00Z'),
  };
}

/**
 * A transport that stops passing the board's answers once `after(bytesSent)`
 * says so: the board "stops answering" mid-run.
 */
export function goesSilent(after: (sentBytes: number) => boolean): (t: Transport) => Transport {
  return (t) => {
    let sent = 0;
    let silent = false;
    return {
      write: (b) => {
        sent += b.length;
        if (after(sent)) silent = true;
        return t.write(b);
      },
      onData: (cb) => t.onData((b) => (silent ? undefined : cb(b))),
      onClose: (cb) => t.onClose(cb),
      close: () => t.close(),
    };
  };
}
