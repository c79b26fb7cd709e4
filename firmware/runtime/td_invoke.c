/* td_invoke: run the layers of a loaded model, in package order. All
 * validation happened in td_load, so this is a plain loop: bind, hook,
 * eval, hook. Nothing here allocates or depends on anything but the
 * package, the arena contents and the inputs: runs are deterministic. */
#include "td_internal.h"

td_status td_invoke_range(td_model *m, uint32_t first, uint32_t last, const td_hooks *hooks) {
  if (m == NULL || !m->ready) return TD_ERR_NOT_READY;
  if (first > last || last >= m->num_ops) return TD_ERR_BAD_INDEX;
  m->failed_layer = UINT32_MAX;
  const uint8_t *p = m->ops;
  td_op_view op;
  /* Records are variable-length: step over the ones before `first`. */
  for (uint32_t layer = 0; layer < first; layer++) {
    (void)td_read_op(p, m->ops_bytes - (uint32_t)(p - m->ops), &op);
    p += op.record_bytes;
  }
  for (uint32_t layer = first; layer <= last; layer++) {
    td_op_frame f;
    (void)td_read_op(p, m->ops_bytes - (uint32_t)(p - m->ops), &op);
    td_bind_op(m, &op, &f);
    if (hooks != NULL && hooks->before != NULL) hooks->before(hooks->user, layer);
    td_status s = td_find_kernel(op.kernel_id)->eval(&f.ctx);
    if (hooks != NULL && hooks->after != NULL) hooks->after(hooks->user, layer);
    if (s != TD_OK) {
      m->failed_layer = layer;
      return s;
    }
    p += op.record_bytes;
  }
  return TD_OK;
}

td_status td_invoke(td_model *m, const td_hooks *hooks) {
  if (m == NULL || !m->ready) return TD_ERR_NOT_READY;
  if (m->num_ops == 0) {
    m->failed_layer = UINT32_MAX;
    return TD_OK;
  }
  return td_invoke_range(m, 0, m->num_ops - 1, hooks);
}
