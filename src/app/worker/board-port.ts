// The virtual board across a message port: the emulator runs in a worker
// (board.worker.ts) so the page never waits on it, and the page gets a
// Transport like any other board. Both halves are here so the protocol
// lives in one place; the test runs them over a MessageChannel.
//
// Page → worker: start (firmware image), write (bytes), close.
// Worker → page: data (bytes), state ('running' | 'waiting'), closed (null, or
// the VirtualBoardFault as plain data: the page rebuilds the same error, so
// an RPC request fails with the same message as in Node).

import {
  VirtualBoardFault,
  virtualBoard,
  type VirtualBoardStop,
  type VirtualBoardTransport,
} from '../../core/transport/virtual-board.ts';
import { CloseSignal, Listeners, type Transport } from '../../core/transport/transport.ts';
import type { CpuFault } from '../../emulator/faults.ts';

/** What both ends of a MessagePort (or a Worker and its global scope) offer. */
export interface PortLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent) => void) | null;
}

type ToWorker =
  | { type: 'start'; image: ArrayBuffer; sliceMs?: number }
  | { type: 'write'; bytes: ArrayBuffer }
  | { type: 'close' };

interface FaultData {
  stop: VirtualBoardStop;
  message: string;
  fault: CpuFault | null;
  pc: number;
}

type ToPage =
  | { type: 'data'; bytes: ArrayBuffer }
  | { type: 'state'; state: 'running' | 'waiting' }
  | { type: 'closed'; error: FaultData | { message: string } | null };

const copy = (b: Uint8Array): ArrayBuffer => b.slice().buffer as ArrayBuffer;

/** Worker side: runs one virtual board for whoever is on the other end of `port`. */
export function serveVirtualBoard(port: PortLike): void {
  let board: VirtualBoardTransport | null = null;
  const send = (m: ToPage, transfer: Transferable[] = []): void => port.postMessage(m, transfer);
  // Tells the page when the firmware has gone back to waiting for input.
  const reportWhenWaiting = (b: VirtualBoardTransport): void => {
    void b.settled().then(() => {
      if (b.state === 'waiting') send({ type: 'state', state: 'waiting' });
    });
  };
  const start = (image: ArrayBuffer, sliceMs?: number): void => {
    let b: VirtualBoardTransport;
    try {
      b = virtualBoard(new Uint8Array(image), sliceMs ? { sliceMs } : {});
    } catch (e) {
      // Not an ELF for this board, say: nothing to run.
      send({ type: 'closed', error: { message: e instanceof Error ? e.message : String(e) } });
      return;
    }
    board = b;
    b.onData((bytes) => {
      const buf = copy(bytes);
      send({ type: 'data', bytes: buf }, [buf]);
    });
    b.onClose((reason) => {
      const error =
        reason instanceof VirtualBoardFault
          ? { stop: reason.stop, message: reason.message, fault: reason.fault, pc: reason.pc }
          : reason
            ? { message: reason.message }
            : null;
      send({ type: 'closed', error });
    });
    reportWhenWaiting(b);
  };
  port.onmessage = (ev: MessageEvent) => {
    const m = ev.data as ToWorker;
    if (m.type === 'start') {
      if (board === null) start(m.image, m.sliceMs);
    } else if (m.type === 'write') {
      const b = board;
      if (b === null) return;
      b.write(new Uint8Array(m.bytes)).then(
        () => {
          send({ type: 'state', state: 'running' });
          reportWhenWaiting(b);
        },
        () => {}, // a stopped board has sent 'closed' already
      );
    } else if (m.type === 'close') {
      void board?.close();
    }
  };
}

export interface PortBoard extends Transport {
  /** 'running' or 'waiting' as last reported by the worker; 'stopped' once closed. */
  readonly state: 'running' | 'waiting' | 'stopped';
}

/** Page side: starts the firmware image on the board behind `port` and returns the byte link. */
export function connectVirtualBoard(
  port: PortLike,
  image: Uint8Array,
  options: { sliceMs?: number } = {},
): PortBoard {
  const data = new Listeners<Uint8Array>();
  const closed = new CloseSignal();
  let state: PortBoard['state'] = 'running';
  let failure: Error | null = null;
  port.onmessage = (ev: MessageEvent) => {
    const m = ev.data as ToPage;
    if (m.type === 'data') data.emit(new Uint8Array(m.bytes));
    else if (m.type === 'state') {
      if (state !== 'stopped') state = m.state;
    } else if (m.type === 'closed') {
      state = 'stopped';
      const e = m.error;
      failure =
        e === null
          ? null
          : 'stop' in e
            ? new VirtualBoardFault(e.stop, e.message, e.fault, e.pc)
            : new Error(e.message);
      closed.fire(failure);
    }
  };
  const image2 = copy(image);
  const start: ToWorker = {
    type: 'start',
    image: image2,
    ...(options.sliceMs ? { sliceMs: options.sliceMs } : {}),
  };
  port.postMessage(start, [image2]);
  return {
    get state() {
      return state;
    },
    write: async (bytes) => {
      if (state === 'stopped') throw failure ?? new Error('virtual board transport is closed');
      const buf = copy(bytes);
      port.postMessage({ type: 'write', bytes: buf } satisfies ToWorker, [buf]);
    },
    onData: (cb) => data.add(cb),
    onClose: (cb) => closed.onClose(cb),
    close: async () => {
      if (state === 'stopped') return;
      port.postMessage({ type: 'close' } satisfies ToWorker);
      state = 'stopped';
      closed.fire(null);
    },
  };
}
