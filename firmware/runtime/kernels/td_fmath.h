/*
 * Float helpers for kernels that may not call libm (no expf/tanhf/roundf on
 * the device): TFLite-compatible rounding and range-reduced exp, logistic and
 * tanh accurate to a few float ulps (well inside the 1e-5 relative tolerance
 * float kernels are validated at). Plain C99 float arithmetic only; build
 * with -std=c99/c11 (ISO mode) so GCC does not contract a*b+c into FMAs,
 * which would change results against TFLite's.
 */
#ifndef TD_FMATH_H
#define TD_FMATH_H

#include <stdint.h>
#include <string.h>

/* std::round semantics (half away from zero), saturating to int32; NaN -> 0. */
static inline int32_t td_round_sat_i32(float x) {
  if (x != x) return 0;
  if (x >= 2147483520.0f) return INT32_MAX; /* largest float below 2^31 */
  if (x <= -2147483648.0f) return INT32_MIN;
  int32_t t = (int32_t)x;    /* truncates toward zero; exact here */
  const float f = x - (float)t; /* exact: the fractional part of x */
  if (f >= 0.5f) t++;
  else if (f <= -0.5f) t--;
  return t;
}

/* std::round as a float (for code that keeps rounding in float). */
static inline float td_roundf(float x) {
  if (!(x > -8388608.0f && x < 8388608.0f)) return x; /* integral, inf or NaN */
  return (float)td_round_sat_i32(x);
}

/* 2^k as a float, k in [-126, 127]. */
static inline float td_pow2f(int32_t k) {
  const uint32_t bits = (uint32_t)(k + 127) << 23;
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

/*
 * exp(x): x = k ln2 + r with |r| <= ln2/2 (Cody-Waite split of ln2), exp(r)
 * by its degree-7 Taylor polynomial (truncation error < 1e-8 relative),
 * then scaled by 2^k in two steps so results down to the subnormals work.
 */
static inline float td_expf(float x) {
  if (x != x) return x;
  if (x > 88.7228394f) return 1.0f / 0.0f;
  if (x < -103.972084f) return 0.0f;
  const float t = x * 1.44269504f;
  const int32_t k = (int32_t)(t >= 0.0f ? t + 0.5f : t - 0.5f);
  const float kf = (float)k;
  const float r = (x - kf * 0.693359375f) - kf * -2.12194440e-4f;
  float p = 1.0f / 5040.0f;
  p = p * r + 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const int32_t k1 = k / 2;
  return p * td_pow2f(k1) * td_pow2f(k - k1);
}

/* 1 / (1 + exp(-x)). */
static inline float td_logisticf(float x) { return 1.0f / (1.0f + td_expf(-x)); }

/*
 * tanh(x): odd Taylor series up to x^15 for |x| < 0.625 (no cancellation
 * near 0; truncation error < 4e-7 relative), else 1 - 2 / (exp(2|x|) + 1)
 * with the sign restored.
 */
static inline float td_tanhf(float x) {
  if (x != x) return x;
  const float ax = x < 0.0f ? -x : x;
  if (ax < 0.625f) {
    const float z = x * x;
    float p = -929569.0f / 638512875.0f;
    p = p * z + 21844.0f / 6081075.0f;
    p = p * z - 1382.0f / 155925.0f;
    p = p * z + 62.0f / 2835.0f;
    p = p * z - 17.0f / 315.0f;
    p = p * z + 2.0f / 15.0f;
    p = p * z - 1.0f / 3.0f;
    return x + x * z * p;
  }
  if (ax > 9.5f) return x < 0.0f ? -1.0f : 1.0f;
  const float y = 1.0f - 2.0f / (td_expf(2.0f * ax) + 1.0f);
  return x < 0.0f ? -y : y;
}

#endif
