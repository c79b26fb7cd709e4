// A Transport over a serial port (a board's USB-UART bridge, a USB CDC
// device, a pseudo-terminal such as QEMU's `-serial pty`), through the
// `serialport` package: 8 data bits, no parity, 1 stop bit, no flow control.
// A write resolves once the bytes have been handed to the OS (drained); a
// device that disappears (unplugged, the pty's other end closed) closes the
// transport with a SerialPortError of kind 'disconnected', so a pending RPC
// request fails at once with it as the cause.
//
// Main thread only: the serialport bindings poll the device on the main
// thread's event loop and abort the whole process when a worker thread's
// port receives data (serialport/node-serialport#2748), so openSerial
// refuses to open a port from a worker.
import { stat } from 'node:fs/promises';
import { isMainThread } from 'node:worker_threads';
import { SerialPort } from 'serialport';
import { CloseSignal, Listeners, type Transport } from '../core/transport/transport.ts';

export const DEFAULT_BAUD = 115_200;

export type SerialErrorKind =
  /** No device at the path. */
  | 'not-found'
  /** The device exists but could not be opened or configured (busy, permissions, not a tty). */
  | 'open-failed'
  /** The device went away while open. */
  | 'disconnected'
  /** A read or write failed while the device was open. */
  | 'io';

export class SerialPortError extends Error {
  override readonly name = 'SerialPortError';
  constructor(
    readonly kind: SerialErrorKind,
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface SerialOptions {
  /** Device path: /dev/ttyACM0, /dev/ttyUSB0, /dev/pts/3, COM4. */
  path: string;
  /** Baud rate (default 115200). */
  baudRate?: number;
}

export interface SerialTransport extends Transport {
  readonly path: string;
  readonly baudRate: number;
}

const messageOf = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e)).replace(/^Error: /, '');

/** Opens the port and returns it as a Transport; rejects with a SerialPortError. */
export async function openSerial(options: SerialOptions): Promise<SerialTransport> {
  const { path } = options;
  const baudRate = options.baudRate ?? DEFAULT_BAUD;
  if (!Number.isInteger(baudRate) || baudRate <= 0)
    throw new SerialPortError('open-failed', path, `invalid baud rate ${baudRate} for ${path}`);
  // Windows COM names are not files; elsewhere a missing path gets a clear error.
  if (process.platform !== 'win32') {
    try {
      await stat(path);
    } catch (e) {
      throw new SerialPortError('not-found', path, `no serial device at ${path}`, { cause: e });
    }
  }
  if (!isMainThread)
    throw new SerialPortError(
      'open-failed',
      path,
      `cannot open ${path} from a worker thread: the serialport bindings only work on the main thread`,
    );
  const port = new SerialPort({
    path,
    baudRate,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    rtscts: false,
    xon: false,
    xoff: false,
    autoOpen: false,
  });
  await new Promise<void>((resolve, reject) => {
    port.open((e) => {
      if (!e) {
        resolve();
        return;
      }
      const missing = /No such file or directory|cannot find the file/i.test(e.message);
      reject(
        new SerialPortError(
          missing ? 'not-found' : 'open-failed',
          path,
          missing
            ? `no serial device at ${path}`
            : `cannot open serial port ${path} at ${baudRate} baud: ${messageOf(e)}`,
          { cause: e },
        ),
      );
    });
  });

  const data = new Listeners<Uint8Array>();
  const closed = new CloseSignal();
  let closingLocally = false;
  const onData = (chunk: Buffer): void =>
    data.emit(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  port.on('data', onData);
  // 'close' carries an error with `disconnected: true` when the device went away.
  port.on('close', (e: (Error & { disconnected?: boolean }) | null) => {
    port.off('data', onData);
    if (closingLocally && !e?.disconnected) {
      closed.fire(null);
      return;
    }
    closed.fire(
      new SerialPortError(
        'disconnected',
        path,
        `serial port ${path} disconnected${e ? ` (${messageOf(e)})` : ''}`,
        e ? { cause: e } : undefined,
      ),
    );
  });
  port.on('error', (e: Error) => {
    if (closed.closed) return;
    closed.fire(
      new SerialPortError('io', path, `serial port ${path}: ${messageOf(e)}`, { cause: e }),
    );
    if (port.isOpen) port.close(() => {});
  });

  return {
    path,
    baudRate,
    write: (bytes) =>
      new Promise<void>((resolve, reject) => {
        if (closed.closed || !port.isOpen) {
          reject(new SerialPortError('io', path, `serial port ${path} is closed`));
          return;
        }
        // A copy: the caller may reuse its buffer before the port has sent it.
        port.write(Buffer.from(bytes), (e) => {
          if (e) {
            reject(
              new SerialPortError('io', path, `writing to ${path}: ${messageOf(e)}`, { cause: e }),
            );
            return;
          }
          port.drain((d) =>
            d
              ? reject(
                  new SerialPortError('io', path, `writing to ${path}: ${messageOf(d)}`, {
                    cause: d,
                  }),
                )
              : resolve(),
          );
        });
      }),
    onData: (cb) => data.add(cb),
    onClose: (cb) => closed.onClose(cb),
    close: () =>
      new Promise<void>((resolve) => {
        if (!port.isOpen) {
          closed.fire(null);
          resolve();
          return;
        }
        closingLocally = true;
        port.close(() => {
          closed.fire(null); // no-op if the 'close' event already fired
          resolve();
        });
      }),
  };
}
