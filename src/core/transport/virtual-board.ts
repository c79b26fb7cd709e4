// The virtual board as a Transport: bytes written go to the emulated UART's
// receiver, bytes the firmware transmits come back through onData. The CPU
// runs in slices of a few milliseconds and yields between them, so the event
// loop (page, worker or Node) stays responsive; it stops running when the
// firmware waits for input (it polls an empty UART or sleeps with nothing
// but timers to wake it) and resumes when bytes arrive.
//
// A run that ends for good — a bad memory access, an undefined instruction,
// a lockup, a BKPT — closes the transport with a VirtualBoardFault naming
// the instruction and symbol, so a pending RPC request fails with that
// message at once instead of timing out.
//
// Plain TypeScript without Node or DOM imports: runs in Node, in a Web
// Worker and on a page.

import { BoardMachine, VIRTUAL_APOLLO4P, type BoardSpec } from '../../emulator/board.ts';
import type { CpuOptions, RunResult } from '../../emulator/cpu.ts';
import type { CpuFault } from '../../emulator/faults.ts';
import { CloseSignal, Listeners, type Transport } from './transport.ts';

export type VirtualBoardStop = 'fault' | 'lockup' | 'bkpt' | 'halted';

/** Why the virtual board stopped running (the transport's close reason). */
export class VirtualBoardFault extends Error {
  override readonly name = 'VirtualBoardFault';
  constructor(
    readonly stop: VirtualBoardStop,
    message: string,
    /** The CPU's report for faults and lockups. */
    readonly fault: CpuFault | null,
    /** Address of the instruction the core stopped at. */
    readonly pc: number,
  ) {
    super(message);
  }
}

export interface VirtualBoardOptions {
  spec?: BoardSpec;
  cpu?: CpuOptions;
  /** Wall-clock length of one slice before yielding to the event loop (ms, default 10). */
  sliceMs?: number;
  /** Called after every slice (progress displays, tests). */
  onSlice?: (result: RunResult) => void;
}

export interface VirtualBoardTransport extends Transport {
  readonly machine: BoardMachine;
  /** 'running', 'waiting' (for input) or 'stopped'. */
  readonly state: 'running' | 'waiting' | 'stopped';
  /** Resolves once the board waits for input or has stopped. */
  settled(): Promise<void>;
}

const hex = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');

/** Turns a final RunResult into the error the transport closes with. */
export function stopError(r: RunResult, m: BoardMachine): VirtualBoardFault {
  const pc = m.cpu.pc >>> 0;
  const where = (addr: number): string => {
    const s = m.cpu.symbols?.describe(addr);
    return s !== undefined ? `pc=${hex(addr)} (${s})` : `pc=${hex(addr)}`;
  };
  const f = r.fault;
  if ((r.reason === 'fault' || r.reason === 'lockup') && f) {
    const what =
      f.access === 'read' || f.access === 'write'
        ? `${f.kind} ${f.access} of ${f.size} byte(s) at ${hex(f.address)}${f.addressSymbol ? ` (${f.addressSymbol})` : ''}`
        : f.kind === 'noexec' || f.kind === 'unmapped' || f.kind === 'invstate'
          ? `${f.kind} instruction fetch at ${hex(f.address)}`
          : `${f.kind} fault`;
    const prefix = r.reason === 'lockup' ? 'virtual board locked up' : 'virtual board faulted';
    return new VirtualBoardFault(r.reason, `${prefix}: ${what} at ${where(f.pc)}`, f, f.pc);
  }
  if (r.reason === 'bkpt') {
    return new VirtualBoardFault(
      'bkpt',
      `virtual board stopped at BKPT #${r.bkpt ?? 0} at ${where(pc)}`,
      null,
      pc,
    );
  }
  if (r.reason === 'sleep') {
    const unread = m.uart.waiting;
    return new VirtualBoardFault(
      'halted',
      `virtual board is asleep with nothing to wake it (${unread} byte(s) unread) at ${where(pc)}`,
      null,
      pc,
    );
  }
  return new VirtualBoardFault(
    'halted',
    `virtual board stopped (${r.reason}) at ${where(pc)}`,
    null,
    pc,
  );
}

