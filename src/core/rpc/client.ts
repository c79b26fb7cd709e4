// BoardClient: what the app and the CLI use to drive a board over any
// transport. Large transfers (package upload, inputs, outputs, profiles)
// are split into chunks that fit the board's frame size; each chunk is a
// request of its own, retried on its own.
import { crc32 } from '../package/crc32.ts';
import type { Transport } from '../transport/transport.ts';
import { RpcChannel, type ChannelOptions, type ChannelStats } from './channel.ts';
import { RpcError } from './errors.ts';
import type { Frame } from './frame.ts';
import {
  BadPayload,
  counterName,
  invokeRequest,
  kernelsRequest,
  LOAD_CHUNK_HEAD,
  loadBeginRequest,
  loadChunkRequest,
  parseCrcMismatch,
  parseInfo,
  parseInvoke,
  parseKernels,
  parseLoadCommit,
  parseProfile,
  parseTensorChunk,
  PROFILE_HEAD,
  profileRequest,
  resetRequest,
  SET_INPUT_HEAD,
  setInputRequest,
  tensorReadRequest,
  type BoardInfo,
  type InvokeResult,
  type LoadResult,
  type TensorMeta,
} from './messages.ts';
import {
  ALL_LAYERS,
  CUSTOM_FIRST,
  CUSTOM_LAST,
  MAX_PAYLOAD_LIMIT,
  MsgType,
  RESET_HARD,
  RESET_SOFT,
  TENSOR_META_BYTES,
  tdStatusName,
  typeName,
  WireStatus,
  wireStatusName,
} from './wire.ts';

export type { BoardInfo, InvokeResult, LoadResult, TensorMeta } from './messages.ts';

export interface BoardClientOptions extends ChannelOptions {
  /** Timeout for INVOKE, which runs the whole model (ms). */
  invokeTimeoutMs?: number;
  /** Cap on frame payloads below the board's own limit (e.g. for a slow link). */
  maxPayload?: number;
}

export interface TensorData extends TensorMeta {
  data: Uint8Array;
}

export interface Profile {
  /** Counter names, in the order of each record's values ("cyc", "cpi", ...). */
  counters: string[];
  /** One record per profiled layer, in layer order. */
  layers: { layer: number; values: number[] }[];
}

export interface InvokeOptions {
  /** Stop after this layer: its outputs (and any tensor not yet overwritten) stay readable. */
  stopAfterLayer?: number;
}

export type LoadProgress = (sentBytes: number, totalBytes: number) => void;

const PKG_ARENA_BYTES = 56;
const PKG_SCRATCH_BYTES = 60;
const PKG_HEADER_BYTES = 64;

export class BoardClient {
  private readonly channel: RpcChannel;
  private readonly invokeTimeoutMs: number;
  private readonly payloadCap: number;
  private board: BoardInfo | null = null;

  constructor(transport: Transport, options: BoardClientOptions = {}) {
    this.channel = new RpcChannel(transport, options);
    this.invokeTimeoutMs = options.invokeTimeoutMs ?? 30_000;
    this.payloadCap = Math.min(options.maxPayload ?? MAX_PAYLOAD_LIMIT, MAX_PAYLOAD_LIMIT);
  }

  get stats(): ChannelStats {
    return this.channel.stats;
  }

  async info(): Promise<BoardInfo> {
    const f = await this.call(MsgType.INFO, new Uint8Array(0), 'INFO');
    this.board = this.parse(f, 'INFO', parseInfo);
    return this.board;
  }

  /** Kernel ids compiled into the board's runtime. */
  async kernels(): Promise<number[]> {
    const ids: number[] = [];
    for (;;) {
      const label = `KERNELS from ${ids.length}`;
      const f = await this.call(MsgType.KERNELS, kernelsRequest(ids.length), label);
      const r = this.parse(f, label, parseKernels);
      if (r.total > 0xffff) throw new RpcError('BAD_RESPONSE', `${label}: ${r.total} kernels`);
      ids.push(...r.ids);
      if (ids.length >= r.total) return ids;
      if (r.ids.length === 0) throw new RpcError('BAD_RESPONSE', `${label}: board sent no kernels`);
    }
  }

