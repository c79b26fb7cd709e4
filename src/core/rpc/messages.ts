// Payload layouts of every request and response (docs/rpc.md). Pure
// functions: encoders build request payloads, parsers check a response's
// length before reading it and throw BadPayload (turned into an RpcError
// naming the request by the client) instead of reading past the end.
import { dtypeByCode, type PackageDtype } from '../package/format.ts';
import {
  COUNTER_NAMES,
  INFO_HARD_RESET,
  INFO_MODEL_LOADED,
  MIN_PAYLOAD_LIMIT,
  TENSOR_META_BYTES,
} from './wire.ts';

export class BadPayload extends Error {
  override readonly name = 'BadPayload';
}

const utf8 = new TextDecoder();

/** Bounds-checked little-endian reader. */
class Reader {
  private readonly dv: DataView;
  at = 0;
  constructor(private readonly bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(n: number): void {
    if (this.at + n > this.bytes.length)
      throw new BadPayload(`payload of ${this.bytes.length} bytes ends before byte ${this.at + n}`);
  }
  u8(): number {
    this.need(1);
    return this.dv.getUint8(this.at++);
  }
  u16(): number {
    this.need(2);
    const v = this.dv.getUint16(this.at, true);
    this.at += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.dv.getUint32(this.at, true);
    this.at += 4;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.dv.getInt32(this.at, true);
    this.at += 4;
    return v;
  }
  f32(): number {
    this.need(4);
    const v = this.dv.getFloat32(this.at, true);
    this.at += 4;
    return v;
  }
  bytesN(n: number): Uint8Array {
    this.need(n);
    const v = this.bytes.slice(this.at, this.at + n);
    this.at += n;
    return v;
  }
  str(): string {
    const n = this.u8();
    return utf8.decode(this.bytesN(n));
  }
  rest(): Uint8Array {
    return this.bytesN(this.bytes.length - this.at);
  }
  end(): void {
    if (this.at !== this.bytes.length)
      throw new BadPayload(`payload has ${this.bytes.length - this.at} unexpected trailing bytes`);
  }
}

function words(...values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => dv.setUint32(i * 4, v >>> 0, true));
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

// ---- INFO ----

export interface ModelSummary {
  inputs: number;
  outputs: number;
  layers: number;
  tensors: number;
}

export interface BoardInfo {
  protocolVersion: number;
  name: string;
  core: string;
  buildId: string;
  clockHz: number;
  /** Package format version the runtime executes. */
  formatVersion: number;
  /** Largest package that fits the board's package region. */
  packageCapacity: number;
  /** Activation arena + scratch the board can give a model. */
  arenaCapacity: number;
  /** Layers the board can profile per invoke. */
  profileCapacity: number;
  maxPayload: number;
  /** Counters per profile record, in COUNTER_NAMES order. */
  numCounters: number;
  kernelCount: number;
  hardReset: boolean;
  /** The loaded model, if any. */
  model: ModelSummary | null;
}

export const INFO_FIXED_BYTES = 48;

export function parseInfo(p: Uint8Array): BoardInfo {
  const r = new Reader(p);
  const protocolVersion = r.u8();
  const flags = r.u8();
  const numCounters = r.u8();
  r.u8();
  const maxPayload = r.u16();
  if (maxPayload < MIN_PAYLOAD_LIMIT)
    throw new BadPayload(
      `payload limit ${maxPayload} is below the protocol's ${MIN_PAYLOAD_LIMIT}`,
    );
  r.u16();
  const clockHz = r.u32();
  const formatVersion = r.u32();
  const packageCapacity = r.u32();
  const arenaCapacity = r.u32();
  const profileCapacity = r.u32();
  const kernelCount = r.u32();
  const model = { inputs: r.u32(), outputs: r.u32(), layers: r.u32(), tensors: r.u32() };
  const name = r.str();
  const core = r.str();
  const buildId = r.str();
  r.end();
  return {
    protocolVersion,
    name,
    core,
    buildId,
    clockHz,
    formatVersion,
    packageCapacity,
    arenaCapacity,
    profileCapacity,
    maxPayload,
    numCounters,
    kernelCount,
    hardReset: (flags & INFO_HARD_RESET) !== 0,
    model: flags & INFO_MODEL_LOADED ? model : null,
  };
}

// ---- KERNELS ----

export const kernelsRequest = (first: number): Uint8Array => words(first);

export function parseKernels(p: Uint8Array): { total: number; ids: number[] } {
  const r = new Reader(p);
  const total = r.u32();
  const n = r.u16();
  r.u16();
  if (p.length !== 8 + 2 * n) throw new BadPayload(`${n} kernel ids in ${p.length} bytes`);
  const ids = Array.from({ length: n }, () => r.u16());
  r.end();
  return { total, ids };
}

// ---- LOAD ----

export const loadBeginRequest = (total: number, crc: number): Uint8Array => words(total, crc);

export const LOAD_CHUNK_HEAD = 4;
export const loadChunkRequest = (offset: number, data: Uint8Array): Uint8Array =>
  concat(words(offset), data);

export interface RuntimeVerdict {
  /** td_status value. */
  status: number;
  /** Layer whose check/eval failed, or null. */
  failedLayer: number | null;
}

const layerOrNull = (v: number): number | null => (v === 0xffffffff ? null : v);

export interface LoadResult extends ModelSummary, RuntimeVerdict {
  arenaRequired: number;
}

export function parseLoadCommit(p: Uint8Array): LoadResult {
  const r = new Reader(p);
  const status = r.u32();
  const failedLayer = layerOrNull(r.u32());
  const out = {
    status,
    failedLayer,
    inputs: r.u32(),
    outputs: r.u32(),
    layers: r.u32(),
    tensors: r.u32(),
    arenaRequired: r.u32(),
  };
  r.end();
  return out;
}

/** LOAD_COMMIT's payload when the answer is CRC_MISMATCH: the CRC the board computed. */
export function parseCrcMismatch(p: Uint8Array): number {
  const r = new Reader(p);
  const crc = r.u32();
  r.end();
  return crc;
}

// ---- SET_INPUT / tensor reads ----

export const SET_INPUT_HEAD = 8;
export const setInputRequest = (index: number, offset: number, data: Uint8Array): Uint8Array =>
  concat(words(index, offset), data);

export const tensorReadRequest = (index: number, offset: number, maxLen: number): Uint8Array =>
  words(index, offset, maxLen);

export interface TensorMeta {
  dtype: PackageDtype;
  shape: number[];
  isConst: boolean;
  bytes: number;
  zeroPoint: number;
  scale: number;
}

export function parseTensorChunk(p: Uint8Array): { meta: TensorMeta; data: Uint8Array } {
  const r = new Reader(p);
  const code = r.u8();
  const dtype = dtypeByCode(code);
  if (dtype === null) throw new BadPayload(`unknown tensor dtype ${code}`);
  const rank = r.u8();
  const flags = r.u8();
  r.u8();
  const bytes = r.u32();
  const zeroPoint = r.i32();
  const scale = r.f32();
  const dims = Array.from({ length: 6 }, () => r.i32());
  if (rank > 6) throw new BadPayload(`tensor rank ${rank} exceeds 6`);
  if (r.at !== TENSOR_META_BYTES) throw new BadPayload('tensor header layout mismatch');
  const data = r.rest();
  return {
    meta: {
      dtype,
      shape: dims.slice(0, rank),
      isConst: (flags & 1) !== 0,
      bytes,
      zeroPoint,
      scale,
    },
    data,
  };
}

// ---- INVOKE ----

export const invokeRequest = (stopAfter: number): Uint8Array => words(stopAfter);

export interface InvokeResult extends RuntimeVerdict {
  layersRun: number;
  /** Layers with a profile record (GET_PROFILE). */
  profileRecords: number;
  /** Sum of the layers' cycle counts (0 without a cycle counter). */
  totalCycles: number;
}

export function parseInvoke(p: Uint8Array): InvokeResult {
  const r = new Reader(p);
  const status = r.u32();
  const failedLayer = layerOrNull(r.u32());
  const layersRun = r.u32();
  const profileRecords = r.u32();
  const lo = r.u32();
  const hi = r.u32();
  r.end();
  return { status, failedLayer, layersRun, profileRecords, totalCycles: hi * 2 ** 32 + lo };
}

// ---- GET_PROFILE ----

export const profileRequest = (first: number, max: number): Uint8Array => {
  const out = new Uint8Array(6);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, first, true);
  dv.setUint16(4, max, true);
  return out;
};

export const PROFILE_HEAD = 12;

export interface ProfileChunk {
  total: number;
  first: number;
  numCounters: number;
  records: number[][];
}

export function parseProfile(p: Uint8Array): ProfileChunk {
  const r = new Reader(p);
  const total = r.u32();
  const first = r.u32();
  const count = r.u16();
  const numCounters = r.u8();
  r.u8();
  if (count > 0 && numCounters === 0) throw new BadPayload(`${count} records without counters`);
  if (p.length !== PROFILE_HEAD + 4 * count * numCounters)
    throw new BadPayload(`${count} records of ${numCounters} counters in ${p.length} bytes`);
  const records = Array.from({ length: count }, () =>
    Array.from({ length: numCounters }, () => r.u32()),
  );
  r.end();
  return { total, first, numCounters, records };
}

/** Name of profile counter slot i ("cyc", ..., "ctr6" beyond the DWT six). */
export const counterName = (i: number): string => COUNTER_NAMES[i] ?? `ctr${i}`;

// ---- RESET ----

export const resetRequest = (mode: number): Uint8Array => Uint8Array.of(mode);
