/* Tensor and layer views of a loaded model, for kernels (through td_bind_op),
 * for the application (inputs, outputs) and for layer-by-layer debugging. */
#include <string.h>

#include "td_internal.h"

void td_decode_tensor(const td_model *m, uint32_t i, td_tensor *t) {
  const uint8_t *r = m->tensors + (size_t)i * TD_TENSOR_RECORD_BYTES;
  uint32_t offset = td_rd32(r + TD_T_OFFSET);
  t->dtype = r[TD_T_DTYPE];
  t->rank = r[TD_T_RANK];
  t->is_const = (r[TD_T_FLAGS] & TD_TENSOR_CONST) != 0;
  t->reserved = 0;
  for (uint32_t d = 0; d < TD_MAX_RANK; d++) t->dims[d] = td_rdi32(r + TD_T_DIMS + 4u * d);
  t->bytes = td_rd32(r + TD_T_BYTES);
  t->zero_point = td_rdi32(r + TD_T_ZERO_POINT);
  uint32_t scale_bits = td_rd32(r + TD_T_SCALE);
  memcpy(&t->scale, &scale_bits, sizeof t->scale);
  /* The package is read-only; is_const tells kernels not to write. */
  t->data = t->is_const ? (void *)(uintptr_t)(m->const_data + offset) : (void *)(m->arena + offset);
}

uint32_t td_num_inputs(const td_model *m) { return m->ready ? m->num_inputs : 0; }
uint32_t td_num_outputs(const td_model *m) { return m->ready ? m->num_outputs : 0; }
uint32_t td_num_layers(const td_model *m) { return m->ready ? m->num_ops : 0; }
uint32_t td_num_tensors(const td_model *m) { return m->ready ? m->num_tensors : 0; }

td_status td_tensor_at(const td_model *m, uint32_t index, td_tensor *out) {
  if (!m->ready) return TD_ERR_NOT_READY;
  if (index >= m->num_tensors) return TD_ERR_BAD_INDEX;
  td_decode_tensor(m, index, out);
  return TD_OK;
}

td_status td_input(const td_model *m, uint32_t index, td_tensor *out) {
  if (!m->ready) return TD_ERR_NOT_READY;
  if (index >= m->num_inputs) return TD_ERR_BAD_INDEX;
  td_decode_tensor(m, td_rd32(m->io + 4u * index), out);
  return TD_OK;
}

td_status td_output(const td_model *m, uint32_t index, td_tensor *out) {
  if (!m->ready) return TD_ERR_NOT_READY;
  if (index >= m->num_outputs) return TD_ERR_BAD_INDEX;
  td_decode_tensor(m, td_rd32(m->io + 4u * (m->num_inputs + index)), out);
  return TD_OK;
}

td_status td_layer(const td_model *m, uint32_t layer, td_layer_info *out) {
  if (!m->ready) return TD_ERR_NOT_READY;
  if (layer >= m->num_ops) return TD_ERR_BAD_INDEX;
  const uint8_t *p = m->ops;
  td_op_view op;
  /* Records are variable-length: walk to the one asked for. Debug path only. */
  for (uint32_t i = 0;; i++) {
    (void)td_read_op(p, m->ops_bytes - (uint32_t)(p - m->ops), &op);
    if (i == layer) break;
    p += op.record_bytes;
  }
  out->kernel_id = op.kernel_id;
  out->num_inputs = op.num_inputs;
  out->num_outputs = op.num_outputs;
  out->source_op = op.source_op;
  for (uint32_t i = 0; i < op.num_inputs; i++) out->inputs[i] = td_rdi32(op.inputs + 4u * i);
  for (uint32_t i = 0; i < op.num_outputs; i++) out->outputs[i] = td_rdi32(op.outputs + 4u * i);
  return TD_OK;
}

const void *td_param_array(const td_op_ctx *ctx, uint32_t word, uint32_t bytes) {
  if (ctx->params == NULL || word >= ctx->params_bytes / 4u) return NULL;
  const uint8_t *w = (const uint8_t *)ctx->params + 4u * word;
  uint32_t offset = td_rd32(w);
  if (offset % TD_ALIGN != 0 || offset > ctx->const_bytes || bytes > ctx->const_bytes - offset) {
    return NULL;
  }
  return ctx->const_data + offset;
}
