/*
 * Shared body of PAD_S8 and PAD_S16 (TFLite PAD / PADV2, any rank up to 6):
 * the output is the input surrounded by before[d] / after[d] elements of a
 * constant (the output zero point for PAD, the constant_values tensor for
 * PADV2; chosen on the host).
 * Params (1 + 2 * rank int32 words, rank = input rank = output rank):
 *   0 pad value, then before[0], after[0], ..., before[rank-1], after[rank-1].
 */
#ifndef TD_PAD_H
#define TD_PAD_H

#include <string.h>

#include "td_ew_util.h"

static inline td_status td_pad_check(const td_op_ctx *ctx, uint8_t dtype, int32_t lo, int32_t hi) {
  if (ctx->num_inputs < 1 || ctx->num_outputs != 1) return TD_ERR_BAD_PARAMS;
  const td_tensor *in = ctx->inputs[0], *out = ctx->outputs[0];
  if (!td_tensor_is(in, dtype) || !td_tensor_is(out, dtype)) return TD_ERR_BAD_PARAMS;
  const uint32_t r = in->rank;
  if (out->rank != r || !td_has_words(ctx, 1u + 2u * r) || !td_disjoint(in, out)) {
    return TD_ERR_BAD_PARAMS;
  }
  const int32_t v = td_pi(ctx, 0);
  if (v < lo || v > hi) return TD_ERR_BAD_PARAMS;
  for (uint32_t d = 0; d < r; d++) {
    const int32_t before = td_pi(ctx, 1u + 2u * d), after = td_pi(ctx, 2u + 2u * d);
    if (before < 0 || after < 0 || before > TD_MAX_DIM || after > TD_MAX_DIM) {
      return TD_ERR_BAD_PARAMS;
    }
    if ((int64_t)in->dims[d] + before + after != out->dims[d]) return TD_ERR_BAD_PARAMS;
  }
  return TD_OK;
}

static inline td_status td_pad_eval(const td_op_ctx *ctx, uint32_t esize) {
  const td_tensor *in = ctx->inputs[0];
  td_tensor *out = ctx->outputs[0];
  const uint32_t r = in->rank;
  const int32_t v = td_pi(ctx, 0);
  const uint32_t nout = out->bytes / esize;
  /* Fill with the pad value. */
  if (esize == 1) {
    memset(out->data, (int)(uint8_t)(int8_t)v, nout);
  } else {
    int16_t *o = (int16_t *)out->data;
    for (uint32_t i = 0; i < nout; i++) o[i] = (int16_t)v;
  }
  if (td_numel(in) == 0) return TD_OK;
  if (r == 0) {
    memcpy(out->data, in->data, esize);
    return TD_OK;
  }
  /* Output strides (elements) and the offset of input element 0. */
  uint32_t ostride[TD_MAX_RANK];
  uint32_t s = 1, base = 0;
  for (int32_t d = (int32_t)r - 1; d >= 0; d--) {
    ostride[d] = s;
    base += (uint32_t)td_pi(ctx, 1u + 2u * (uint32_t)d) * s;
    s *= (uint32_t)out->dims[d];
  }
  const uint32_t row = (uint32_t)in->dims[r - 1] * esize;
  const uint8_t *src = (const uint8_t *)in->data;
  uint8_t *dst = (uint8_t *)out->data;
  int32_t idx[TD_MAX_RANK] = {0};
  uint32_t off = base;
  for (;;) {
    memcpy(dst + (size_t)off * esize, src, row);
    src += row;
    int32_t d = (int32_t)r - 2;
    for (; d >= 0; d--) {
      idx[d]++;
      off += ostride[d];
      if (idx[d] < in->dims[d]) break;
      off -= ostride[d] * (uint32_t)in->dims[d];
      idx[d] = 0;
    }
    if (d < 0) return TD_OK;
  }
}

#endif
