// A byte link to a board: the emulator's UART, a TCP socket to QEMU, a
// serial port, WebSerial. The RPC client needs nothing more than this.

export interface Transport {
  /** Sends bytes; resolves once the link has taken them. */
  write(bytes: Uint8Array): Promise<void>;
  /** Receives every incoming chunk, in order. Returns an unsubscribe. */
  onData(cb: (bytes: Uint8Array) => void): () => void;
  /**
   * Called once when the link ends (peer closed, process exited, I/O error;
   * reason null for a local close()). Returns an unsubscribe.
   */
  onClose(cb: (reason: Error | null) => void): () => void;
  close(): Promise<void>;
}

/** Listener bookkeeping shared by the transports. */
export class Listeners<T> {
  private readonly set = new Set<(v: T) => void>();

  add(cb: (v: T) => void): () => void {
    this.set.add(cb);
    return () => this.set.delete(cb);
  }

  emit(v: T): void {
    for (const cb of [...this.set]) cb(v);
  }
}

/** Close notification that fires once, for listeners added before or after. */
export class CloseSignal {
  private readonly listeners = new Listeners<Error | null>();
  private reason: Error | null | undefined = undefined;

  get closed(): boolean {
    return this.reason !== undefined;
  }

  onClose(cb: (reason: Error | null) => void): () => void {
    if (this.reason !== undefined) {
      const r = this.reason;
      queueMicrotask(() => cb(r));
      return () => {};
    }
    return this.listeners.add(cb);
  }

  fire(reason: Error | null): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.listeners.emit(reason);
  }
}
