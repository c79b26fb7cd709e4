// Frames on the byte stream: header + payload + CRC-32, COBS-encoded and
// delimited by 0x00 (docs/rpc.md). Decoding never trusts a byte: every
// failure is a FrameError with a code, never anything else.
import { crc32 } from '../package/crc32.ts';
import { cobsDecode, cobsEncode, cobsMaxEncoded } from './cobs.ts';
import { CRC_BYTES, HEADER_BYTES, MAX_PAYLOAD_LIMIT, RPC_VERSION } from './wire.ts';

export interface Frame {
  version: number;
  type: number;
  flags: number;
  status: number;
  seq: number;
  payload: Uint8Array;
}

export type FrameErrorCode =
  /** Not valid COBS (a zero run past the end: bytes lost or corrupted). */
  | 'COBS'
  /** Shorter than a header and a CRC. */
  | 'SHORT'
  /** Header length disagrees with the bytes received. */
  | 'LENGTH'
  /** CRC-32 mismatch. */
  | 'CRC'
  /** Longer than any valid frame before its delimiter arrived. */
  | 'OVERSIZE';

export class FrameError extends Error {
  override readonly name = 'FrameError';
  constructor(
    readonly code: FrameErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The decoded (pre-COBS) bytes of a frame. */
export function frameBytes(f: Omit<Frame, 'version'> & { version?: number }): Uint8Array {
  if (f.payload.length > MAX_PAYLOAD_LIMIT)
    throw new RangeError(`frame payload of ${f.payload.length} bytes exceeds ${MAX_PAYLOAD_LIMIT}`);
  const raw = new Uint8Array(HEADER_BYTES + f.payload.length + CRC_BYTES);
  const dv = new DataView(raw.buffer);
  raw[0] = f.version ?? RPC_VERSION;
  raw[1] = f.type;
  raw[2] = f.flags;
  raw[3] = f.status;
  dv.setUint16(4, f.seq, true);
  dv.setUint16(6, f.payload.length, true);
  raw.set(f.payload, HEADER_BYTES);
  const end = HEADER_BYTES + f.payload.length;
  dv.setUint32(end, crc32(raw.subarray(0, end)), true);
  return raw;
}

/**
 * A frame ready for the wire: a leading 0x00 (ends whatever garbage the
 * receiver may be holding), the COBS bytes, the closing 0x00.
 */
export function encodeFrame(f: Omit<Frame, 'version'> & { version?: number }): Uint8Array {
  const enc = cobsEncode(frameBytes(f));
  const out = new Uint8Array(enc.length + 2);
  out.set(enc, 1);
  return out;
}

/** Parses decoded (post-COBS) frame bytes. */
export function parseFrame(raw: Uint8Array): Frame {
  if (raw.length < HEADER_BYTES + CRC_BYTES)
    throw new FrameError('SHORT', `frame of ${raw.length} bytes is shorter than header + CRC`);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const length = dv.getUint16(6, true);
  if (HEADER_BYTES + length + CRC_BYTES !== raw.length)
    throw new FrameError(
      'LENGTH',
      `frame header says ${length} payload bytes, frame carries ${raw.length - HEADER_BYTES - CRC_BYTES}`,
    );
  const end = HEADER_BYTES + length;
  const want = dv.getUint32(end, true);
  const got = crc32(raw.subarray(0, end));
  if (want !== got)
    throw new FrameError(
      'CRC',
      `frame CRC 0x${got.toString(16)} does not match 0x${want.toString(16)}`,
    );
  return {
    version: raw[0] as number,
    type: raw[1] as number,
    flags: raw[2] as number,
    status: raw[3] as number,
    seq: dv.getUint16(4, true),
    payload: raw.slice(HEADER_BYTES, end),
  };
}

/** Decodes one COBS-encoded frame (delimiters removed). */
export function decodeFrame(encoded: Uint8Array): Frame {
  const raw = cobsDecode(encoded);
  if (raw === null) throw new FrameError('COBS', 'frame is not valid COBS (bytes lost or damaged)');
  return parseFrame(raw);
}

export interface FrameSink {
  frame(f: Frame): void;
  /** A non-empty stretch between delimiters that is not a valid frame. */
  damaged(e: FrameError): void;
}

/**
 * Splits a byte stream into frames. Empty stretches (two delimiters in a
 * row) are ignored: senders use a leading 0x00 to resynchronise.
 */
export class FrameReader {
  private buf: Uint8Array;
  private len = 0;
  private overflow = false;

  constructor(
    private readonly sink: FrameSink,
    maxPayload = MAX_PAYLOAD_LIMIT,
  ) {
    this.buf = new Uint8Array(cobsMaxEncoded(HEADER_BYTES + maxPayload + CRC_BYTES));
  }

  push(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i] as number;
      if (b !== 0) {
        if (this.len < this.buf.length) this.buf[this.len++] = b;
        else this.overflow = true;
        continue;
      }
      const n = this.len;
      const over = this.overflow;
      this.len = 0;
      this.overflow = false;
      if (over) {
        this.sink.damaged(new FrameError('OVERSIZE', 'frame longer than any valid frame'));
      } else if (n > 0) {
        let f: Frame;
        try {
          f = decodeFrame(this.buf.subarray(0, n));
        } catch (e) {
          if (e instanceof FrameError) {
            this.sink.damaged(e);
            continue;
          }
          throw e;
        }
        this.sink.frame(f);
      }
    }
  }
}
