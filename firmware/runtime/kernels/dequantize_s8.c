/*
 * DEQUANTIZE, int8 (or int16) -> float32: TFLite's Dequantize,
 *   out = (float)(scale * (q - zp))
 * TFLite computes the product in double and rounds once to float; the exact
 * product of a float and a small integer rounded once is also what a single
 * float multiply gives, so this matches bit for bit.
 * Params (2 words): 0 zp (int32), 1 scale (float32).
 */
#include "td_ew_util.h"
#include "td_kernels.h"

static td_status dequantize_s8_check(const td_op_ctx *ctx) {
  if (ctx->num_inputs != 1 || ctx->num_outputs != 1 || !td_has_words(ctx, 2)) {
    return TD_ERR_BAD_PARAMS;
  }
  const td_tensor *in = ctx->inputs[0], *out = ctx->outputs[0];
  if (in == NULL || (in->dtype != TD_INT8 && in->dtype != TD_INT16)) return TD_ERR_BAD_PARAMS;
  if (!td_tensor_is(in, in->dtype) || !td_tensor_is(out, TD_FLOAT32)) return TD_ERR_BAD_PARAMS;
  if (td_numel(in) != td_numel(out) || !td_disjoint(in, out)) return TD_ERR_BAD_PARAMS;
  const int32_t zp = td_pi(ctx, 0);
  if (zp < -32768 || zp > 32767) return TD_ERR_BAD_PARAMS;
  return TD_OK;
}

static td_status dequantize_s8_eval(const td_op_ctx *ctx) {
  const td_tensor *in = ctx->inputs[0];
  float *out = (float *)ctx->outputs[0]->data;
  const int32_t zp = td_pi(ctx, 0);
  const float scale = td_pf(ctx, 1);
  const uint32_t n = td_numel(in);
  if (in->dtype == TD_INT8) {
    const int8_t *q = (const int8_t *)in->data;
    for (uint32_t i = 0; i < n; i++) out[i] = scale * (float)(q[i] - zp);
  } else {
    const int16_t *q = (const int16_t *)in->data;
    for (uint32_t i = 0; i < n; i++) out[i] = scale * (float)(q[i] - zp);
  }
  return TD_OK;
}

const td_kernel td_kernel_dequantize_s8 = {TD_K_DEQUANTIZE_S8, "DEQUANTIZE_S8",
                                           dequantize_s8_check, dequantize_s8_eval};
