/*
 * td_load: accept a package only after every field has been checked, so
 * that no kernel ever runs on a malformed one. The order matters: the
 * header and CRC first (cheap, and they catch transport damage), then each
 * section's bounds, then the records that point into them, then the
 * kernels' own checks, which may rely on everything before.
 * Sizes are compared in 64-bit arithmetic so no sum can wrap.
 */
#include <string.h>

#include "td_internal.h"

#define TRY(expr)                        \
  do {                                   \
    td_status s_ = (expr);               \
    if (s_ != TD_OK) return s_;          \
  } while (0)

static int fits(uint64_t offset, uint64_t size, uint64_t limit) {
  return offset <= limit && size <= limit - offset;
}

/* Caller's arena: tensors, rounded up to TD_ALIGN, then scratch. */
static uint64_t arena_need(uint32_t arena_bytes, uint32_t scratch_bytes) {
  return (((uint64_t)arena_bytes + TD_ALIGN - 1u) & ~(uint64_t)(TD_ALIGN - 1u)) + scratch_bytes;
}

static td_status check_header(const uint8_t *p, size_t len) {
  if (len < TD_HEADER_BYTES) return TD_ERR_TRUNCATED;
  /* Byte by byte: the runtime uses nothing from libc but memcpy/memset. */
  if (p[0] != 'T' || p[1] != 'D' || p[2] != 'P' || p[3] != 'K') return TD_ERR_BAD_MAGIC;
  if (td_rd32(p + TD_H_VERSION) != TD_FORMAT_VERSION) return TD_ERR_BAD_VERSION;
  uint32_t total = td_rd32(p + TD_H_TOTAL_BYTES);
  if (total > len) return TD_ERR_TRUNCATED;
  if (total < TD_HEADER_BYTES) return TD_ERR_OUT_OF_BOUNDS;
  return TD_OK;
}

td_status td_arena_required(const void *pkg, size_t len, size_t *bytes) {
  if (pkg == NULL || bytes == NULL) return TD_ERR_TRUNCATED;
  const uint8_t *p = (const uint8_t *)pkg;
  TRY(check_header(p, len));
  uint64_t need = arena_need(td_rd32(p + TD_H_ARENA_BYTES), td_rd32(p + TD_H_SCRATCH_BYTES));
  if (need > (uint64_t)SIZE_MAX) return TD_ERR_ARENA_TOO_SMALL;
  *bytes = (size_t)need;
  return TD_OK;
}

/* Sections: each inside [header end, total), aligned as the format says. */
static td_status check_sections(const uint8_t *p, td_model *m) {
  uint32_t total = td_rd32(p + TD_H_TOTAL_BYTES);
  uint32_t t_off = td_rd32(p + TD_H_TENSORS_OFFSET);
  uint32_t o_off = td_rd32(p + TD_H_OPS_OFFSET);
  uint32_t io_off = td_rd32(p + TD_H_IO_OFFSET);
  uint32_t c_off = td_rd32(p + TD_H_CONST_OFFSET);
  m->num_tensors = td_rd32(p + TD_H_NUM_TENSORS);
  m->num_ops = td_rd32(p + TD_H_NUM_OPS);
  m->num_inputs = td_rd32(p + TD_H_NUM_INPUTS);
  m->num_outputs = td_rd32(p + TD_H_NUM_OUTPUTS);
  m->ops_bytes = td_rd32(p + TD_H_OPS_BYTES);
  m->const_bytes = td_rd32(p + TD_H_CONST_BYTES);
  m->arena_bytes = td_rd32(p + TD_H_ARENA_BYTES);
  m->scratch_bytes = td_rd32(p + TD_H_SCRATCH_BYTES);

  uint64_t t_size = (uint64_t)m->num_tensors * TD_TENSOR_RECORD_BYTES;
  uint64_t io_size = 4u * ((uint64_t)m->num_inputs + m->num_outputs);
  if (t_off % 4u || o_off % 4u || io_off % 4u || m->ops_bytes % 4u) return TD_ERR_ALIGNMENT;
  if (c_off % TD_ALIGN) return TD_ERR_ALIGNMENT;
  if (t_off < TD_HEADER_BYTES || o_off < TD_HEADER_BYTES || io_off < TD_HEADER_BYTES ||
      c_off < TD_HEADER_BYTES) {
    return TD_ERR_OUT_OF_BOUNDS;
  }
  if (!fits(t_off, t_size, total) || !fits(o_off, m->ops_bytes, total) ||
      !fits(io_off, io_size, total) || !fits(c_off, m->const_bytes, total)) {
    return TD_ERR_OUT_OF_BOUNDS;
  }
  /* Every op has at least a 12-byte head: bounds the op count too. */
  if ((uint64_t)m->num_ops * TD_OP_HEAD_BYTES > m->ops_bytes) return TD_ERR_BAD_OP;
  if (m->num_outputs == 0) return TD_ERR_BAD_INDEX;
  m->tensors = p + t_off;
  m->ops = p + o_off;
  m->io = p + io_off;
  m->const_data = p + c_off;
  return TD_OK;
}

