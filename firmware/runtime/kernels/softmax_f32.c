/*
 * SOFTMAX, float32, over the last dim: TFLite's optimized float softmax,
 *   e_j = exp((x_j - max) * beta),  out_j = e_j * (1 / sum_j e_j)
 * with our own expf (td_fmath.h). TFLite's float kernel is accurate, not
 * bit-specified; this is validated within a relative tolerance.
 * Params (1 word): 0 beta (float32).
 */
#include "td_ew_util.h"
#include "td_fmath.h"
#include "td_kernels.h"

static td_status softmax_f32_check(const td_op_ctx *ctx) {
  if (ctx->num_inputs != 1 || ctx->num_outputs != 1 || !td_has_words(ctx, 1)) {
    return TD_ERR_BAD_PARAMS;
  }
  const td_tensor *in = ctx->inputs[0], *out = ctx->outputs[0];
  if (!td_tensor_is(in, TD_FLOAT32) || !td_tensor_is(out, TD_FLOAT32)) return TD_ERR_BAD_PARAMS;
  if (in->rank < 1 || !td_same_shape(in, out) || !td_same_or_disjoint(in, out)) {
    return TD_ERR_BAD_PARAMS;
  }
  return TD_OK;
}

static td_status softmax_f32_eval(const td_op_ctx *ctx) {
  const td_tensor *t = ctx->inputs[0];
  const float beta = td_pf(ctx, 0);
  const uint32_t depth = (uint32_t)t->dims[t->rank - 1];
  const uint32_t n = td_numel(t);
  if (depth == 0) return TD_OK;
  const float *in = (const float *)t->data;
  float *out = (float *)ctx->outputs[0]->data;
  for (uint32_t row = 0; row < n; row += depth) {
    const float *x = in + row;
    float *y = out + row;
    float max = x[0];
    for (uint32_t j = 1; j < depth; j++) max = x[j] > max ? x[j] : max;
    float sum = 0.0f;
    for (uint32_t j = 0; j < depth; j++) {
      const float e = td_expf((x[j] - max) * beta);
      y[j] = e;
      sum += e;
    }
    const float inv = 1.0f / sum;
    for (uint32_t j = 0; j < depth; j++) y[j] *= inv;
  }
  return TD_OK;
}

const td_kernel td_kernel_softmax_f32 = {TD_K_SOFTMAX_F32, "SOFTMAX_F32", softmax_f32_check,
                                         softmax_f32_eval};
