// Bounds-checked FlatBuffers access. The flatbuffers JS runtime trusts its
// input; a model file does not deserve that trust, so every offset, vtable
// and vector length is checked here before it is followed or allocated.
// Failures are thrown as ModelError and turned into a Result by the reader.
import { ModelError } from '../errors.ts';

const utf8 = new TextDecoder('utf-8');

export class FlatReader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly size: number;
  /**
   * Elements we may still decode. A flatbuffer can point many tables at one
   * shared vector, so decoded size is not bounded by file size; this budget
   * (a little more than the file size) keeps hostile files from expanding.
   */
  private budget: number;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.size = bytes.byteLength;
    this.budget = bytes.byteLength + 65_536;
  }

  /** Throws unless [pos, pos + n) lies inside the file. */
  need(pos: number, n: number, what: string): void {
    if (pos < 0 || n < 0 || pos + n > this.size) {
      throw new ModelError(
        'OUT_OF_BOUNDS',
        `${what}: ${n} bytes at offset ${pos} lie outside the file (${this.size} bytes)`,
      );
    }
  }

  spend(n: number, what: string): void {
    this.budget -= n;
    if (this.budget < 0) {
      throw new ModelError(
        'TOO_LARGE',
        `${what}: the file decodes to far more data than its ${this.size} bytes can hold (shared or looping references)`,
      );
    }
  }

  u32(pos: number): number {
    return this.view.getUint32(pos, true);
  }

  /** Follows the uoffset stored at `pos`; returns the absolute target. */
  deref(pos: number, what: string): number {
    this.need(pos, 4, what);
    const target = pos + this.u32(pos);
    this.need(target, 4, what);
    return target;
  }

  table(pos: number, what: string): Table {
    this.need(pos, 4, what);
    this.spend(1, what);
    const vt = pos - this.view.getInt32(pos, true);
    this.need(vt, 4, `${what} vtable`);
    const vtSize = this.view.getUint16(vt, true);
    if (vtSize < 4 || vtSize % 2 !== 0) {
      throw new ModelError(
        'MALFORMED',
        `${what}: vtable at offset ${vt} has invalid size ${vtSize}`,
      );
    }
    this.need(vt, vtSize, `${what} vtable`);
    const objSize = this.view.getUint16(vt + 2, true);
    if (objSize < 4) {
      throw new ModelError(
        'MALFORMED',
        `${what}: table at offset ${pos} has invalid size ${objSize}`,
      );
    }
    this.need(pos, objSize, what);
    return new Table(this, pos, vt, vtSize, objSize, what);
  }

  /** Root table of a buffer, after the 8-byte header (root offset + file identifier). */
  root(): Table {
    return this.table(this.deref(0, 'root table offset'), 'model');
  }
}

/** A vector located and bounds-checked, not yet decoded. */
export interface VecRef {
  start: number;
  length: number;
}

export class Table {
  constructor(
    private readonly r: FlatReader,
    readonly pos: number,
    private readonly vt: number,
    private readonly vtSize: number,
    private readonly objSize: number,
    readonly what: string,
  ) {}

  /** Absolute position of field `slot` with inline size `n`, or 0 when absent. */
  private field(slot: number, n: number, name: string): number {
    const entry = 4 + 2 * slot;
    if (entry + 2 > this.vtSize) return 0;
    const off = this.r.view.getUint16(this.vt + entry, true);
    if (off === 0) return 0;
    if (off + n > this.objSize) {
      throw new ModelError(
        'MALFORMED',
        `${this.what}.${name}: field at +${off} overruns its table (${this.objSize} bytes)`,
      );
    }
    return this.pos + off;
  }

  /** File offset of field `slot`'s inline value, or 0 when absent (for tools and tests that patch files). */
  offsetOf(slot: number): number {
    return this.field(slot, 0, `field ${slot}`);
  }

  has(slot: number): boolean {
    const entry = 4 + 2 * slot;
    return entry + 2 <= this.vtSize && this.r.view.getUint16(this.vt + entry, true) !== 0;
  }

  bool(slot: number, def: boolean, name: string): boolean {
    const p = this.field(slot, 1, name);
    return p === 0 ? def : this.r.view.getUint8(p) !== 0;
  }

  i8(slot: number, def: number, name: string): number {
    const p = this.field(slot, 1, name);
    return p === 0 ? def : this.r.view.getInt8(p);
  }

  u8(slot: number, def: number, name: string): number {
    const p = this.field(slot, 1, name);
    return p === 0 ? def : this.r.view.getUint8(p);
  }

  i16(slot: number, def: number, name: string): number {
    const p = this.field(slot, 2, name);
    return p === 0 ? def : this.r.view.getInt16(p, true);
  }

  u16(slot: number, def: number, name: string): number {
    const p = this.field(slot, 2, name);
    return p === 0 ? def : this.r.view.getUint16(p, true);
  }

  i32(slot: number, def: number, name: string): number {
    const p = this.field(slot, 4, name);
    return p === 0 ? def : this.r.view.getInt32(p, true);
  }

