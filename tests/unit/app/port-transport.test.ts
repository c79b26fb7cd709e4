// The board link carried over a MessagePort (page <-> flow worker): bytes
// both ways in order, the RPC client works through it, the page's link
// outlives the worker's end, and a link that dies ends the worker's end.
import { describe, expect, test } from 'vitest';
import { pipeToPort, portTransport } from '../../../src/app/transport/port.ts';
import { BoardClient } from '../../../src/core/rpc/client.ts';
import { memoryPair } from '../../../src/core/transport/memory.ts';
import { CloseSignal, Listeners, type Transport } from '../../../src/core/transport/transport.ts';

/** A transport whose writes are recorded and whose incoming bytes the test pushes. */
function fakeLink(): Transport & {
  written: number[];
  /** Resolves once `n` bytes have been written to the link. */
  writtenAtLeast(n: number): Promise<number[]>;
  push(b: number[]): void;
  fail(e: Error): void;
} {
  const data = new Listeners<Uint8Array>();
  const closed = new CloseSignal();
  const written: number[] = [];
  const wrote = new Listeners<void>();
  return {
    written,
    writtenAtLeast: (n) =>
      new Promise((resolve) => {
        if (written.length >= n) resolve(written);
        const off = wrote.add(() => {
          if (written.length < n) return;
          off();
          resolve(written);
        });
      }),
    push: (b) => data.emit(Uint8Array.from(b)),
    fail: (e) => closed.fire(e),
    write: async (bytes) => {
      written.push(...bytes);
      wrote.emit();
    },
    onData: (cb) => data.add(cb),
    onClose: (cb) => closed.onClose(cb),
    close: async () => closed.fire(null),
  };
}

const received = (t: Transport, n: number): Promise<number[]> =>
  new Promise((resolve) => {
    const out: number[] = [];
    t.onData((b) => {
      out.push(...b);
      if (out.length >= n) resolve(out);
    });
  });

describe('port transport', () => {
  test('carries bytes both ways, in order', async () => {
    const link = fakeLink();
    const { port1, port2 } = new MessageChannel();
    void pipeToPort(link, port1);
    const worker = portTransport(port2);
    const got = received(worker, 6);
    link.push([1, 2, 3]);
    link.push([4, 5, 6]);
    expect(await got).toEqual([1, 2, 3, 4, 5, 6]);
    const buf = Uint8Array.of(9, 8, 7);
    await worker.write(buf);
    buf.fill(0); // the writer may reuse its buffer
    await worker.write(Uint8Array.of(6));
    expect(await link.writtenAtLeast(4)).toEqual([9, 8, 7, 6]);
    await worker.close();
    port1.close();
  });

  test('links the worker to a board on the page side; a pending request fails when it goes', async () => {
    // The page's link is one end of an in-memory pair; the test plays the board at the other.
    const [pageSide, boardSide] = memoryPair();
    const { port1, port2 } = new MessageChannel();
    void pipeToPort(pageSide, port1);
    const worker = portTransport(port2);
    const bytes = received(boardSide, 3);
    await worker.write(Uint8Array.of(0xaa, 0xbb, 0xcc));
    expect(await bytes).toEqual([0xaa, 0xbb, 0xcc]);
    const back = received(worker, 2);
    await boardSide.write(Uint8Array.of(1, 2));
    expect(await back).toEqual([1, 2]);
    // An RPC request in flight through the port fails once the page's link closes.
    const client = new BoardClient(worker, { timeoutMs: 5_000, retries: 0 });
    const info = client.info();
    await pageSide.close();
    await expect(info).rejects.toThrow();
    port1.close();
  });

  test('closing the worker end leaves the page link open for the next run', async () => {
    const link = fakeLink();
    let closedWith: Error | null | undefined;
    link.onClose((r) => (closedWith = r));
    const { port1, port2 } = new MessageChannel();
    const piping = pipeToPort(link, port1);
    await portTransport(port2).close();
    await piping;
    expect(closedWith).toBeUndefined();
  });

  test('a link that dies ends the worker end with its reason', async () => {
    const link = fakeLink();
    const { port1, port2 } = new MessageChannel();
    void pipeToPort(link, port1);
    const worker = portTransport(port2);
    const reason = new Promise<Error | null>((resolve) => worker.onClose(resolve));
    link.fail(new Error('device lost'));
    expect((await reason)?.message).toBe('device lost');
    await expect(worker.write(Uint8Array.of(1))).rejects.toThrow(/closed/);
  });
});
