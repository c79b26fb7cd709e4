/*
 * LOGISTIC, float32: 1 / (1 + exp(-x)) with our own range-reduced expf
 * (td_fmath.h; TFLite's float kernel is accurate, not bit-specified).
 * No params; runs in place when the planner aliases output and input.
 */
#include "td_fmath.h"
#include "td_kernels.h"
#include "td_unary_f32.h"

static td_status logistic_f32_check(const td_op_ctx *ctx) { return td_unary_f32_check(ctx); }

static td_status logistic_f32_eval(const td_op_ctx *ctx) {
  const float *in = (const float *)ctx->inputs[0]->data;
  float *out = (float *)ctx->outputs[0]->data;
  const uint32_t n = ctx->outputs[0]->bytes / 4u;
  for (uint32_t i = 0; i < n; i++) {
    const float x = in[i];
    out[i] = td_logisticf(x);
  }
  return TD_OK;
}

const td_kernel td_kernel_logistic_f32 = {TD_K_LOGISTIC_F32, "LOGISTIC_F32", logistic_f32_check, logistic_f32_eval};
