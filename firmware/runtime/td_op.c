/* Op records: decoding one, and binding its tensors into a kernel context.
 * Shared by td_load (to validate and run check) and td_invoke (to run eval),
 * so both see exactly the same context. */
#include "td_internal.h"

td_status td_read_op(const uint8_t *p, uint32_t avail, td_op_view *op) {
  if (avail < TD_OP_HEAD_BYTES) return TD_ERR_BAD_OP;
  op->kernel_id = (uint16_t)td_rd16(p);
  op->num_inputs = p[2];
  op->num_outputs = p[3];
  op->source_op = td_rd32(p + 4);
  op->num_params = td_rd16(p + 8);
  op->num_arrays = td_rd16(p + 10);
  /* At most 255 + 255 + 65535 + 2 * 65535 words: no 32-bit overflow. */
  uint32_t words = (uint32_t)op->num_inputs + op->num_outputs + op->num_params + 2u * op->num_arrays;
  uint32_t bytes = TD_OP_HEAD_BYTES + 4u * words;
  if (bytes > avail) return TD_ERR_BAD_OP;
  op->inputs = p + TD_OP_HEAD_BYTES;
  op->outputs = op->inputs + 4u * op->num_inputs;
  op->params = op->outputs + 4u * op->num_outputs;
  op->arrays = op->params + 4u * op->num_params;
  op->record_bytes = bytes;
  return TD_OK;
}

void td_bind_op(const td_model *m, const td_op_view *op, td_op_frame *f) {
  uint32_t slot = 0;
  for (uint32_t i = 0; i < op->num_inputs; i++) {
    int32_t t = td_rdi32(op->inputs + 4u * i);
    if (t < 0) {
      f->in[i] = NULL;
    } else {
      td_decode_tensor(m, (uint32_t)t, &f->tensors[slot]);
      f->in[i] = &f->tensors[slot++];
    }
  }
  for (uint32_t i = 0; i < op->num_outputs; i++) {
    td_decode_tensor(m, (uint32_t)td_rdi32(op->outputs + 4u * i), &f->tensors[slot]);
    f->out[i] = &f->tensors[slot++];
  }
  f->ctx.inputs = f->in;
  f->ctx.outputs = f->out;
  f->ctx.num_inputs = op->num_inputs;
  f->ctx.num_outputs = op->num_outputs;
  f->ctx.params_bytes = (uint16_t)(4u * op->num_params);
  f->ctx.params = op->num_params > 0 ? (const void *)op->params : NULL;
  f->ctx.const_data = m->const_data;
  f->ctx.const_bytes = m->const_bytes;
  f->ctx.scratch = m->scratch_bytes > 0 ? m->scratch : NULL;
  f->ctx.scratch_bytes = m->scratch_bytes;
}
