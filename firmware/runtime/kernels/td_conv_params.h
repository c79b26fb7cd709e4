/*
 * Param layouts of the convolution, fully-connected and pooling kernels, and
 * the checks they share. The host writes these words
 * (src/core/package/kernels/conv/ planners, same field order); every field is one
 * 32-bit word, so the structs have no padding. A const offset names an array
 * in the package constant region (ctx->const_data).
 *
 * Geometry follows TFLite: out position o reads input at o*stride - pad +
 * k*dilation for filter tap k; taps outside the input are skipped (zero
 * padding). Pads are TFLite's ComputePaddingHeightWidth values.
 */
#ifndef TD_CONV_PARAMS_H
#define TD_CONV_PARAMS_H

#include <stdint.h>
#include <string.h>

#include "td_qmath.h"
#include "td_runtime.h"

/* CONV_2D_S8, CONV_2D_S16, DEPTHWISE_CONV_2D_S8. 14 words. */
typedef struct {
  int32_t stride_w, stride_h;
  int32_t dilation_w, dilation_h;
  int32_t pad_w, pad_h;
  int32_t input_offset;  /* -input zero point (0 for S16) */
  int32_t output_offset; /* output zero point (0 for S16) */
  int32_t act_min, act_max;
  int32_t n_mult;        /* 1 (per-tensor) or output channels (per-channel) */
  uint32_t mult_off;     /* const offset: int32[n_mult] Q31 multipliers */
  uint32_t shift_off;    /* const offset: int32[n_mult] shifts (frexp exponent) */
  int32_t acc64;         /* S16 only: 1 = int64 accumulator + int64 requantisation
                            (int64 bias), 0 = int32 (int32 or no bias); S8: 0 */
} td_conv_q_params;

/* CONV_2D_F32, DEPTHWISE_CONV_2D_F32. 8 words. */
typedef struct {
  int32_t stride_w, stride_h;
  int32_t dilation_w, dilation_h;
  int32_t pad_w, pad_h;
  float act_min, act_max;
} td_conv_f32_params;

/* FULLY_CONNECTED_S8, FULLY_CONNECTED_S16. 9 words. */
typedef struct {
  int32_t input_offset;  /* -input zero point */
  int32_t filter_offset; /* -filter zero point (per-tensor weights only) */
  int32_t output_offset; /* output zero point */
  int32_t act_min, act_max;
  int32_t n_mult;        /* 1 or output units */
  uint32_t mult_off, shift_off;
  int32_t acc64;         /* as in td_conv_q_params */
} td_fc_q_params;

/* FULLY_CONNECTED_F32. 2 words. */
typedef struct {
  float act_min, act_max;
} td_fc_f32_params;

/* AVERAGE_POOL_2D_S8, MAX_POOL_2D_S8. 8 words. */
typedef struct {
  int32_t stride_w, stride_h;
  int32_t filter_w, filter_h;
  int32_t pad_w, pad_h;
  int32_t act_min, act_max;
} td_pool_q_params;

/* AVERAGE_POOL_2D_F32, MAX_POOL_2D_F32. 8 words. */
typedef struct {
  int32_t stride_w, stride_h;
  int32_t filter_w, filter_h;
  int32_t pad_w, pad_h;
  float act_min, act_max;
} td_pool_f32_params;

/* TRANSPOSE_CONV_S16. 9 words. */
typedef struct {
  int32_t stride_w, stride_h;
  int32_t pad_w, pad_h;
  int32_t act_min, act_max;
  int32_t n_mult;
  uint32_t mult_off, shift_off;
} td_tconv_q_params;

/* Largest stride, dilation, pad or window accepted: keeps every position
 * computed by the loops (o*stride - pad + k*dilation) far inside int32. */
#define TD_GEOM_MAX 0x8000

/* Copies the params into *dst after checking their size. */
static inline int td_params_get(const td_op_ctx *ctx, void *dst, uint32_t size) {
  if (ctx->params == NULL || ctx->params_bytes != size) return 0;
  memcpy(dst, ctx->params, size);
  return 1;
}

/* A tensor the kernel may index: present, of dtype, rank, all dims >= 1,
 * data present and naturally aligned, and bytes == elements * element size
 * (so every index below the element count is in bounds). */
static inline int td_tensor_ok(const td_tensor *t, uint8_t dtype, uint8_t rank) {
  if (t == NULL || t->dtype != dtype || t->rank != rank || rank > TD_MAX_RANK || t->data == NULL) {
    return 0;
  }
  uint64_t n = td_dtype_size(dtype); /* td_runtime.h */
  if (n == 0 || ((uintptr_t)t->data & (uintptr_t)(n - 1)) != 0) return 0; /* natural alignment */
  for (uint8_t i = 0; i < rank; ++i) {
    if (t->dims[i] < 1) return 0;
    n *= (uint64_t)t->dims[i];
    if (n > 0x7FFFFFFFu) return 0;
  }
  return n == t->bytes;
}