  async echo(bytes: Uint8Array): Promise<Uint8Array> {
    const f = await this.call(MsgType.ECHO, bytes, `ECHO of ${bytes.length} bytes`);
    return f.payload;
  }

  /** Uploads a package and loads it (td_load on the board). */
  async loadPackage(pkg: Uint8Array, onProgress?: LoadProgress): Promise<LoadResult> {
    const board = await this.boardInfo();
    this.checkFits(pkg, board);
    const crc = crc32(pkg);
    await this.call(MsgType.LOAD_BEGIN, loadBeginRequest(pkg.length, crc), 'LOAD_PACKAGE begin');
    const step = this.payload(board) - LOAD_CHUNK_HEAD;
    const chunks = Math.ceil(pkg.length / step);
    onProgress?.(0, pkg.length);
    for (let k = 0; k < chunks; k++) {
      const at = k * step;
      const data = pkg.subarray(at, Math.min(at + step, pkg.length));
      await this.call(
        MsgType.LOAD_CHUNK,
        loadChunkRequest(at, data),
        `LOAD_PACKAGE chunk ${k + 1}/${chunks}`,
      );
      onProgress?.(at + data.length, pkg.length);
    }
    const label = 'LOAD_PACKAGE commit';
    const f = await this.channel.request(MsgType.LOAD_COMMIT, new Uint8Array(0), {
      label,
      timeoutMs: this.invokeTimeoutMs, // td_load checks every kernel: not instant on a board
    });
    if (f.status === WireStatus.CRC_MISMATCH) {
      const got = this.parse(f, label, parseCrcMismatch);
      throw new RpcError(
        'CRC_MISMATCH',
        `${label}: the board holds a package with CRC 0x${got.toString(16)}, expected 0x${crc.toString(16)}`,
      );
    }
    if (f.status === WireStatus.OK || f.status === WireStatus.RUNTIME) {
      const r = this.parse(f, label, parseLoadCommit);
      if (f.status === WireStatus.RUNTIME) throw runtimeError(label, 'td_load', r);
      if (this.board) this.board = { ...this.board, model: r };
      return r;
    }
    throw this.statusError(f, label);
  }

  /** Writes input `index` (its exact byte size). */
  async setInput(index: number, bytes: Uint8Array): Promise<void> {
    const meta = await this.getInputMeta(index);
    if (bytes.length !== meta.bytes)
      throw new RpcError(
        'ARGUMENT',
        `SET_INPUT ${index}: input is ${meta.bytes} bytes, got ${bytes.length}`,
      );
    const step = this.payload(await this.boardInfo()) - SET_INPUT_HEAD;
    const chunks = Math.max(1, Math.ceil(bytes.length / step));
    for (let k = 0; k < chunks; k++) {
      const at = k * step;
      const data = bytes.subarray(at, Math.min(at + step, bytes.length));
      await this.call(
        MsgType.SET_INPUT,
        setInputRequest(index, at, data),
        `SET_INPUT ${index} chunk ${k + 1}/${chunks}`,
      );
    }
  }

  /** Runs the model (or its first layers, for layer-by-layer debugging). */
  async invoke(options: InvokeOptions = {}): Promise<InvokeResult> {
    const stop = options.stopAfterLayer ?? ALL_LAYERS;
    const label = stop === ALL_LAYERS ? 'INVOKE' : `INVOKE up to layer ${stop}`;
    const f = await this.channel.request(MsgType.INVOKE, invokeRequest(stop), {
      label,
      timeoutMs: this.invokeTimeoutMs,
    });
    if (f.status !== WireStatus.OK && f.status !== WireStatus.RUNTIME)
      throw this.statusError(f, label);
    const r = this.parse(f, label, parseInvoke);
    if (f.status === WireStatus.RUNTIME) throw runtimeError(label, 'td_invoke', r);
    return r;
  }