static td_status check_tensor(const td_model *m, const uint8_t *r) {
  uint32_t size = td_dtype_size(r[TD_T_DTYPE]);
  uint32_t rank = r[TD_T_RANK];
  uint32_t flags = r[TD_T_FLAGS];
  if (size == 0 || rank > TD_MAX_RANK || r[3] != 0) return TD_ERR_BAD_TENSOR;
  if (flags != TD_TENSOR_CONST && flags != TD_TENSOR_ARENA &&
      flags != (TD_TENSOR_ARENA | TD_TENSOR_STATE)) {
    return TD_ERR_BAD_TENSOR;
  }
  uint64_t elements = 1;
  for (uint32_t d = 0; d < TD_MAX_RANK; d++) {
    int32_t dim = td_rdi32(r + TD_T_DIMS + 4u * d);
    if (d >= rank) {
      if (dim != 0) return TD_ERR_BAD_TENSOR; /* unused dims are zero: one encoding per tensor */
      continue;
    }
    if (dim < 1 || dim > TD_MAX_DIM) return TD_ERR_BAD_TENSOR;
    elements *= (uint64_t)dim;
    if (elements > UINT32_MAX) return TD_ERR_BAD_TENSOR; /* also keeps the product from wrapping */
  }
  uint32_t bytes = td_rd32(r + TD_T_BYTES);
  if (elements * size != bytes) return TD_ERR_BAD_TENSOR;
  uint32_t offset = td_rd32(r + TD_T_OFFSET);
  if (offset % TD_ALIGN) return TD_ERR_ALIGNMENT;
  uint32_t region = (flags & TD_TENSOR_CONST) ? m->const_bytes : m->arena_bytes;
  if (!fits(offset, bytes, region)) return TD_ERR_OUT_OF_BOUNDS;
  return TD_OK;
}

static int is_arena_tensor(const td_model *m, int32_t t) {
  return t >= 0 && (uint32_t)t < m->num_tensors &&
         (m->tensors[(size_t)t * TD_TENSOR_RECORD_BYTES + TD_T_FLAGS] & TD_TENSOR_ARENA) != 0;
}

/* An op's structure; its kernel's check comes later, once the arena is bound. */
static td_status check_op(const td_model *m, const td_op_view *op) {
  if (td_find_kernel(op->kernel_id) == NULL) return TD_ERR_UNKNOWN_KERNEL;
  if (op->num_inputs > TD_MAX_OP_INPUTS || op->num_outputs > TD_MAX_OP_OUTPUTS ||
      op->num_outputs == 0 || op->num_params > TD_MAX_PARAM_WORDS) {
    return TD_ERR_BAD_OP;
  }
  for (uint32_t i = 0; i < op->num_inputs; i++) {
    int32_t t = td_rdi32(op->inputs + 4u * i);
    if (t < -1 || (t >= 0 && (uint32_t)t >= m->num_tensors)) return TD_ERR_BAD_OP;
  }
  /* Outputs are written: only arena tensors, never the (read-only) package. */
  for (uint32_t i = 0; i < op->num_outputs; i++) {
    if (!is_arena_tensor(m, td_rdi32(op->outputs + 4u * i))) return TD_ERR_BAD_OP;
  }
  for (uint32_t a = 0; a < op->num_arrays; a++) {
    uint32_t word = td_rd32(op->arrays + 8u * a);
    uint32_t bytes = td_rd32(op->arrays + 8u * a + 4u);
    if (word >= op->num_params) return TD_ERR_BAD_OP;
    uint32_t offset = td_rd32(op->params + 4u * word);
    if (offset % TD_ALIGN) return TD_ERR_ALIGNMENT;
    if (!fits(offset, bytes, m->const_bytes)) return TD_ERR_OUT_OF_BOUNDS;
  }
  return TD_OK;
}