/** Runs `cb` soon, after pending I/O: setImmediate in Node, a MessageChannel in browsers. */
function makeScheduler(): { schedule(cb: () => void): void; dispose(): void } {
  const g = globalThis as { setImmediate?: (cb: () => void) => unknown };
  if (typeof g.setImmediate === 'function') {
    const si = g.setImmediate;
    return { schedule: (cb) => void si(cb), dispose: () => {} };
  }
  if (typeof MessageChannel === 'function') {
    // setTimeout(0) is clamped to 4 ms when nested; a message is not.
    const ch = new MessageChannel();
    const queue: (() => void)[] = [];
    ch.port1.onmessage = () => queue.shift()?.();
    return {
      schedule: (cb) => {
        queue.push(cb);
        ch.port2.postMessage(null);
      },
      dispose: () => {
        ch.port1.close();
        ch.port2.close();
      },
    };
  }
  return { schedule: (cb) => void setTimeout(cb, 0), dispose: () => {} };
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Boots the firmware image on a new virtual board and returns the byte link to it. */
export function virtualBoard(
  image: Uint8Array,
  options: VirtualBoardOptions = {},
): VirtualBoardTransport {
  const machine = new BoardMachine(options.spec ?? VIRTUAL_APOLLO4P, options.cpu);
  machine.load(image);
  const data = new Listeners<Uint8Array>();
  const closed = new CloseSignal();
  const scheduler = makeScheduler();
  const sliceMs = options.sliceMs ?? 10;
  let sliceCycles = 1_000_000;
  let state: 'running' | 'waiting' | 'stopped' = 'running';
  let scheduled = false;
  let settledWaiters: (() => void)[] = [];
  let stopReason: VirtualBoardFault | null = null;

  // A function, not an inline compare: listeners called from inside a slice may close the link.
  const stopped = (): boolean => state === 'stopped';

  const settle = (): void => {
    const w = settledWaiters;
    settledWaiters = [];
    for (const f of w) f();
  };

  const flushTx = (): void => {
    const out = machine.takeTx();
    if (out.length > 0) data.emit(out);
  };

  const stop = (err: VirtualBoardFault | null): void => {
    if (state === 'stopped') return;
    state = 'stopped';
    stopReason = err;
    scheduler.dispose();
    closed.fire(err);
    settle();
  };

  const kick = (): void => {
    if (state === 'stopped' || scheduled) return;
    state = 'running';
    scheduled = true;
    scheduler.schedule(slice);
  };

  function slice(): void {
    scheduled = false;
    if (state === 'stopped') return;
    const t0 = now();
    let ran = 0;
    let r: RunResult;
    for (;;) {
      r = machine.run(sliceCycles);
      ran += r.cycles;
      options.onSlice?.(r);
      if (r.reason === 'sysreset') {
        // AIRCR.SYSRESETREQ: the board resets and boots again (memory keeps its contents).
        machine.reset();
        continue;
      }
      const elapsed = now() - t0;
      if (r.reason !== 'limit' || elapsed >= sliceMs) {
        // Size the budget so one run takes about sliceMs of wall time.
        if (r.reason === 'limit' && elapsed > 0) {
          const target = (ran * sliceMs) / elapsed;
          sliceCycles = Math.max(10_000, Math.min(50_000_000, Math.round(target)));
        }
        break;
      }
    }
    flushTx();
    if (stopped()) return; // a listener closed the link
    const cpu = machine.cpu;
    const waitingForInput = machine.uart.waiting === 0;
    if (r.reason === 'limit' && !(cpu.sleeping && waitingForInput)) {
      kick();
    } else if (r.reason === 'sleep' && !waitingForInput) {
      // WFI with every interrupt that could wake it off, and the host has sent bytes: it never will.
      stop(stopError(r, machine));
    } else if (r.reason === 'idle' || r.reason === 'sleep' || r.reason === 'limit') {
      // Polling an empty receiver, or asleep with only timers to wake it: wait for bytes.
      if (waitingForInput) {
        state = 'waiting';
        settle();
      } else kick();
    } else stop(stopError(r, machine));
  }

  const transport: VirtualBoardTransport = {
    machine,
    get state() {
      return state;
    },
    write: async (bytes) => {
      if (state === 'stopped') {
        throw stopReason ?? new Error('virtual board transport is closed');
      }
      machine.receive(bytes);
      kick();
    },
    onData: (cb) => data.add(cb),
    onClose: (cb) => closed.onClose(cb),
    close: async () => stop(null),
    settled: () =>
      state === 'running'
        ? new Promise<void>((resolve) => settledWaiters.push(resolve))
        : Promise.resolve(),
  };
  kick();
  return transport;
}
