// The request/response engine under BoardClient: one request in flight,
// a per-request timeout, and retries that resend the same bytes with the
// same sequence number (the server answers a repeat from its cache instead
// of executing it again, so a retried chunk or INVOKE runs once).
import type { Transport } from '../transport/transport.ts';
import { RpcError } from './errors.ts';
import { encodeFrame, FrameReader, type Frame } from './frame.ts';
import { FLAG_REPLAY, MsgType, RESPONSE_BIT } from './wire.ts';

export interface ChannelOptions {
  /** Per-attempt timeout (ms). */
  timeoutMs?: number;
  /** Attempts after the first, on timeout or a damaged answer. */
  retries?: number;
  /** First sequence number (default random, so a new client does not collide with a board's cached answer). */
  firstSeq?: number;
}

export interface RequestOptions {
  /** Names the request in errors, e.g. "LOAD_PACKAGE chunk 12/40". */
  label: string;
  timeoutMs?: number;
}

export interface ChannelStats {
  requests: number;
  /** Resends after a timeout. */
  timeouts: number;
  /** Resends after a damaged frame or a NAK. */
  damaged: number;
  /** Answers the board flagged as replayed from its cache. */
  replays: number;
  /** Well-formed frames that answered nothing in flight (late duplicates). */
  stale: number;
}

interface InFlight {
  type: number;
  seq: number;
  wire: Uint8Array;
  label: string;
  timeoutMs: number;
  attempts: number;
  timer: ReturnType<typeof setTimeout> | null;
  resolve(f: Frame): void;
  reject(e: RpcError): void;
}

export class RpcChannel {
  readonly stats: ChannelStats = { requests: 0, timeouts: 0, damaged: 0, replays: 0, stale: 0 };
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private seq: number;
  private current: InFlight | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closedReason: string | null = null;
  /** What closed the link (the transport's reason), kept as the CLOSED errors' cause. */
  private closedCause: Error | null = null;
  private readonly unsubscribe: (() => void)[];

  constructor(
    private readonly transport: Transport,
    options: ChannelOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.attempts = 1 + (options.retries ?? 3);
    this.seq = (options.firstSeq ?? Math.floor(Math.random() * 0x10000)) & 0xffff;
    const reader = new FrameReader({
      frame: (f) => this.onFrame(f),
      damaged: () => this.onDamaged(),
    });
    this.unsubscribe = [
      transport.onData((b) => reader.push(b)),
      transport.onClose((reason) =>
        this.shutDown(
          reason ? `the link closed: ${reason.message}` : 'the link was closed',
          reason,
        ),
      ),
    ];
  }

  /**
   * Sends a request and resolves with the board's answer (whatever its
   * status). Requests queue: one is on the wire at a time.
   */
  request(type: number, payload: Uint8Array, options: RequestOptions): Promise<Frame> {
    const run = this.queue.then(() => this.send(type, payload, options));
    this.queue = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    this.shutDown('the client was closed');
    await this.transport.close();
  }

  private send(type: number, payload: Uint8Array, options: RequestOptions): Promise<Frame> {
    if (this.closedReason !== null) return Promise.reject(this.closedError(options.label));
    const seq = this.seq;
    this.seq = (this.seq + 1) & 0xffff;
    this.stats.requests++;
    return new Promise<Frame>((resolve, reject) => {
      this.current = {
        type,
        seq,
        wire: encodeFrame({ type, flags: 0, status: 0, seq, payload }),
        label: options.label,
        timeoutMs: options.timeoutMs ?? this.timeoutMs,
        attempts: 0,
        timer: null,
        resolve,
        reject,
      };
      this.transmit();
    });
  }

  private transmit(): void {
    const c = this.current;
    if (c === null) return;
    c.attempts++;
    if (c.timer !== null) clearTimeout(c.timer);
    c.timer = setTimeout(() => this.onTimeout(c), c.timeoutMs);
    this.transport.write(c.wire).catch((e: unknown) => {
      const why = e instanceof Error ? e.message : String(e);
      this.finish(
        c,
        new RpcError('CLOSED', `${c.label}: could not write to the link: ${why}`, null, {
          cause: e,
        }),
      );
    });
  }

  private retry(c: InFlight, failure: 'TIMEOUT' | 'LINK'): void {
    if (c.attempts < this.attempts) {
      this.transmit();
      return;
    }
    const tries = `${c.attempts} attempt${c.attempts === 1 ? '' : 's'}`;
    this.finish(
      c,
      failure === 'TIMEOUT'
        ? new RpcError(
            'TIMEOUT',
            `board did not answer ${c.label} within ${c.timeoutMs} ms (${tries})`,
          )
        : new RpcError(
            'LINK',
            `${c.label}: the answer came back damaged on each of ${tries} (CRC or framing errors); check the link`,
          ),
    );
  }

  private onTimeout(c: InFlight): void {
    if (this.current !== c) return;
    c.timer = null;
    this.stats.timeouts++;
    this.retry(c, 'TIMEOUT');
  }

  private onDamaged(): void {
    const c = this.current;
    if (c === null) return;
    this.stats.damaged++;
    this.retry(c, 'LINK');
  }

  private onFrame(f: Frame): void {
    const c = this.current;
    if (c === null) {
      this.stats.stale++;
      return;
    }
    if (f.type === (MsgType.NAK | RESPONSE_BIT)) {
      // The board saw a damaged frame: most likely our request.
      this.onDamaged();
      return;
    }
    if (f.type !== (c.type | RESPONSE_BIT) || f.seq !== c.seq) {
      this.stats.stale++;
      return;
    }
    if (f.flags & FLAG_REPLAY) this.stats.replays++;
    this.finish(c, f);
  }

  private finish(c: InFlight, outcome: Frame | RpcError): void {
    if (this.current !== c) return;
    this.current = null;
    if (c.timer !== null) clearTimeout(c.timer);
    if (outcome instanceof RpcError) c.reject(outcome);
    else c.resolve(outcome);
  }

  private closedError(label: string): RpcError {
    const options = this.closedCause ? { cause: this.closedCause } : undefined;
    return new RpcError('CLOSED', `${label}: ${this.closedReason}`, null, options);
  }

  private shutDown(reason: string, cause: Error | null = null): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    this.closedCause = cause;
    for (const u of this.unsubscribe) u();
    const c = this.current;
    if (c !== null) this.finish(c, this.closedError(c.label));
  }
}
