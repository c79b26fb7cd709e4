/*
 * TinyDeploy runtime: executes a model package (docs/model-package.md).
 * C99, no dynamic allocation, nothing from libc beyond memcpy/memset.
 * Every set-up computation (requantisation multipliers, clamps, padding,
 * tables) is done on the host and stored in the package, so kernels only loop.
 */
#ifndef TD_RUNTIME_H
#define TD_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TD_MAX_RANK 6

typedef enum {
  TD_OK = 0,
  TD_ERR_BAD_MAGIC = 1,
  TD_ERR_BAD_VERSION = 2,
  TD_ERR_BAD_CRC = 3,
  TD_ERR_TRUNCATED = 4,
  TD_ERR_OUT_OF_BOUNDS = 5,     /* an offset or size points outside its region */
  TD_ERR_BAD_TENSOR = 6,        /* dtype, rank or byte size inconsistent */
  TD_ERR_BAD_OP = 7,            /* op record malformed */
  TD_ERR_UNKNOWN_KERNEL = 8,    /* kernel id not compiled into this runtime */
  TD_ERR_BAD_PARAMS = 9,        /* kernel rejected its params or tensor shapes */
  TD_ERR_ARENA_TOO_SMALL = 10,  /* caller's arena smaller than the package needs */
  TD_ERR_NOT_READY = 11,        /* invoke before a successful load */
  TD_ERR_BAD_INDEX = 12,        /* input/output index out of range */
  TD_ERR_ALIGNMENT = 13
} td_status;

typedef enum {
  TD_FLOAT32 = 0,
  TD_INT32 = 2,
  TD_UINT8 = 3,
  TD_INT64 = 4,
  TD_BOOL = 6,
  TD_INT16 = 7,
  TD_INT8 = 9
} td_dtype; /* values equal TFLite's TensorType */

/* A tensor as kernels see it: data already resolved to arena or constants. */
typedef struct {
  void *data;
  int32_t dims[TD_MAX_RANK];
  uint8_t rank;
  uint8_t dtype;
  uint8_t is_const;
  uint8_t reserved;
  uint32_t bytes;
  int32_t zero_point; /* per-tensor; per-channel data sits in op params */
  float scale;
} td_tensor;

/* What a kernel gets: its tensors, its host-computed params, scratch. */
typedef struct {
  const td_tensor *const *inputs; /* NULL entry = omitted optional input */
  td_tensor *const *outputs;
  uint8_t num_inputs;
  uint8_t num_outputs;
  uint16_t params_bytes;
  const void *params;            /* 4-byte aligned; layout per kernel */
  const uint8_t *const_data;     /* package constant region, for params that reference arrays */
  uint32_t const_bytes;
  void *scratch;                 /* shared scratch buffer (package scratch size) */
  uint32_t scratch_bytes;
} td_op_ctx;

/* check: run once at load; must reject anything the eval could misbehave on. */
typedef td_status (*td_check_fn)(const td_op_ctx *ctx);
typedef td_status (*td_eval_fn)(const td_op_ctx *ctx);

typedef struct {
  uint16_t id;
  const char *name;
  td_check_fn check;
  td_eval_fn eval;
} td_kernel;

#ifdef __cplusplus
}
#endif

#endif
