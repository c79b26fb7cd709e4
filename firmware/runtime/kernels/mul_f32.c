/*
 * MUL, float32: TFLite's float mul with its fused activation, numpy
 * broadcasting up to rank 6: out = min(max(a * b, act_min), act_max), with
 * std::max/std::min's argument order (a NaN sum stays NaN). With no
 * activation TFLite clamps to [-FLT_MAX, FLT_MAX], so the host passes those.
 * Params (2 words, float32): 0 act_min, 1 act_max.
 */
#include "td_bcast.h"
#include "td_ew_util.h"
#include "td_kernels.h"

typedef struct {
  float lo, hi;
} act_range;

static td_status mul_f32_check(const td_op_ctx *ctx) {
  if (!td_bcast_op_ok(ctx, TD_FLOAT32, 2)) return TD_ERR_BAD_PARAMS;
  if (!(td_pf(ctx, 0) <= td_pf(ctx, 1))) return TD_ERR_BAD_PARAMS;
  return TD_OK;
}

static void mul_row(const void *prm, const void *a, int32_t sa, const void *b, int32_t sb,
                    void *o, int32_t n) {
  const act_range *r = (const act_range *)prm;
  const float *x = (const float *)a;
  const float *y = (const float *)b;
  float *z = (float *)o;
  for (int32_t i = 0; i < n; i++) {
    float v = x[i * sa] * y[i * sb];
    v = v < r->lo ? r->lo : v;
    z[i] = r->hi < v ? r->hi : v;
  }
}

static td_status mul_f32_eval(const td_op_ctx *ctx) {
  td_bcast bc;
  act_range r = {td_pf(ctx, 0), td_pf(ctx, 1)};
  if (!td_bcast_init(&bc, ctx->inputs[0], ctx->inputs[1], ctx->outputs[0])) {
    return TD_ERR_BAD_PARAMS;
  }
  td_bcast_run(&bc, ctx->inputs[0]->data, 4, ctx->inputs[1]->data, 4, ctx->outputs[0]->data, 4,
               mul_row, &r);
  return TD_OK;
}

const td_kernel td_kernel_mul_f32 = {TD_K_MUL_F32, "MUL_F32", mul_f32_check, mul_f32_eval};
