/*
 * Shared body of the int8 unary kernels that are a pure function of one
 * int8 value (RELU, RELU6, LEAKY_RELU, HARD_SWISH, LOGISTIC, TANH): the host
 * evaluates TFLite's exact per-value arithmetic for all 256 inputs
 * (src/core/package/kernels/elementwise/unary.ts) and the device looks the
 * result up. That is bit-exact by construction and is also what TFLite's own
 * LOGISTIC/TANH int8 kernels do.
 * Params (1 word): 0 offset of a 256-byte int8 table in the constant region,
 * indexed by the input byte as unsigned (table[(uint8_t)x]).
 * Runs in place when the planner aliases output and input.
 */
#ifndef TD_LUT_S8_H
#define TD_LUT_S8_H

#include "td_ew_util.h"

static inline td_status td_lut_s8_check(const td_op_ctx *ctx) {
  if (ctx->num_inputs != 1 || ctx->num_outputs != 1 || !td_has_words(ctx, 1)) {
    return TD_ERR_BAD_PARAMS;
  }
  const td_tensor *in = ctx->inputs[0], *out = ctx->outputs[0];
  if (!td_tensor_is(in, TD_INT8) || !td_tensor_is(out, TD_INT8)) return TD_ERR_BAD_PARAMS;
  if (in->bytes != out->bytes || !td_same_or_disjoint(in, out)) return TD_ERR_BAD_PARAMS;
  if (td_param_array(ctx, 0, 256) == NULL) return TD_ERR_BAD_PARAMS;
  return TD_OK;
}

static inline td_status td_lut_s8_eval(const td_op_ctx *ctx) {
  const uint8_t *table = (const uint8_t *)td_param_array(ctx, 0, 256);
  const uint8_t *in = (const uint8_t *)ctx->inputs[0]->data;
  uint8_t *out = (uint8_t *)ctx->outputs[0]->data;
  const uint32_t n = ctx->outputs[0]->bytes;
  if (table == NULL) return TD_ERR_BAD_PARAMS;
  for (uint32_t i = 0; i < n; i++) out[i] = table[in[i]];
  return TD_OK;
}

#endif