static td_status check_ops(td_model *m) {
  uint32_t pos = 0;
  for (uint32_t i = 0; i < m->num_ops; i++) {
    td_op_view op;
    m->failed_layer = i;
    TRY(td_read_op(m->ops + pos, m->ops_bytes - pos, &op));
    TRY(check_op(m, &op));
    pos += op.record_bytes;
  }
  /* Trailing bytes would mean the counts and the records disagree. */
  if (pos != m->ops_bytes) return TD_ERR_BAD_OP;
  m->failed_layer = UINT32_MAX;
  return TD_OK;
}

static td_status check_io(const td_model *m) {
  /* Inputs are written by the application, outputs read: both in the arena. */
  for (uint32_t i = 0; i < m->num_inputs + m->num_outputs; i++) {
    uint32_t t = td_rd32(m->io + 4u * i);
    if (t >= m->num_tensors || !is_arena_tensor(m, (int32_t)t)) return TD_ERR_BAD_INDEX;
  }
  return TD_OK;
}

static td_status check_kernels(td_model *m) {
  uint32_t pos = 0;
  for (uint32_t i = 0; i < m->num_ops; i++) {
    td_op_view op;
    td_op_frame f;
    (void)td_read_op(m->ops + pos, m->ops_bytes - pos, &op);
    td_bind_op(m, &op, &f);
    m->failed_layer = i;
    TRY(td_find_kernel(op.kernel_id)->check(&f.ctx));
    pos += op.record_bytes;
  }
  m->failed_layer = UINT32_MAX;
  return TD_OK;
}

static td_status load(const uint8_t *p, size_t len, uint8_t *arena, size_t arena_len, td_model *m) {
  TRY(check_header(p, len));
  if ((uintptr_t)p % TD_ALIGN) return TD_ERR_ALIGNMENT;
  uint32_t total = td_rd32(p + TD_H_TOTAL_BYTES);
  if (td_crc32(0, p + TD_HEADER_BYTES, total - TD_HEADER_BYTES) != td_rd32(p + TD_H_CRC)) {
    return TD_ERR_BAD_CRC;
  }
  m->pkg = p;
  TRY(check_sections(p, m));
  for (uint32_t i = 0; i < m->num_tensors; i++) {
    TRY(check_tensor(m, m->tensors + (size_t)i * TD_TENSOR_RECORD_BYTES));
  }
  TRY(check_ops(m));
  TRY(check_io(m));
  uint64_t need = arena_need(m->arena_bytes, m->scratch_bytes);
  if (need > arena_len || (arena == NULL && need > 0)) return TD_ERR_ARENA_TOO_SMALL;
  if ((uintptr_t)arena % TD_ALIGN) return TD_ERR_ALIGNMENT;
  m->arena = arena;
  /* need <= arena_len, so the scratch start is inside the caller's buffer. */
  m->scratch = arena == NULL ? NULL : arena + (need - m->scratch_bytes);
  return check_kernels(m);
}

td_status td_load(const void *pkg, size_t len, void *arena, size_t arena_len, td_model *out) {
  if (out == NULL) return TD_ERR_NOT_READY;
  memset(out, 0, sizeof *out);
  out->failed_layer = UINT32_MAX;
  if (pkg == NULL) return TD_ERR_TRUNCATED;
  td_status s = load((const uint8_t *)pkg, len, (uint8_t *)arena, arena_len, out);
  out->ready = s == TD_OK;
  if (s == TD_OK) td_reset_state(out);
  return s;
}

void td_reset_state(td_model *m) {
  if (m == NULL || !m->ready) return;
  for (uint32_t i = 0; i < m->num_tensors; i++) {
    const uint8_t *r = m->tensors + (size_t)i * TD_TENSOR_RECORD_BYTES;
    if (r[TD_T_FLAGS] & TD_TENSOR_STATE) {
      memset(m->arena + td_rd32(r + TD_T_OFFSET), 0, td_rd32(r + TD_T_BYTES));
    }
  }
}