  u32(slot: number, def: number, name: string): number {
    const p = this.field(slot, 4, name);
    return p === 0 ? def : this.r.view.getUint32(p, true);
  }

  f32(slot: number, def: number, name: string): number {
    const p = this.field(slot, 4, name);
    return p === 0 ? def : this.r.view.getFloat32(p, true);
  }

  /**
   * 64-bit integer: a number when exactly representable, else its decimal
   * string (so nothing is silently rounded, e.g. a large random seed).
   */
  i64(slot: number, def: number, name: string): number | string {
    const p = this.field(slot, 8, name);
    return p === 0 ? def : exact(this.r.view.getBigInt64(p, true));
  }

  u64(slot: number, def: number, name: string): number | string {
    const p = this.field(slot, 8, name);
    return p === 0 ? def : exact(this.r.view.getBigUint64(p, true));
  }

  /** Unsigned 64-bit size or offset; values beyond 2^53 come back as Infinity (never in bounds). */
  u64Size(slot: number, def: number, name: string): number {
    const v = this.u64(slot, def, name);
    return typeof v === 'number' ? v : Infinity;
  }

  str(slot: number, name: string): string | null {
    const v = this.vec(slot, 1, name);
    if (v === null) return null;
    this.r.spend(v.length, `${this.what}.${name}`);
    return utf8.decode(this.r.bytes.subarray(v.start, v.start + v.length));
  }

  /**
   * Locates a vector of `elemSize`-byte elements. A length that cannot fit in
   * the rest of the file is rejected before anything is allocated.
   */
  vec(slot: number, elemSize: number, name: string): VecRef | null {
    const p = this.field(slot, 4, name);
    if (p === 0) return null;
    const what = `${this.what}.${name}`;
    const at = this.r.deref(p, what);
    const length = this.r.u32(at);
    const start = at + 4;
    const room = this.r.size - start;
    if (length * elemSize > room) {
      throw new ModelError(
        'TOO_LARGE',
        `${what}: vector at offset ${at} claims ${length} elements of ${elemSize} bytes, but only ${room} bytes remain in the file`,
      );
    }
    return { start, length };
  }

  /** Byte vector as a view into the file (no copy). */
  bytesView(slot: number, name: string): Uint8Array | null {
    const v = this.vec(slot, 1, name);
    return v === null ? null : this.r.bytes.subarray(v.start, v.start + v.length);
  }

  ints(slot: number, name: string, kind: 'i32' | 'u32' | 'u8' | 'bool' = 'i32'): number[] | null {
    const size = kind === 'u8' || kind === 'bool' ? 1 : 4;
    const v = this.vec(slot, size, name);
    if (v === null) return null;
    this.r.spend(v.length, `${this.what}.${name}`);
    const out = new Array<number>(v.length);
    const dv = this.r.view;
    for (let i = 0; i < v.length; i++) {
      const p = v.start + i * size;
      out[i] =
        kind === 'i32'
          ? dv.getInt32(p, true)
          : kind === 'u32'
            ? dv.getUint32(p, true)
            : dv.getUint8(p);
    }
    return out;
  }

  floats(slot: number, name: string): number[] | null {
    const v = this.vec(slot, 4, name);
    if (v === null) return null;
    this.r.spend(v.length, `${this.what}.${name}`);
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.r.view.getFloat32(v.start + 4 * i, true);
    return out;
  }

  /** Vector of 64-bit integers; values beyond 2^53 are rejected rather than rounded. */
  longs(slot: number, name: string): number[] | null {
    const v = this.vec(slot, 8, name);
    if (v === null) return null;
    this.r.spend(v.length, `${this.what}.${name}`);
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = readI64(this.r.view, v.start + 8 * i);
      if (!Number.isSafeInteger(x)) {
        throw new ModelError(
          'MALFORMED',
          `${this.what}.${name}[${i}] is outside the representable range (|x| > 2^53)`,
        );
      }
      out[i] = x;
    }
    return out;
  }

  /** Sub-table, or null when absent. */
  table(slot: number, name: string): Table | null {
    const p = this.field(slot, 4, name);
    if (p === 0) return null;
    const what = `${this.what}.${name}`;
    return this.r.table(this.r.deref(p, what), what);
  }

  /** Vector of tables; `label(i)` names element i in error messages. */
  tables(slot: number, name: string, label: (i: number) => string): Table[] {
    const v = this.vec(slot, 4, name);
    if (v === null) return [];
    const out = new Array<Table>(v.length);
    for (let i = 0; i < v.length; i++) {
      const what = label(i);
      out[i] = this.r.table(this.r.deref(v.start + 4 * i, what), what);
    }
    return out;
  }
}

function exact(v: bigint): number | string {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v.toString();
}

function readI64(dv: DataView, p: number): number {
  return dv.getInt32(p + 4, true) * 2 ** 32 + dv.getUint32(p, true);
}
