/*
 * Shared body of QUANTIZE_S8 (int8 output) and QUANTIZE_S16 (int16 output,
 * or the int16 -> int32 requantize TFLite also supports). TFLite semantics:
 *
 * float input (TFLite's default, optimized AffineQuantize):
 *   out = clamp((int)round(x / scale) + zp, qmin, qmax)   round = std::round
 *   with x / scale divided in double precision, as TFLite's optimized kernel
 *   does (its reference kernel divides in float and can differ by a step at
 *   near-ties); infinities saturate, NaN gives zp. Soft-float double on an
 *   FPU-less or single-precision core: this path is slow but exact.
 * integer input (reference Requantize):
 *   out = clamp(MBQM(in - in_zp, m, s) + out_zp, qmin, qmax)
 *   with m, s = QuantizeMultiplier((double)in_scale / (double)out_scale).
 *
 * Params (5 int32 words): 0 mode (0 float input, 1 requantize), 1 out_zp,
 *   2 out_scale (float32 bits, mode 0) or in_zp (mode 1),
 *   3 multiplier (mode 1, else 0), 4 shift (mode 1, else 0).
 * Input dtype: float32 (mode 0); int8, uint8, int16 or int32 (mode 1).
 */
#ifndef TD_QUANTIZE_H
#define TD_QUANTIZE_H

#include "td_ew_util.h"
#include "td_fmath.h"
#include "td_qmath.h"

static inline int32_t td_q_in(const void *data, uint8_t dtype, uint32_t i) {
  switch (dtype) {
    case TD_INT8: return ((const int8_t *)data)[i];
    case TD_UINT8: return ((const uint8_t *)data)[i];
    case TD_INT16: return ((const int16_t *)data)[i];
    default: return ((const int32_t *)data)[i];
  }
}

static inline void td_q_out(void *data, uint8_t dtype, uint32_t i, int32_t v) {
  switch (dtype) {
    case TD_INT8: ((int8_t *)data)[i] = (int8_t)v; break;
    case TD_INT16: ((int16_t *)data)[i] = (int16_t)v; break;
    default: ((int32_t *)data)[i] = v; break;
  }
}

static inline void td_q_range(uint8_t dtype, int32_t *lo, int32_t *hi) {
  if (dtype == TD_INT8) {
    *lo = -128;
    *hi = 127;
  } else if (dtype == TD_INT16) {
    *lo = -32768;
    *hi = 32767;
  } else {
    *lo = INT32_MIN;
    *hi = INT32_MAX;
  }
}

/* out_ok: whether the output dtype is one this kernel id produces. */
static inline td_status td_quantize_check(const td_op_ctx *ctx, int out_is_s8) {
  if (ctx->num_inputs != 1 || ctx->num_outputs != 1 || !td_has_words(ctx, 5)) {
    return TD_ERR_BAD_PARAMS;
  }
  const td_tensor *in = ctx->inputs[0], *out = ctx->outputs[0];
  if (in == NULL) return TD_ERR_BAD_PARAMS;
  const uint8_t od = out->dtype;
  if (out_is_s8 ? od != TD_INT8 : (od != TD_INT16 && od != TD_INT32)) return TD_ERR_BAD_PARAMS;
  if (!td_tensor_is(in, in->dtype) || !td_tensor_is(out, od)) return TD_ERR_BAD_PARAMS;
  if (td_numel(in) != td_numel(out)) return TD_ERR_BAD_PARAMS;
  /* In place only with equal element sizes (element i read before it is written). */
  if (!td_disjoint(in, out) && !(in->data == out->data && in->bytes == out->bytes)) {
    return TD_ERR_BAD_PARAMS;
  }
  const int32_t mode = td_pi(ctx, 0);
  if (mode == 0) {
    if (in->dtype != TD_FLOAT32 || od == TD_INT32) return TD_ERR_BAD_PARAMS;
    const float scale = td_pf(ctx, 2);
    if (!(scale > 0.0f)) return TD_ERR_BAD_PARAMS;
    return TD_OK;
  }
  if (mode != 1) return TD_ERR_BAD_PARAMS;
  const uint8_t id = in->dtype;
  if (id != TD_INT8 && id != TD_UINT8 && id != TD_INT16 && id != TD_INT32) return TD_ERR_BAD_PARAMS;
  const int32_t shift = td_pi(ctx, 4);
  if (shift < TD_QMATH_MIN_SHIFT || shift > TD_QMATH_MAX_SHIFT) return TD_ERR_BAD_PARAMS;
  return TD_OK;
}

/* std::round of a double, clamped to +-2^30 first so huge values saturate
 * sensibly; NaN -> 0. */
static inline int32_t td_q_round(double v) {
  if (v != v) return 0;
  if (v > 1073741824.0) v = 1073741824.0;
  if (v < -1073741824.0) v = -1073741824.0;
  int32_t t = (int32_t)v; /* truncates toward zero; exact */
  const double f = v - (double)t;
  if (f >= 0.5) t++;
  else if (f <= -0.5) t--;
  return t;
}

static inline td_status td_quantize_eval(const td_op_ctx *ctx) {
  const td_tensor *in = ctx->inputs[0];
  td_tensor *out = ctx->outputs[0];
  const uint32_t n = td_numel(out);
  const int32_t out_zp = td_pi(ctx, 1);
  int32_t lo, hi;
  td_q_range(out->dtype, &lo, &hi);
  if (td_pi(ctx, 0) == 0) {
    const double scale = (double)td_pf(ctx, 2);
    const float *x = (const float *)in->data;
    for (uint32_t i = 0; i < n; i++) {
      const int32_t q = td_wadd(td_q_round((double)x[i] / scale), out_zp);
      td_q_out(out->data, out->dtype, i, td_clamp_i32(q, lo, hi));
    }
    return TD_OK;
  }
  const int32_t in_zp = td_pi(ctx, 2), m = td_pi(ctx, 3), s = td_pi(ctx, 4);
  for (uint32_t i = 0; i < n; i++) {
    const int32_t x = td_wsub(td_q_in(in->data, in->dtype, i), in_zp);
    const int32_t q = td_wadd(td_mbqm(x, m, s), out_zp);
    td_q_out(out->data, out->dtype, i, td_clamp_i32(q, lo, hi));
  }
  return TD_OK;
}

#endif
