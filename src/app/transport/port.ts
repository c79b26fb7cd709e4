// A Transport carried over a MessagePort: the link to a board is opened on
// the page (WebSerial needs the page's user gesture and permission prompt)
// while the RPC client and the flow run in a worker. The page pipes the
// real transport into one end (pipeToPort), the worker wraps the other
// (portTransport). Bytes travel as transferred buffers, in order.
import { CloseSignal, Listeners, type Transport } from '../../core/transport/transport.ts';

type PortMessage =
  | { kind: 'data'; bytes: Uint8Array }
  | { kind: 'close'; reason: string | null }
  | { kind: 'error'; reason: string };

function post(port: MessagePort, message: PortMessage): void {
  if (message.kind === 'data') {
    // A private copy, so the sender can reuse its buffer and we can transfer ours.
    const bytes = message.bytes.slice();
    port.postMessage({ kind: 'data', bytes }, [bytes.buffer]);
  } else port.postMessage(message);
}

/** The worker's end: a Transport whose far side is whatever the page piped in. */
export function portTransport(port: MessagePort): Transport {
  const data = new Listeners<Uint8Array>();
  const closed = new CloseSignal();
  port.onmessage = (event: MessageEvent<PortMessage>) => {
    const m = event.data;
    if (m.kind === 'data') data.emit(m.bytes);
    else {
      closed.fire(m.reason === null ? null : new Error(m.reason));
      port.close();
    }
  };
  return {
    write: async (bytes) => {
      if (closed.closed) throw new Error('the link to the board is closed');
      post(port, { kind: 'data', bytes });
    },
    onData: (cb) => data.add(cb),
    onClose: (cb) => closed.onClose(cb),
    close: async () => {
      if (closed.closed) return;
      post(port, { kind: 'close', reason: null });
      closed.fire(null);
      port.close();
    },
  };
}

/**
 * The page's end: forwards everything `transport` receives to the port and
 * everything the port sends to `transport`. The transport closing ends the
 * worker's end too; the worker closing its end only stops the piping (the
 * page owns the link and keeps it for the next run). Resolves once piping
 * has stopped.
 */
export function pipeToPort(transport: Transport, port: MessagePort): Promise<void> {
  return new Promise((done) => {
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      offData();
      offClose();
      port.close();
      done();
    };
    const offData = transport.onData((bytes) => post(port, { kind: 'data', bytes }));
    const offClose = transport.onClose((reason) => {
      if (!ended) post(port, { kind: 'close', reason: reason ? reason.message : null });
      end();
    });
    port.onmessage = (event: MessageEvent<PortMessage>) => {
      const m = event.data;
      if (m.kind === 'data') {
        transport.write(m.bytes).catch((e: unknown) => {
          post(port, { kind: 'error', reason: e instanceof Error ? e.message : String(e) });
          end();
        });
      } else end();
    };
  });
}
