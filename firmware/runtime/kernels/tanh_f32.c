/*
 * TANH, float32: tanh(x) with our own series / expf formulation
 * (td_fmath.h; TFLite's float kernel is accurate, not bit-specified).
 * No params; runs in place when the planner aliases output and input.
 */
#include "td_fmath.h"
#include "td_kernels.h"
#include "td_unary_f32.h"

static td_status tanh_f32_check(const td_op_ctx *ctx) { return td_unary_f32_check(ctx); }

static td_status tanh_f32_eval(const td_op_ctx *ctx) {
  const float *in = (const float *)ctx->inputs[0]->data;
  float *out = (float *)ctx->outputs[0]->data;
  const uint32_t n = ctx->outputs[0]->bytes / 4u;
  for (uint32_t i = 0; i < n; i++) {
    const float x = in[i];
    out[i] = td_tanhf(x);
  }
  return TD_OK;
}

const td_kernel td_kernel_tanh_f32 = {TD_K_TANH_F32, "TANH_F32", tanh_f32_check, tanh_f32_eval};
