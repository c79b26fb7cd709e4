/*
 * SOFTMAX, int8 -> int8 (or int8 -> int16), over the last dim: TFLite's
 * default (optimized) int8 softmax, which works in float with an exp table:
 *   table[d] = expf(-in_scale * beta * d)            d = max - x in [0, 255]
 *   sum = sum_j table[max - x_j]                     (float, in order)
 *   inv = 1 / (sum * out_scale)
 *   out_j = clamp(round(table[max - x_j] * inv) + out_zp)   (to int8 or int16)
 * (TFLite's PopulateSoftmaxLookupTable + optimized_ops::Softmax; the table is
 * computed on the host). TFLite's reference kernel (and TFLM) use a
 * fixed-point exp instead and can differ by one step.
 * Params (3 words): 0 offset of 256 float32 in the constant region,
 *   1 out_zp (int32), 2 out_scale (float32).
 */
#include "td_ew_util.h"
#include "td_fmath.h"
#include "td_kernels.h"

static td_status softmax_s8_check(const td_op_ctx *ctx) {
  if (ctx->num_inputs != 1 || ctx->num_outputs != 1 || !td_has_words(ctx, 3)) {
    return TD_ERR_BAD_PARAMS;
  }
  const td_tensor *in = ctx->inputs[0], *out = ctx->outputs[0];
  if (out == NULL || (out->dtype != TD_INT8 && out->dtype != TD_INT16)) return TD_ERR_BAD_PARAMS;
  if (!td_tensor_is(in, TD_INT8) || !td_tensor_is(out, out->dtype)) return TD_ERR_BAD_PARAMS;
  if (in->rank < 1 || !td_same_shape(in, out)) return TD_ERR_BAD_PARAMS;
  /* In place only int8 -> int8 (row element j is read before it is written). */
  if (!(out->dtype == TD_INT8 && in->data == out->data) && !td_disjoint(in, out)) {
    return TD_ERR_BAD_PARAMS;
  }
  if (td_param_array(ctx, 0, 256u * 4u) == NULL) return TD_ERR_BAD_PARAMS;
  return TD_OK;
}

static td_status softmax_s8_eval(const td_op_ctx *ctx) {
  const float *table = (const float *)td_param_array(ctx, 0, 256u * 4u);
  const td_tensor *t = ctx->inputs[0];
  const int32_t zp = td_pi(ctx, 1);
  const float out_scale = td_pf(ctx, 2);
  const uint32_t depth = (uint32_t)t->dims[t->rank - 1];
  const uint32_t n = td_numel(t);
  if (table == NULL) return TD_ERR_BAD_PARAMS;
  if (depth == 0) return TD_OK;
  const int8_t *in = (const int8_t *)t->data;
  const int wide = ctx->outputs[0]->dtype == TD_INT16;
  const int32_t lo = wide ? -32768 : -128, hi = wide ? 32767 : 127;
  for (uint32_t row = 0; row < n; row += depth) {
    const int8_t *x = in + row;
    int32_t max = -128;
    for (uint32_t j = 0; j < depth; j++) max = x[j] > max ? x[j] : max;
    float sum = 0.0f;
    for (uint32_t j = 0; j < depth; j++) sum += table[max - x[j]];
    const float inv = 1.0f / (sum * out_scale);
    /* x[j] is read before output j is written, so in place is fine. */
    for (uint32_t j = 0; j < depth; j++) {
      const float p = table[max - x[j]] * inv;
      int32_t q = p > 1073741824.0f ? 1073741824 : td_round_sat_i32(p);
      q = td_wadd(q, zp);
      q = q < lo ? lo : (q > hi ? hi : q);
      if (wide) ((int16_t *)ctx->outputs[0]->data)[row + j] = (int16_t)q;
      else ((int8_t *)ctx->outputs[0]->data)[row + j] = (int8_t)q;
    }
  }
  return TD_OK;
}

const td_kernel td_kernel_softmax_s8 = {TD_K_SOFTMAX_S8, "SOFTMAX_S8", softmax_s8_check,
                                        softmax_s8_eval};
