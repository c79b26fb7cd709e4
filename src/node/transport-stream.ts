// A Transport over a Node readable/writable pair: a TCP socket, a child
// process's stdio, a serial port stream.
import type { Readable, Writable } from 'node:stream';
import { CloseSignal, Listeners, type Transport } from '../core/transport/transport.ts';

export interface StreamTransportOptions {
  /** Called by close() to release whatever owns the streams. */
  dispose?: () => void;
}

export function streamTransport(
  input: Readable,
  output: Writable,
  options: StreamTransportOptions = {},
): Transport & { end(reason: Error | null): void } {
  const data = new Listeners<Uint8Array>();
  const closed = new CloseSignal();
  const onData = (chunk: Buffer): void =>
    data.emit(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  const end = (reason: Error | null): void => {
    if (closed.closed) return;
    input.off('data', onData);
    closed.fire(reason);
  };
  input.on('data', onData);
  input.on('end', () => end(new Error('the other end closed the stream')));
  input.on('error', (e: Error) => end(e));
  output.on('error', (e: Error) => end(e));
  return {
    end,
    write: (bytes) =>
      new Promise<void>((resolve, reject) => {
        if (closed.closed) {
          reject(new Error('transport is closed'));
          return;
        }
        output.write(bytes, (e) => (e ? reject(e) : resolve()));
      }),
    onData: (cb) => data.add(cb),
    onClose: (cb) => closed.onClose(cb),
    close: async () => {
      end(null);
      options.dispose?.();
    },
  };
}
