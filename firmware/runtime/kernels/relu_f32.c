/*
 * RELU, float32: out = x < 0 ? 0 : x (TFLite's reference Relu).
 * No params; runs in place when the planner aliases output and input.
 */
#include "td_kernels.h"
#include "td_unary_f32.h"

static td_status relu_f32_check(const td_op_ctx *ctx) { return td_unary_f32_check(ctx); }

static td_status relu_f32_eval(const td_op_ctx *ctx) {
  const float *in = (const float *)ctx->inputs[0]->data;
  float *out = (float *)ctx->outputs[0]->data;
  const uint32_t n = ctx->outputs[0]->bytes / 4u;
  for (uint32_t i = 0; i < n; i++) {
    const float x = in[i];
    out[i] = x < 0.0f ? 0.0f : x;
  }
  return TD_OK;
}

const td_kernel td_kernel_relu_f32 = {TD_K_RELU_F32, "RELU_F32", relu_f32_check, relu_f32_eval};
