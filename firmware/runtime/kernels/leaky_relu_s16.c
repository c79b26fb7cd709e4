/*
 * LEAKY_RELU, int16: TFLite's QuantizeLeakyRelu<int16_t> (bit-exact):
 *   x = in - in_zp
 *   out = clamp(out_zp + MBQM(x, x >= 0 ? (m_id, s_id) : (m_alpha, s_alpha)),
 *               -32768, 32767)
 * with (m_id, s_id) = QuantizeMultiplier(in_scale / out_scale) and
 * (m_alpha, s_alpha) = QuantizeMultiplier(in_scale * alpha / out_scale),
 * computed on the host (m_alpha is negative for a negative alpha).
 * Params (6 int32 words): 0 in_zp, 1 out_zp, 2 m_id, 3 s_id, 4 m_alpha, 5 s_alpha.
 */
#include "td_ew_util.h"
#include "td_kernels.h"
#include "td_qmath.h"

static td_status leaky_relu_s16_check(const td_op_ctx *ctx) {
  if (ctx->num_inputs != 1 || ctx->num_outputs != 1 || !td_has_words(ctx, 6)) {
    return TD_ERR_BAD_PARAMS;
  }
  const td_tensor *in = ctx->inputs[0], *out = ctx->outputs[0];
  if (!td_tensor_is(in, TD_INT16) || !td_tensor_is(out, TD_INT16)) return TD_ERR_BAD_PARAMS;
  if (in->bytes != out->bytes || !td_same_or_disjoint(in, out)) return TD_ERR_BAD_PARAMS;
  const int32_t in_zp = td_pi(ctx, 0), s_id = td_pi(ctx, 3), s_alpha = td_pi(ctx, 5);
  if (in_zp < -32768 || in_zp > 32767) return TD_ERR_BAD_PARAMS;
  if (s_id < TD_QMATH_MIN_SHIFT || s_id > 15 || s_alpha < TD_QMATH_MIN_SHIFT || s_alpha > 15) {
    return TD_ERR_BAD_PARAMS;
  }
  return TD_OK;
}

static td_status leaky_relu_s16_eval(const td_op_ctx *ctx) {
  const int32_t in_zp = td_pi(ctx, 0), out_zp = td_pi(ctx, 1);
  const int32_t m_id = td_pi(ctx, 2), s_id = td_pi(ctx, 3);
  const int32_t m_alpha = td_pi(ctx, 4), s_alpha = td_pi(ctx, 5);
  const int16_t *in = (const int16_t *)ctx->inputs[0]->data;
  int16_t *out = (int16_t *)ctx->outputs[0]->data;
  const uint32_t n = ctx->outputs[0]->bytes / 2u;
  for (uint32_t i = 0; i < n; i++) {
    const int32_t x = in[i] - in_zp;
    const int32_t y = x >= 0 ? td_mbqm(x, m_id, s_id) : td_mbqm(x, m_alpha, s_alpha);
    out[i] = (int16_t)td_clamp_i32(td_wadd(out_zp, y), -32768, 32767);
  }
  return TD_OK;
}

const td_kernel td_kernel_leaky_relu_s16 = {TD_K_LEAKY_RELU_S16, "LEAKY_RELU_S16",
                                            leaky_relu_s16_check, leaky_relu_s16_eval};
