/*
 * Fixed-point helpers shared by the quantized kernels: TFLite's (gemmlowp's)
 * requantisation arithmetic, bit-exact with TFLite's default double-rounding
 * build (TFLITE_SINGLE_ROUNDING unset), which is what TFLite, TFLM and
 * tfjs-tflite ship.
 *
 * SHARED FILE: conv/fc/pool kernels and the elementwise kernels both use it.
 * Add functions freely; do not change the semantics of existing ones (every
 * quantized kernel's bit-exactness rests on them).
 *
 * Conventions: a "quantized multiplier" is a Q31 value in [2^30, 2^31) (or 0)
 * and "shift" is the power-of-two exponent from frexp: positive = left shift,
 * negative = right shift (src/core/package/quant.ts computes both on the host).
 * Overflowing products wrap like TFLite's (two's complement), computed here
 * through unsigned arithmetic so the C is free of undefined behaviour.
 * Kernels' check functions keep shifts inside the documented ranges.
 */
#ifndef TD_QMATH_H
#define TD_QMATH_H

#include <stdint.h>

#define TD_QMATH_MIN_SHIFT (-31)
#define TD_QMATH_MAX_SHIFT 30 /* int32 variant: x << shift must stay a shift < 31 */
#define TD_QMATH_MAX_SHIFT64 7 /* int64 variant: TFLite's documented range is [-31, 7] */

static inline int32_t td_min_i32(int32_t a, int32_t b) { return a < b ? a : b; }
static inline int32_t td_max_i32(int32_t a, int32_t b) { return a > b ? a : b; }
static inline int32_t td_clamp_i32(int32_t x, int32_t lo, int32_t hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}

/* Two's-complement wrap of an unsigned value into int32 (no UB). */
static inline int32_t td_wrap_i32(uint32_t u) {
  return u <= (uint32_t)INT32_MAX ? (int32_t)u : (int32_t)(u - 0x80000000u) - INT32_MAX - 1;
}

/* int64 counterpart: a + b with two's-complement wrap-around, no UB. */
static inline int64_t td_add_wrap_i64(int64_t a, int64_t b) {
  const uint64_t u = (uint64_t)a + (uint64_t)b;
  return u <= (uint64_t)INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
}

/* Signed >> is implementation-defined in C99; every compiler we target (GCC,
 * Clang) documents it as arithmetic. Refuse to build anywhere it is not. */
typedef char td_qmath_asr_is_arithmetic[((-1 >> 1) == -1 && ((int64_t)-1 >> 1) == -1) ? 1 : -1];

/*
 * gemmlowp SaturatingRoundingDoublingHighMul: round(a*b / 2^31), ties away
 * from zero (nudge of 2^30, then division truncating toward zero); the one
 * overflowing case a == b == INT32_MIN saturates to INT32_MAX.
 */
static inline int32_t td_srdhm(int32_t a, int32_t b) {
  if (a == b && a == INT32_MIN) return INT32_MAX;
  const int64_t ab = (int64_t)a * (int64_t)b;
  const int64_t nudge = ab >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
  /* C division truncates toward zero, like gemmlowp's. */
  return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

/*
 * gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away
 * from zero. exponent in [0, 31].
 */
static inline int32_t td_rdbpot(int32_t x, int exponent) {
  const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/*
 * TFLite MultiplyByQuantizedMultiplier(int32 x, ...), double rounding:
 * RoundingDivideByPOT(SRDHM(x * 2^left, multiplier), right) with
 * left = max(shift, 0), right = max(-shift, 0). shift in [-31, 30].
 * x * 2^left wraps on overflow as in TFLite.
 */
static inline int32_t td_mbqm(int32_t x, int32_t multiplier, int shift) {
  const int left = shift > 0 ? shift : 0;
  const int right = shift > 0 ? 0 : -shift;
  return td_rdbpot(td_srdhm(td_wrap_i32((uint32_t)x << left), multiplier), right);
}

/*
 * TFLite MultiplyByQuantizedMultiplier(int64 x, ...) (the 16x8 path, double
 * rounding build): the multiplier is reduced to Q15 with rounding
 * ((m + 2^15) >> 16, or 0x7FFF when m >= 0x7FFF0000), then
 * (x * reduced + 2^(14 - shift)) >> (15 - shift), truncated to int32.
 * shift in [-31, 7], multiplier >= 0.
 */
static inline int32_t td_mbqm64(int64_t x, int32_t multiplier, int shift) {
  const int32_t reduced = multiplier < 0x7FFF0000 ? ((multiplier + (1 << 15)) >> 16) : 0x7FFF;
  const int total_shift = 15 - shift;
  const uint64_t prod = (uint64_t)x * (uint64_t)(int64_t)reduced + ((uint64_t)1 << (total_shift - 1));
  /* prod holds the wrapped int64 value; shift it arithmetically. */
  const int64_t p = prod <= (uint64_t)INT64_MAX ? (int64_t)prod : -(int64_t)(~prod) - 1;
  return td_wrap_i32((uint32_t)(uint64_t)(p >> total_shift));
}

#endif