  getInput(index: number): Promise<TensorData> {
    return this.readTensor(MsgType.GET_INPUT, index, `GET_INPUT ${index}`);
  }

  getOutput(index: number): Promise<TensorData> {
    return this.readTensor(MsgType.GET_OUTPUT, index, `GET_OUTPUT ${index}`);
  }

  /** Any tensor of the package by its index (constants, or arena bytes as the last invoke left them). */
  getTensor(index: number): Promise<TensorData> {
    return this.readTensor(MsgType.GET_TENSOR, index, `GET_TENSOR ${index}`);
  }

  /** The per-layer counters of the last invoke. */
  async getProfile(): Promise<Profile> {
    const board = await this.boardInfo();
    const layers: Profile['layers'] = [];
    let numCounters = board.numCounters;
    let total = Infinity;
    while (layers.length < total) {
      const per = Math.max(
        1,
        Math.floor((this.payload(board) - PROFILE_HEAD) / (4 * Math.max(1, numCounters))),
      );
      const label = `GET_PROFILE from layer ${layers.length}`;
      const f = await this.call(
        MsgType.GET_PROFILE,
        profileRequest(layers.length, Math.min(per, 0xffff)),
        label,
      );
      const r = this.parse(f, label, parseProfile);
      if (
        r.first !== layers.length ||
        r.records.length > per ||
        r.total > board.profileCapacity ||
        (r.records.length === 0 && r.total > layers.length)
      )
        throw new RpcError(
          'BAD_RESPONSE',
          `${label}: board answered from layer ${r.first} with ${r.records.length} records`,
        );
      total = r.total;
      numCounters = r.numCounters;
      r.records.forEach((values, i) => layers.push({ layer: r.first + i, values }));
    }
    return { counters: Array.from({ length: numCounters }, (_, i) => counterName(i)), layers };
  }

  /** A board-defined request (type 0x40..0x6F); resolves with its answer's payload. */
  async custom(type: number, payload: Uint8Array): Promise<Uint8Array> {
    if (!Number.isInteger(type) || type < CUSTOM_FIRST || type > CUSTOM_LAST)
      throw new RpcError('ARGUMENT', `custom request type ${type} is outside 0x40..0x6f`);
    return (await this.call(type, payload, typeName(type))).payload;
  }

  /** Soft: unloads the model and clears state. Hard: the board resets itself. */
  async reset(hard = false): Promise<void> {
    const label = hard ? 'RESET (hard)' : 'RESET';
    await this.call(MsgType.RESET, resetRequest(hard ? RESET_HARD : RESET_SOFT), label);
    if (this.board) this.board = { ...this.board, model: null };
  }

  close(): Promise<void> {
    return this.channel.close();
  }

  // ---- internals ----

  private async boardInfo(): Promise<BoardInfo> {
    return this.board ?? (await this.info());
  }

  private payload(board: BoardInfo): number {
    return Math.min(board.maxPayload, this.payloadCap);
  }

  private checkFits(pkg: Uint8Array, board: BoardInfo): void {
    if (pkg.length > board.packageCapacity)
      throw new RpcError(
        'TOO_LARGE',
        `LOAD_PACKAGE: package is ${pkg.length} bytes, the board holds at most ${board.packageCapacity}`,
      );
    if (pkg.length >= PKG_HEADER_BYTES) {
      const dv = new DataView(pkg.buffer, pkg.byteOffset, pkg.byteLength);
      const need =
        Math.ceil(dv.getUint32(PKG_ARENA_BYTES, true) / 16) * 16 +
        dv.getUint32(PKG_SCRATCH_BYTES, true);
      if (need > board.arenaCapacity)
        throw new RpcError(
          'TOO_LARGE',
          `LOAD_PACKAGE: the model needs ${need} bytes of arena, the board has ${board.arenaCapacity}`,
        );
    }
  }

