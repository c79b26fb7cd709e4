/* Names for status codes and element sizes for dtypes: small lookups the
 * runner, the RPC server and kernels share. */
#include "td_runtime.h"

const char *td_status_name(td_status status) {
  switch (status) {
    case TD_OK: return "TD_OK";
    case TD_ERR_BAD_MAGIC: return "TD_ERR_BAD_MAGIC";
    case TD_ERR_BAD_VERSION: return "TD_ERR_BAD_VERSION";
    case TD_ERR_BAD_CRC: return "TD_ERR_BAD_CRC";
    case TD_ERR_TRUNCATED: return "TD_ERR_TRUNCATED";
    case TD_ERR_OUT_OF_BOUNDS: return "TD_ERR_OUT_OF_BOUNDS";
    case TD_ERR_BAD_TENSOR: return "TD_ERR_BAD_TENSOR";
    case TD_ERR_BAD_OP: return "TD_ERR_BAD_OP";
    case TD_ERR_UNKNOWN_KERNEL: return "TD_ERR_UNKNOWN_KERNEL";
    case TD_ERR_BAD_PARAMS: return "TD_ERR_BAD_PARAMS";
    case TD_ERR_ARENA_TOO_SMALL: return "TD_ERR_ARENA_TOO_SMALL";
    case TD_ERR_NOT_READY: return "TD_ERR_NOT_READY";
    case TD_ERR_BAD_INDEX: return "TD_ERR_BAD_INDEX";
    case TD_ERR_ALIGNMENT: return "TD_ERR_ALIGNMENT";
  }
  return "TD_ERR_UNKNOWN";
}

uint32_t td_dtype_size(uint8_t dtype) {
  switch (dtype) {
    case TD_FLOAT32: return 4;
    case TD_INT32: return 4;
    case TD_UINT8: return 1;
    case TD_INT64: return 8;
    case TD_BOOL: return 1;
    case TD_INT16: return 2;
    case TD_INT8: return 1;
    default: return 0;
  }
}
