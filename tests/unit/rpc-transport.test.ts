// Transports: the in-memory pair, the lossy wrapper, and TCP (the way QEMU
// exposes a board's UART) bridged to the host RPC server.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BoardClient } from '../../src/core/rpc/client.ts';
import { lossy } from '../../src/core/transport/lossy.ts';
import { memoryPair } from '../../src/core/transport/memory.ts';
import type { Transport } from '../../src/core/transport/transport.ts';
import { connectTcp } from '../../src/node/transport-tcp.ts';
import { rpcBinaries } from './rpc-support.ts';

/** Collects what arrives on t until `n` bytes are in. */
function receive(t: Transport, n: number): Promise<number[]> {
  const got: number[] = [];
  return new Promise((resolve) => {
    t.onData((b) => {
      got.push(...b);
      if (got.length >= n) resolve(got);
    });
  });
}

describe('memory transport pair', () => {
  it('delivers writes in order, to the other end only, and closes both ends', async () => {
    const [a, b] = memoryPair();
    const echoA: number[] = [];
    a.onData((x) => echoA.push(...x));
    const atB = receive(b, 6);
    const buf = Uint8Array.of(1, 2, 3);
    await a.write(buf);
    buf[0] = 99; // the writer may reuse its buffer
    await a.write(Uint8Array.of(4, 5, 6));
    expect(await atB).toEqual([1, 2, 3, 4, 5, 6]);
    expect(echoA).toEqual([]);
    const reasons: (Error | null)[] = [];
    b.onClose((r) => reasons.push(r));
    await a.close();
    expect(reasons).toEqual([null]);
    await expect(b.write(Uint8Array.of(1))).rejects.toThrow(/closed/);
  });
});

describe('lossy transport', () => {
  /** A transport that just records what is written to it. */
  function recorder(out: number[]): Transport {
    return {
      write: async (b) => void out.push(...b),
      onData: () => () => {},
      onClose: () => () => {},
      close: async () => {},
    };
  }

  async function damage(seed: number, data: Uint8Array): Promise<{ out: number[]; stats: object }> {
    const out: number[] = [];
    const l = lossy(recorder(out), { seed, drop: 0.01, corrupt: 0.01 });
    await l.write(data);
    return { out, stats: { ...l.stats } };
  }

  it('drops and corrupts at the given rates, the same way for the same seed', async () => {
    const data = new Uint8Array(100_000).fill(0x55);
    const one = await damage(9, data);
    const same = await damage(9, data);
    const other = await damage(10, data);
    expect(same).toEqual(one);
    expect(other.out).not.toEqual(one.out);
    const { dropped, corrupted } = one.stats as { dropped: number; corrupted: number };
    expect(one.out.length).toBe(100_000 - dropped);
    expect(one.out.filter((x) => x !== 0x55).length).toBe(corrupted); // corrupt never keeps the value
    for (const n of [dropped, corrupted]) {
      expect(n).toBeGreaterThan(800);
      expect(n).toBeLessThan(1200);
    }
  });

  it('damages the incoming direction too', async () => {
    const [a, b] = memoryPair();
    const l = lossy(a, { seed: 3, drop: 0, corrupt: 0.5 });
    const got = receive(l, 1000);
    await b.write(new Uint8Array(1000));
    const bytes = await got;
    expect(bytes.filter((x) => x !== 0).length).toBe(l.stats.corrupted);
    expect(l.stats.corrupted).toBeGreaterThan(400);
  });
});

describe('TCP transport', () => {
  let server: Server | null = null;
  afterEach(async () => {
    await new Promise((r) => (server ? server.close(r) : r(null)));
    server = null;
  });

  it('talks to a board behind a socket, as QEMU -serial tcp: exposes one', async () => {
    const bin = rpcBinaries().server;
    server = createServer((socket) => {
      const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'inherit'] });
      socket.pipe(child.stdin);
      child.stdout.pipe(socket);
      socket.on('close', () => child.kill());
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const client = new BoardClient(await connectTcp({ port }));
    expect((await client.info()).name).toBe('host');
    const payload = Uint8Array.from({ length: 700 }, (_, i) => i & 0xff);
    expect(await client.echo(payload)).toEqual(payload);
    await client.close();
  });

  it('gives up connecting at the deadline, naming the address', async () => {
    server = createServer();
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise((r) => server!.close(r)); // nothing listens there now
    server = null;
    await expect(connectTcp({ port, timeoutMs: 200, retryMs: 50 })).rejects.toThrow(
      `could not connect to 127.0.0.1:${port}`,
    );
  });
});
