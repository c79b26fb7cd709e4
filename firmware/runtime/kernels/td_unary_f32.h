/*
 * Shared check for the float32 unary kernels (RELU, RELU6, LOGISTIC, TANH):
 * one float input, one float output of the same size, exactly in place or
 * disjoint, no params.
 */
#ifndef TD_UNARY_F32_H
#define TD_UNARY_F32_H

#include "td_ew_util.h"

static inline td_status td_unary_f32_check(const td_op_ctx *ctx) {
  if (ctx->num_inputs != 1 || ctx->num_outputs != 1 || !td_has_words(ctx, 0)) {
    return TD_ERR_BAD_PARAMS;
  }
  const td_tensor *in = ctx->inputs[0], *out = ctx->outputs[0];
  if (!td_tensor_is(in, TD_FLOAT32) || !td_tensor_is(out, TD_FLOAT32)) return TD_ERR_BAD_PARAMS;
  if (in->bytes != out->bytes || !td_same_or_disjoint(in, out)) return TD_ERR_BAD_PARAMS;
  return TD_OK;
}

#endif