  private async getInputMeta(index: number): Promise<TensorMeta> {
    const label = `GET_INPUT ${index} (size)`;
    const f = await this.call(MsgType.GET_INPUT, tensorReadRequest(index, 0, 0), label);
    return this.parse(f, label, parseTensorChunk).meta;
  }

  private async readTensor(type: number, index: number, what: string): Promise<TensorData> {
    const step = this.payload(await this.boardInfo()) - TENSOR_META_BYTES;
    const chunk = async (at: number, label: string) => {
      const f = await this.call(type, tensorReadRequest(index, at, step), label);
      return this.parse(f, label, parseTensorChunk);
    };
    const first = await chunk(0, `${what} chunk 1`);
    const meta = first.meta;
    const board = await this.boardInfo();
    if (meta.bytes > Math.max(board.arenaCapacity, board.packageCapacity))
      throw new RpcError('BAD_RESPONSE', `${what}: board reports a tensor of ${meta.bytes} bytes`);
    const chunks = Math.max(1, Math.ceil(meta.bytes / step));
    const data = new Uint8Array(meta.bytes);
    let at = 0;
    for (let k = 0, r = first; ;) {
      const label = `${what} chunk ${k + 1}/${chunks}`;
      if (r.meta.bytes !== meta.bytes)
        throw new RpcError('BAD_RESPONSE', `${label}: tensor size changed between chunks`);
      if (at + r.data.length > meta.bytes || (r.data.length === 0 && at < meta.bytes))
        throw new RpcError(
          'BAD_RESPONSE',
          `${label}: board sent ${r.data.length} bytes at offset ${at} of ${meta.bytes}`,
        );
      data.set(r.data, at);
      at += r.data.length;
      if (at >= meta.bytes) return { ...meta, data };
      k++;
      r = await chunk(at, `${what} chunk ${k + 1}/${chunks}`);
    }
  }

  /** A request whose answer must be OK. */
  private async call(type: number, payload: Uint8Array, label: string): Promise<Frame> {
    const f = await this.channel.request(type, payload, { label });
    if (f.status !== WireStatus.OK) throw this.statusError(f, label);
    return f;
  }

  private statusError(f: Frame, label: string): RpcError {
    const name = wireStatusName(f.status);
    if (name === null || name === 'OK' || name === 'BAD_FRAME')
      return new RpcError('BAD_RESPONSE', `${label}: board answered with status ${f.status}`);
    return new RpcError(name, `${label}: board answered ${name}${STATUS_HINTS[name] ?? ''}`);
  }

  private parse<T>(f: Frame, label: string, parser: (p: Uint8Array) => T): T {
    try {
      return parser(f.payload);
    } catch (e) {
      if (e instanceof BadPayload) throw new RpcError('BAD_RESPONSE', `${label}: ${e.message}`);
      throw e;
    }
  }
}

const STATUS_HINTS: Partial<Record<string, string>> = {
  BAD_VERSION: ' (the board speaks another protocol version: update the firmware or the app)',
  UNKNOWN_TYPE: ' (the firmware does not implement this request)',
  BAD_STATE: ' (no model loaded, or no upload in progress)',
  OUT_OF_RANGE: ' (index, offset or length outside the target)',
  TOO_LARGE: ' (the package does not fit the board)',
  UNSUPPORTED: ' (the board lacks this feature)',
};

function runtimeError(
  label: string,
  fn: string,
  r: { status: number; failedLayer: number | null },
): RpcError {
  const status = tdStatusName(r.status);
  const at = r.failedLayer === null ? '' : ` at layer ${r.failedLayer}`;
  return new RpcError('RUNTIME', `${label}: ${fn} failed with ${status}${at}`, {
    status,
    layer: r.failedLayer,
  });
}
