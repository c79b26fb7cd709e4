// A Transport over TCP: QEMU's `-serial tcp:HOST:PORT,server=on,wait=off`
// exposes the board's UART as a listening socket. QEMU may still be
// starting, so connecting retries until a deadline.
import { connect, type Socket } from 'node:net';
import type { Transport } from '../core/transport/transport.ts';
import { streamTransport } from './transport-stream.ts';

export interface TcpOptions {
  host?: string;
  port: number;
  /** Give up connecting after this long (ms). */
  timeoutMs?: number;
  /** Wait between attempts (ms). */
  retryMs?: number;
}

function attempt(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

export async function connectTcp(options: TcpOptions): Promise<Transport> {
  const host = options.host ?? '127.0.0.1';
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  for (;;) {
    try {
      return socketTransport(await attempt(host, options.port));
    } catch (e) {
      if (Date.now() >= deadline) {
        const why = e instanceof Error ? e.message : String(e);
        throw new Error(`could not connect to ${host}:${options.port}: ${why}`, { cause: e });
      }
      await new Promise((r) => setTimeout(r, options.retryMs ?? 100));
    }
  }
}

/** Wraps a connected socket (either side). */
export function socketTransport(socket: Socket): Transport {
  socket.setNoDelay(true);
  const t = streamTransport(socket, socket, { dispose: () => socket.destroy() });
  socket.on('close', () => t.end(new Error('the connection closed')));
  return t;
}
