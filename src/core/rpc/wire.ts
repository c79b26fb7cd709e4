// The board RPC wire format (docs/rpc.md), mirroring firmware/rpc/td_rpc_wire.h:
// change both together and bump RPC_VERSION.

export const RPC_VERSION = 1;

/** Decoded frame: header, payload, CRC-32 of header + payload. */
export const HEADER_BYTES = 8;
export const CRC_BYTES = 4;
/** The largest payload a frame can carry (u16 length field). */
export const MAX_PAYLOAD_LIMIT = 0xffff;
/** The smallest payload limit a server may advertise. */
export const MIN_PAYLOAD_LIMIT = 128;

export const MsgType = {
  INFO: 0x01,
  ECHO: 0x02,
  KERNELS: 0x03,
  LOAD_BEGIN: 0x10,
  LOAD_CHUNK: 0x11,
  LOAD_COMMIT: 0x12,
  SET_INPUT: 0x20,
  INVOKE: 0x21,
  GET_OUTPUT: 0x22,
  GET_TENSOR: 0x23,
  GET_PROFILE: 0x24,
  GET_INPUT: 0x25,
  RESET: 0x30,
  NAK: 0x7f,
} as const;
export type MsgType = (typeof MsgType)[keyof typeof MsgType];

export const CUSTOM_FIRST = 0x40;
export const CUSTOM_LAST = 0x6f;
/** A response's type is its request's type with this bit set. */
export const RESPONSE_BIT = 0x80;

/** Response flag: the server resent its cached answer to a repeated request. */
export const FLAG_REPLAY = 0x01;

/** td_rpc_status, by value. */
export const WireStatus = {
  OK: 0,
  BAD_FRAME: 1,
  BAD_VERSION: 2,
  UNKNOWN_TYPE: 3,
  BAD_REQUEST: 4,
  BAD_STATE: 5,
  OUT_OF_RANGE: 6,
  TOO_LARGE: 7,
  CRC_MISMATCH: 8,
  RUNTIME: 9,
  UNSUPPORTED: 10,
} as const;
export type WireStatusName = keyof typeof WireStatus;

const STATUS_NAMES = Object.fromEntries(
  Object.entries(WireStatus).map(([k, v]) => [v, k as WireStatusName]),
) as Record<number, WireStatusName>;

/** The status's name, or null for a value this client does not know. */
export function wireStatusName(value: number): WireStatusName | null {
  return STATUS_NAMES[value] ?? null;
}

const TYPE_NAMES = Object.fromEntries(Object.entries(MsgType).map(([k, v]) => [v, k])) as Record<
  number,
  string
>;

/** A request type's name for messages ("LOAD_CHUNK", "CUSTOM_0x41"). */
export function typeName(type: number): string {
  const t = type & ~RESPONSE_BIT;
  return (
    TYPE_NAMES[t] ??
    `${t >= CUSTOM_FIRST && t <= CUSTOM_LAST ? 'CUSTOM' : 'TYPE'}_0x${t.toString(16)}`
  );
}

/** INVOKE: run every layer. */
export const ALL_LAYERS = 0xffffffff;
export const RESET_SOFT = 0;
export const RESET_HARD = 1;
export const INFO_MODEL_LOADED = 0x01;
export const INFO_HARD_RESET = 0x02;
/** Longest board string INFO carries; longer ones arrive truncated. */
export const INFO_STRING_MAX = 24;

/**
 * Profile counter slots in record order: cycles, the DWT event counters, then
 * (boards with a cache monitor) the cache counters in the profile CSV's order.
 */
export const COUNTER_NAMES = [
  'cyc',
  'cpi',
  'exc',
  'sleep',
  'lsu',
  'fold',
  'daccess',
  'dtaglookup',
  'dhitslookup',
  'dhitsline',
  'iaccess',
  'itaglookup',
  'ihitslookup',
  'ihitsline',
] as const;

/** Fixed part of a GET_TENSOR/GET_OUTPUT/GET_INPUT response before the data. */
export const TENSOR_META_BYTES = 40;

/** td_status names by value (firmware/runtime/include/td_runtime.h). */
export const TD_STATUS_NAMES = [
  'TD_OK',
  'TD_ERR_BAD_MAGIC',
  'TD_ERR_BAD_VERSION',
  'TD_ERR_BAD_CRC',
  'TD_ERR_TRUNCATED',
  'TD_ERR_OUT_OF_BOUNDS',
  'TD_ERR_BAD_TENSOR',
  'TD_ERR_BAD_OP',
  'TD_ERR_UNKNOWN_KERNEL',
  'TD_ERR_BAD_PARAMS',
  'TD_ERR_ARENA_TOO_SMALL',
  'TD_ERR_NOT_READY',
  'TD_ERR_BAD_INDEX',
  'TD_ERR_ALIGNMENT',
] as const;

export function tdStatusName(value: number): string {
  return TD_STATUS_NAMES[value] ?? `TD_STATUS_${value}`;
}
