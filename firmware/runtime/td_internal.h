/*
 * Runtime-private: the package's byte layout (docs/model-package.md) and
 * the helpers td_load/td_invoke/accessors share. Not for kernels.
 */
#ifndef TD_INTERNAL_H
#define TD_INTERNAL_H

#include "td_runtime.h"

/* Header: sixteen little-endian u32 words. */
enum {
  TD_H_MAGIC = 0,
  TD_H_VERSION = 4,
  TD_H_CRC = 8,
  TD_H_TOTAL_BYTES = 12,
  TD_H_NUM_TENSORS = 16,
  TD_H_NUM_OPS = 20,
  TD_H_NUM_INPUTS = 24,
  TD_H_NUM_OUTPUTS = 28,
  TD_H_TENSORS_OFFSET = 32,
  TD_H_OPS_OFFSET = 36,
  TD_H_OPS_BYTES = 40,
  TD_H_IO_OFFSET = 44,
  TD_H_CONST_OFFSET = 48,
  TD_H_CONST_BYTES = 52,
  TD_H_ARENA_BYTES = 56,
  TD_H_SCRATCH_BYTES = 60
};

/* Tensor record: 48 bytes. */
enum {
  TD_T_DTYPE = 0,
  TD_T_RANK = 1,
  TD_T_FLAGS = 2,
  TD_T_DIMS = 4,
  TD_T_OFFSET = 28,
  TD_T_BYTES = 32,
  TD_T_ZERO_POINT = 36,
  TD_T_SCALE = 40,
  TD_T_SOURCE = 44,
  TD_TENSOR_RECORD_BYTES = 48
};

/* Flags: exactly CONST, ARENA, or ARENA|STATE (a variable tensor whose
 * bytes carry over between invocations; zeroed by td_load/td_reset_state). */
enum { TD_TENSOR_CONST = 1u, TD_TENSOR_ARENA = 2u, TD_TENSOR_STATE = 4u };

/* Op record: 12-byte head, then i32 inputs, i32 outputs, u32 params,
 * and (u32 word, u32 bytes) pairs naming the params that are arrays. */
enum { TD_OP_HEAD_BYTES = 12, TD_MAX_PARAM_WORDS = 0xFFFF / 4 };

static inline uint32_t td_rd16(const uint8_t *p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8); }

static inline uint32_t td_rd32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Two's complement without implementation-defined conversion. */
static inline int32_t td_rdi32(const uint8_t *p) {
  uint32_t u = td_rd32(p);
  return u <= 0x7FFFFFFFu ? (int32_t)u : -(int32_t)(~u) - 1;
}

/* One op record, decoded (pointers into the package). */
typedef struct {
  uint16_t kernel_id;
  uint8_t num_inputs;
  uint8_t num_outputs;
  uint32_t source_op;
  uint32_t num_params;
  uint32_t num_arrays;
  const uint8_t *inputs;  /* num_inputs i32 */
  const uint8_t *outputs; /* num_outputs i32 */
  const uint8_t *params;  /* num_params words */
  const uint8_t *arrays;  /* num_arrays (word, bytes) pairs */
  uint32_t record_bytes;
} td_op_view;

/* Decodes the record at p (avail bytes left in the op section). Checks
 * only that the record fits; td_load checks what it refers to. */
td_status td_read_op(const uint8_t *p, uint32_t avail, td_op_view *op);

/* Per-op context storage, on the caller's stack. */
typedef struct {
  td_tensor tensors[TD_MAX_OP_INPUTS + TD_MAX_OP_OUTPUTS];
  const td_tensor *in[TD_MAX_OP_INPUTS];
  td_tensor *out[TD_MAX_OP_OUTPUTS];
  td_op_ctx ctx;
} td_op_frame;

/* Resolves an (already validated) op's tensors into a kernel context. */
void td_bind_op(const td_model *m, const td_op_view *op, td_op_frame *f);

/* Resolves tensor record i (already validated) to a tensor view. */
void td_decode_tensor(const td_model *m, uint32_t i, td_tensor *t);

#endif
