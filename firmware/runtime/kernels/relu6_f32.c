/*
 * RELU6, float32: out = std::min(std::max(0.f, x), 6.f), TFLite's expression.
 * No params; runs in place when the planner aliases output and input.
 */
#include "td_kernels.h"
#include "td_unary_f32.h"

static td_status relu6_f32_check(const td_op_ctx *ctx) { return td_unary_f32_check(ctx); }

static td_status relu6_f32_eval(const td_op_ctx *ctx) {
  const float *in = (const float *)ctx->inputs[0]->data;
  float *out = (float *)ctx->outputs[0]->data;
  const uint32_t n = ctx->outputs[0]->bytes / 4u;
  for (uint32_t i = 0; i < n; i++) {
    const float x = in[i];
    const float v = 0.0f < x ? x : 0.0f;
    out[i] = 6.0f < v ? 6.0f : v;
  }
  return TD_OK;
}

const td_kernel td_kernel_relu6_f32 = {TD_K_RELU6_F32, "RELU6_F32", relu6_f32_check, relu6_f32_eval};
