// A real board over WebSerial (Chromium's navigator.serial): the same
// Transport the virtual board and the Node serial link implement, so the RPC
// client cannot tell them apart. The port is chosen by the user (the
// browser's picker needs a click); bytes are read in a loop until the port
// closes or the device goes away.
import { CloseSignal, Listeners, type Transport } from '../../core/transport/transport.ts';

// The slice of the Web Serial API used here (not in TypeScript's DOM types).
export interface SerialPortLike {
  open(options: { baudRate: number; bufferSize?: number }): Promise<void>;
  close(): Promise<void>;
  readonly readable: ReadableStream<Uint8Array> | null;
  readonly writable: WritableStream<Uint8Array> | null;
  getInfo?(): { usbVendorId?: number; usbProductId?: number };
}

export interface SerialLike {
  requestPort(options?: { filters?: { usbVendorId: number }[] }): Promise<SerialPortLike>;
  getPorts(): Promise<SerialPortLike[]>;
}

/** The browser's serial API, or null where there is none (Firefox, Safari, insecure origins). */
export function webSerial(): SerialLike | null {
  const nav = globalThis.navigator as (Navigator & { serial?: SerialLike }) | undefined;
  return nav?.serial ?? null;
}

export const DEFAULT_BAUD = 115_200;

export interface WebSerialTransport extends Transport {
  readonly port: SerialPortLike;
}

/** Opens `port` and returns the byte link over it. */
export async function openWebSerial(
  port: SerialPortLike,
  baudRate = DEFAULT_BAUD,
): Promise<WebSerialTransport> {
  await port.open({ baudRate, bufferSize: 16 * 1024 });
  const readable = port.readable;
  const writable = port.writable;
  if (!readable || !writable) {
    await port.close();
    throw new Error('the serial port opened without streams');
  }
  const data = new Listeners<Uint8Array>();
  const closed = new CloseSignal();
  const reader = readable.getReader();
  const writer = writable.getWriter();
  let closing = false;

  const shutdown = async (reason: Error | null): Promise<void> => {
    if (closed.closed) return;
    closing = true;
    closed.fire(reason);
    await reader.cancel().catch(() => {});
    reader.releaseLock();
    await writer.close().catch(() => {});
    writer.releaseLock();
    await port.close().catch(() => {});
  };

  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        if (value && value.length > 0) data.emit(value);
      }
      if (!closing) await shutdown(new Error('the serial port closed'));
    } catch (e) {
      // A device unplugged mid-read ends here (NetworkError / BreakError ...).
      if (!closing) await shutdown(e instanceof Error ? e : new Error(String(e)));
    }
  })();

  return {
    port,
    write: async (bytes) => {
      if (closed.closed) throw new Error('the serial port is closed');
      await writer.write(bytes);
    },
    onData: (cb) => data.add(cb),
    onClose: (cb) => closed.onClose(cb),
    close: () => shutdown(null),
  };
}

/** Asks the user for a port (must run in a click handler) and opens it. */
export async function requestWebSerial(baudRate = DEFAULT_BAUD): Promise<WebSerialTransport> {
  const serial = webSerial();
  if (!serial) throw new Error('this browser has no WebSerial (use Chrome or Edge over https)');
  const port = await serial.requestPort();
  return openWebSerial(port, baudRate);
}
