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

/* ---- Model package API (added by the runtime core; see docs/model-package.md) ---- */

#define TD_FORMAT_VERSION 1u
#define TD_HEADER_BYTES 64u
#define TD_ALIGN 16u /* package, arena, constant and arena tensor offsets */

/* Per-op tensor limits: contexts are built on the stack at invoke time,
 * so these bound the stack use (about (in + out) * sizeof(td_tensor)). */
#ifndef TD_MAX_OP_INPUTS
#define TD_MAX_OP_INPUTS 24
#endif
#ifndef TD_MAX_OP_OUTPUTS
#define TD_MAX_OP_OUTPUTS 4
#endif
#define TD_MAX_DIM (1 << 24)

/* A loaded model: views into the caller's package and arena, nothing owned.
 * Fields are private to the runtime; use the accessors below. */
typedef struct {
  const uint8_t *pkg;
  const uint8_t *tensors;   /* tensor table */
  const uint8_t *ops;       /* op records */
  const uint8_t *io;        /* input then output tensor indices */
  const uint8_t *const_data;
  uint8_t *arena;
  uint8_t *scratch;
  uint32_t num_tensors, num_ops, num_inputs, num_outputs;
  uint32_t ops_bytes, const_bytes, arena_bytes, scratch_bytes;
  uint32_t failed_layer;    /* layer whose check/eval failed, or UINT32_MAX */
  uint8_t ready;
} td_model;

/* Called around every layer (op) by td_invoke and td_invoke_range:
 * profiling, tensor dumps. `layer` is the layer's index in the model. */
typedef struct {
  void (*before)(void *user, uint32_t layer);
  void (*after)(void *user, uint32_t layer);
  void *user;
} td_hooks;

/* Bytes the caller's arena needs: tensor arena (rounded to TD_ALIGN) + scratch.
 * Reads the header only; td_load does the full validation. */
td_status td_arena_required(const void *pkg, size_t len, size_t *bytes);

/* Validates the whole package (format, bounds, every kernel's check) before
 * accepting it. pkg and arena must be TD_ALIGN-aligned and outlive the model. */
td_status td_load(const void *pkg, size_t len, void *arena, size_t arena_len, td_model *out);

/* Runs every layer in order. hooks may be NULL. Stops at the first failing
 * kernel (its layer index is left in model->failed_layer). */
td_status td_invoke(td_model *model, const td_hooks *hooks);

/* Runs layers first ..= last (package order) and stops: layer-by-layer
 * debugging reads a layer's outputs before the arena reuses them. Layers
 * before `first` are not run, so their outputs are whatever the arena
 * holds. TD_ERR_BAD_INDEX (nothing run) unless first <= last < layers;
 * otherwise as td_invoke. */
td_status td_invoke_range(td_model *model, uint32_t first, uint32_t last, const td_hooks *hooks);

/* Zeroes the state (variable) tensors, as td_load does: starts a new
 * sequence for recurrent models. */
void td_reset_state(td_model *model);

uint32_t td_num_inputs(const td_model *model);
uint32_t td_num_outputs(const td_model *model);
uint32_t td_num_layers(const td_model *model);
uint32_t td_num_tensors(const td_model *model);

/* Fill *out with a view of a tensor (data points into arena or constants). */
td_status td_input(const td_model *model, uint32_t index, td_tensor *out);
td_status td_output(const td_model *model, uint32_t index, td_tensor *out);
td_status td_tensor_at(const td_model *model, uint32_t tensor_index, td_tensor *out);

/* A layer (op) for profiling and debugging: its kernel, the TFLite operator
 * it came from, and its outputs (as package tensor indices). */
typedef struct {
  uint16_t kernel_id;
  uint8_t num_inputs;
  uint8_t num_outputs;
  uint32_t source_op;
  int32_t inputs[TD_MAX_OP_INPUTS];   /* -1 = omitted */
  int32_t outputs[TD_MAX_OP_OUTPUTS];
} td_layer_info;
td_status td_layer(const td_model *model, uint32_t layer, td_layer_info *out);

/* Kernels compiled into this runtime (td_kernel_table.c). */
const td_kernel *td_find_kernel(uint16_t id);
uint32_t td_kernel_count(void);
const td_kernel *td_kernel_at(uint32_t index);

const char *td_status_name(td_status status);

/* For kernels' check functions: a param word that is an offset into the
 * constant region, resolved to a pointer if `bytes` from there fit (and the
 * offset is TD_ALIGN-aligned); NULL otherwise. */
const void *td_param_array(const td_op_ctx *ctx, uint32_t word, uint32_t bytes);

/* Size in bytes of one element of a dtype, 0 if unknown. */
uint32_t td_dtype_size(uint8_t dtype);

/* CRC-32 (IEEE 802.3, reflected, as zlib): crc = td_crc32(0, p, n), and
 * incrementally crc = td_crc32(crc, more, m). */
uint32_t td_crc32(uint32_t crc, const void *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif
