/*
 * CONCATENATION, int8, any axis, rank up to 6. Inputs whose scale and zero
 * point equal the output's are copied; others are requantized the way
 * TFLite's ConcatenationWithScaling does (TFLite's own int8 kernel only
 * accepts equal quantization):
 *   out = clamp((int)round(x * scale + bias) + out_zp, -128, 127)
 *   scale = in_scale * (1 / out_scale), bias = -in_zp * scale   (float)
 * Params (2 + 3 * num_inputs words): 0 axis (0 .. rank-1), 1 out_zp, then per
 *   input: mode (0 copy, 1 requantize), scale (float32), bias (float32).
 */
#include <string.h>

#include "td_ew_util.h"
#include "td_fmath.h"
#include "td_kernels.h"

static td_status concatenation_s8_check(const td_op_ctx *ctx) {
  const uint32_t k = ctx->num_inputs;
  if (k < 1 || ctx->num_outputs != 1 || !td_has_words(ctx, 2u + 3u * k)) return TD_ERR_BAD_PARAMS;
  const td_tensor *out = ctx->outputs[0];
  if (!td_tensor_is(out, TD_INT8)) return TD_ERR_BAD_PARAMS;
  const int32_t axis = td_pi(ctx, 0);
  if (axis < 0 || (uint32_t)axis >= out->rank) return TD_ERR_BAD_PARAMS;
  int64_t sum = 0;
  for (uint32_t i = 0; i < k; i++) {
    const td_tensor *in = ctx->inputs[i];
    if (!td_tensor_is(in, TD_INT8) || in->rank != out->rank || !td_disjoint(in, out)) {
      return TD_ERR_BAD_PARAMS;
    }
    for (uint32_t d = 0; d < out->rank; d++) {
      if ((int32_t)d != axis && in->dims[d] != out->dims[d]) return TD_ERR_BAD_PARAMS;
    }
    sum += in->dims[axis];
    const int32_t mode = td_pi(ctx, 2u + 3u * i);
    if (mode != 0 && mode != 1) return TD_ERR_BAD_PARAMS;
  }
  if (sum != out->dims[axis]) return TD_ERR_BAD_PARAMS;
  return TD_OK;
}

static td_status concatenation_s8_eval(const td_op_ctx *ctx) {
  const td_tensor *out = ctx->outputs[0];
  const int32_t axis = td_pi(ctx, 0), out_zp = td_pi(ctx, 1);
  uint32_t outer = 1, inner = 1;
  for (int32_t d = 0; d < axis; d++) outer *= (uint32_t)out->dims[d];
  for (uint32_t d = (uint32_t)axis + 1u; d < out->rank; d++) inner *= (uint32_t)out->dims[d];
  int8_t *dst = (int8_t *)out->data;
  for (uint32_t o = 0; o < outer; o++) {
    for (uint32_t i = 0; i < ctx->num_inputs; i++) {
      const td_tensor *in = ctx->inputs[i];
      const uint32_t n = (uint32_t)in->dims[axis] * inner;
      const int8_t *src = (const int8_t *)in->data + (size_t)o * n;
      if (td_pi(ctx, 2u + 3u * i) == 0) {
        memcpy(dst, src, n);
      } else {
        const float scale = td_pf(ctx, 3u + 3u * i), bias = td_pf(ctx, 4u + 3u * i);
        for (uint32_t j = 0; j < n; j++) {
          float v = (float)src[j] * scale + bias;
          v = v > 1073741824.0f ? 1073741824.0f : (v < -1073741824.0f ? -1073741824.0f : v);
          const int32_t q = td_wadd(td_round_sat_i32(v), out_zp);
          dst[j] = (int8_t)(q < -128 ? -128 : (q > 127 ? 127 : q));
        }
      }
      dst += n;
    }
  }
  return TD_OK;
}

const td_kernel td_kernel_concatenation_s8 = {TD_K_CONCATENATION_S8, "CONCATENATION_S8",
                                              concatenation_s8_check, concatenation_s8_eval};