/* As td_tensor_ok for any rank (1..TD_MAX_RANK). */
static inline int td_tensor_any_rank_ok(const td_tensor *t, uint8_t dtype) {
  return t != NULL && t->rank >= 1 && t->rank <= TD_MAX_RANK && td_tensor_ok(t, dtype, t->rank);
}

/* An optional bias: absent, or `count` elements of dtype in any shape. */
static inline int td_bias_ok(const td_tensor *t, uint8_t dtype, int32_t count) {
  if (t == NULL) return 1;
  return td_tensor_any_rank_ok(t, dtype) && (uint64_t)t->bytes == (uint64_t)count * td_dtype_size(dtype);
}

/* The optional input at index i (NULL when omitted or beyond num_inputs). */
static inline const td_tensor *td_opt_input(const td_op_ctx *ctx, uint8_t i) {
  return i < ctx->num_inputs ? ctx->inputs[i] : NULL;
}

/* Element count of a tensor already accepted by td_tensor_ok. */
static inline int32_t td_tensor_elems(const td_tensor *t) {
  int32_t n = 1;
  for (uint8_t i = 0; i < t->rank; ++i) n *= t->dims[i];
  return n;
}

/* An int32 array of count elements at a constant-region offset, or NULL. */
static inline const int32_t *td_const_i32(const td_op_ctx *ctx, uint32_t offset, int32_t count) {
  if (ctx->const_data == NULL || count < 1) return NULL;
  if (offset > ctx->const_bytes || (uint64_t)count * 4u > (uint64_t)(ctx->const_bytes - offset)) {
    return NULL;
  }
  const uint8_t *p = ctx->const_data + offset;
  if (((uintptr_t)p & 3u) != 0) return NULL;
  return (const int32_t *)(const void *)p;
}

/* Per-channel (or per-tensor) requantisation arrays: n_mult is 1 or
 * channels, multipliers non-negative, shifts within [-31, max_shift]. */
static inline int td_requant_ok(const td_op_ctx *ctx, int32_t n_mult, uint32_t mult_off,
                                uint32_t shift_off, int32_t channels, int max_shift) {
  if (n_mult != 1 && n_mult != channels) return 0;
  const int32_t *m = td_const_i32(ctx, mult_off, n_mult);
  const int32_t *s = td_const_i32(ctx, shift_off, n_mult);
  if (m == NULL || s == NULL) return 0;
  for (int32_t i = 0; i < n_mult; ++i) {
    if (m[i] < 0 || s[i] < TD_QMATH_MIN_SHIFT || s[i] > max_shift) return 0;
  }
  return 1;
}

/* Activation clamp inside the output type's range. */
static inline int td_act_ok(int32_t lo, int32_t hi, int32_t type_min, int32_t type_max) {
  return lo <= hi && lo >= type_min && hi <= type_max;
}

static inline int td_geom_ok(int32_t v, int32_t min) { return v >= min && v <= TD_GEOM_MAX; }

/* The farthest position a window loop computes, (out - 1) * stride +
 * (taps - 1) * dilation, stays below 2^30 (so with pad <= TD_GEOM_MAX no
 * int32 position can overflow). */
static inline int td_span_ok(int32_t out, int32_t stride, int32_t taps, int32_t dilation) {
  return (uint64_t)(out - 1) * (uint64_t)stride + (uint64_t)(taps - 1) * (uint64_t)dilation <
         ((uint64_t)1 << 30);
}

/* Window geometry shared by conv and pool checks: strides and dilations in
 * [1, TD_GEOM_MAX], pads and window sizes in range, spans bounded. */
static inline int td_window_ok(int32_t stride_w, int32_t stride_h, int32_t dil_w, int32_t dil_h,
                               int32_t pad_w, int32_t pad_h, int32_t win_w, int32_t win_h,
                               int32_t out_w, int32_t out_h) {
  return td_geom_ok(stride_w, 1) && td_geom_ok(stride_h, 1) && td_geom_ok(dil_w, 1) &&
         td_geom_ok(dil_h, 1) && td_geom_ok(pad_w, 0) && td_geom_ok(pad_h, 0) &&
         td_geom_ok(win_w, 1) && td_geom_ok(win_h, 1) && td_span_ok(out_w, stride_w, win_w, dil_w) &&
         td_span_ok(out_h, stride_h, win_h, dil_h);
}

/* The taps k in [*start, *end) of a window whose positions origin + k*dil
 * fall inside [0, size): the zero-padding taps are skipped by not visiting
 * them, which keeps the reference summation order. dil >= 1, taps >= 0. */
static inline void td_tap_range(int32_t origin, int32_t dil, int32_t taps, int32_t size,
                                int32_t *start, int32_t *end) {
  const int32_t s = origin < 0 ? (-origin + dil - 1) / dil : 0;
  const int32_t e = size - origin <= 0 ? 0 : (size - origin + dil - 1) / dil;
  *start = s;
  *end = e < taps ? e : taps;
}

/* Float clamps: ordered and not NaN (NaN compares false). */
static inline int td_act_f32_ok(float lo, float hi) { return lo <= hi; }

#endif
