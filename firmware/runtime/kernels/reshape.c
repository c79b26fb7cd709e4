/*
 * RESHAPE (also SQUEEZE, EXPAND_DIMS): same bytes, new dims. Any dtype.
 * inputs[0] data, outputs[0] result; no params.
 * The memory planner may place the output on the input (an alias): then
 * there is nothing to do. Otherwise the bytes are copied; check rejects
 * partial overlap, which memcpy could not handle.
 */
#include <string.h>

#include "td_kernels.h"
#include "td_runtime.h"

static td_status reshape_check(const td_op_ctx *ctx) {
  if (ctx->num_inputs < 1 || ctx->num_outputs != 1 || ctx->params_bytes != 0) {
    return TD_ERR_BAD_PARAMS;
  }
  const td_tensor *in = ctx->inputs[0];
  const td_tensor *out = ctx->outputs[0];
  if (in == NULL || in->dtype != out->dtype || in->bytes != out->bytes) return TD_ERR_BAD_PARAMS;
  if (in->data != out->data) {
    const uint8_t *a = (const uint8_t *)in->data;
    const uint8_t *b = (const uint8_t *)out->data;
    /* Compare as integers: relational operators on pointers into
     * different objects (arena vs constants) are undefined in C. */
    uintptr_t ai = (uintptr_t)a, bi = (uintptr_t)b;
    if (ai < bi + out->bytes && bi < ai + in->bytes) return TD_ERR_BAD_PARAMS;
  }
  return TD_OK;
}

static td_status reshape_eval(const td_op_ctx *ctx) {
  const td_tensor *in = ctx->inputs[0];
  td_tensor *out = ctx->outputs[0];
  if (in->data != out->data) memcpy(out->data, in->data, in->bytes);
  return TD_OK;
}

const td_kernel td_kernel_reshape = {TD_K_RESHAPE, "RESHAPE", reshape_check, reshape_eval};
