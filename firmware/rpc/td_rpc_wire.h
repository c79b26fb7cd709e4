/*
 * TinyDeploy board RPC: the wire format (docs/rpc.md). Shared by the
 * server (td_rpc.c) and mirrored by the TypeScript client
 * (src/core/rpc/wire.ts): change both together, and bump the version.
 */
#ifndef TD_RPC_WIRE_H
#define TD_RPC_WIRE_H

#define TD_RPC_VERSION 1u

/* Decoded frame: 8-byte header, payload, CRC-32 of header + payload. */
#define TD_RPC_HEADER_BYTES 8u
#define TD_RPC_CRC_BYTES 4u
enum {
  TD_RPC_H_VERSION = 0, /* u8  */
  TD_RPC_H_TYPE = 1,    /* u8: request type; responses set bit 7 */
  TD_RPC_H_FLAGS = 2,   /* u8 */
  TD_RPC_H_STATUS = 3,  /* u8: td_rpc_status in responses, 0 in requests */
  TD_RPC_H_SEQ = 4,     /* u16 LE */
  TD_RPC_H_LENGTH = 6   /* u16 LE: payload bytes */
};

/* Request types. A response has the request's type | TD_RPC_RESPONSE. */
typedef enum {
  TD_RPC_INFO = 0x01,
  TD_RPC_ECHO = 0x02,
  TD_RPC_KERNELS = 0x03,
  TD_RPC_LOAD_BEGIN = 0x10,
  TD_RPC_LOAD_CHUNK = 0x11,
  TD_RPC_LOAD_COMMIT = 0x12,
  TD_RPC_SET_INPUT = 0x20,
  TD_RPC_INVOKE = 0x21,
  TD_RPC_GET_OUTPUT = 0x22,
  TD_RPC_GET_TENSOR = 0x23,
  TD_RPC_GET_PROFILE = 0x24,
  TD_RPC_GET_INPUT = 0x25,
  TD_RPC_RESET = 0x30,
  TD_RPC_CUSTOM_FIRST = 0x40, /* 0x40..0x6F: the board's own requests */
  TD_RPC_CUSTOM_LAST = 0x6F,
  TD_RPC_NAK = 0x7F /* server -> client only: a frame arrived damaged */
} td_rpc_type;

#define TD_RPC_RESPONSE 0x80u

/* Response flags. */
#define TD_RPC_FLAG_REPLAY 0x01u /* a repeated request: the cached response, not re-executed */

typedef enum {
  TD_RPC_OK = 0,
  TD_RPC_BAD_FRAME = 1,    /* NAK: CRC, length or COBS error; resend */
  TD_RPC_BAD_VERSION = 2,  /* protocol version not this server's */
  TD_RPC_UNKNOWN_TYPE = 3,
  TD_RPC_BAD_REQUEST = 4,  /* payload too short, too long or malformed */
  TD_RPC_BAD_STATE = 5,    /* e.g. a chunk without LOAD_BEGIN, INVOKE without a model */
  TD_RPC_OUT_OF_RANGE = 6, /* index, offset or length outside the target */
  TD_RPC_TOO_LARGE = 7,    /* package larger than the board's package region */
  TD_RPC_CRC_MISMATCH = 8, /* committed package does not match LOAD_BEGIN's CRC */
  TD_RPC_RUNTIME = 9,      /* td_load/td_invoke failed: td_status in the payload */
  TD_RPC_UNSUPPORTED = 10  /* the board lacks what this needs (e.g. hard reset) */
} td_rpc_status;

/* INVOKE: run every layer. */
#define TD_RPC_ALL_LAYERS 0xFFFFFFFFu
/* RESET modes. */
#define TD_RPC_RESET_SOFT 0u
#define TD_RPC_RESET_HARD 1u
/* INFO flags. */
#define TD_RPC_INFO_MODEL_LOADED 0x01u
#define TD_RPC_INFO_HARD_RESET 0x02u
/* Longest board string INFO carries (longer ones are truncated), and the
 * smallest payload limit a server may advertise (INFO must fit). */
#define TD_RPC_INFO_STRING_MAX 24u
#define TD_RPC_MIN_PAYLOAD 128u
/* Fixed part of a tensor read response (GET_TENSOR/OUTPUT/INPUT). */
#define TD_RPC_TENSOR_META_BYTES 40u

/* Profile counter slots, in record order (DWT names). */
enum {
  TD_RPC_CTR_CYC = 0,
  TD_RPC_CTR_CPI = 1,
  TD_RPC_CTR_EXC = 2,
  TD_RPC_CTR_SLEEP = 3,
  TD_RPC_CTR_LSU = 4,
  TD_RPC_CTR_FOLD = 5
};

#endif
