// Two connected in-memory transports: what one writes, the other receives,
// asynchronously and in order (as any real link would deliver it).
import { CloseSignal, Listeners, type Transport } from './transport.ts';

export function memoryPair(): [Transport, Transport] {
  const data = [new Listeners<Uint8Array>(), new Listeners<Uint8Array>()] as const;
  const closed = new CloseSignal();
  const end = (me: 0 | 1): Transport => ({
    write: async (bytes) => {
      if (closed.closed) throw new Error('memory transport is closed');
      const copy = bytes.slice(); // the writer may reuse its buffer
      queueMicrotask(() => {
        if (!closed.closed) data[me === 0 ? 1 : 0].emit(copy);
      });
    },
    onData: (cb) => data[me].add(cb),
    onClose: (cb) => closed.onClose(cb),
    close: async () => closed.fire(null),
  });
  return [end(0), end(1)];
}
