/*
 * Shared body of STRIDED_SLICE_S8 and STRIDED_SLICE_S16. The host resolves
 * TFLite's begin/end/strides and begin/end/ellipsis/new-axis/shrink masks
 * (src/core/package/kernels/elementwise/strided-slice.ts) into, for every
 * input dim, the first index, the step and the number of elements taken;
 * new and shrunk axes only change the output's dims, not the element order.
 * Params (3 * rank int32 words, rank = input rank):
 *   start[d], stride[d], count[d] for d = 0 .. rank-1.
 * Every index start + k * stride (k < count) must be inside the dim.
 */
#ifndef TD_STRIDED_SLICE_H
#define TD_STRIDED_SLICE_H

#include <string.h>

#include "td_ew_util.h"

static inline td_status td_slice_check(const td_op_ctx *ctx, uint8_t dtype) {
  if (ctx->num_inputs < 1 || ctx->num_outputs != 1) return TD_ERR_BAD_PARAMS;
  const td_tensor *in = ctx->inputs[0], *out = ctx->outputs[0];
  if (!td_tensor_is(in, dtype) || !td_tensor_is(out, dtype)) return TD_ERR_BAD_PARAMS;
  const uint32_t r = in->rank;
  if (!td_has_words(ctx, 3u * r) || !td_disjoint(in, out)) return TD_ERR_BAD_PARAMS;
  /* Offsets are int32 in eval. */
  if (td_numel(in) > (uint32_t)INT32_MAX) return TD_ERR_BAD_PARAMS;
  uint64_t total = 1;
  for (uint32_t d = 0; d < r; d++) {
    const int64_t start = td_pi(ctx, 3u * d), stride = td_pi(ctx, 3u * d + 1u);
    const int64_t count = td_pi(ctx, 3u * d + 2u);
    if (count < 0 || stride == 0) return TD_ERR_BAD_PARAMS;
    if (count > 0) {
      const int64_t last = start + (count - 1) * stride;
      if (start < 0 || start >= in->dims[d] || last < 0 || last >= in->dims[d]) {
        return TD_ERR_BAD_PARAMS;
      }
    }
    total *= (uint64_t)count;
  }
  if (total != td_numel(out)) return TD_ERR_BAD_PARAMS;
  return TD_OK;
}

static inline td_status td_slice_eval(const td_op_ctx *ctx, uint32_t esize) {
  const td_tensor *in = ctx->inputs[0];
  const uint32_t r = in->rank;
  const uint8_t *src = (const uint8_t *)in->data;
  uint8_t *dst = (uint8_t *)ctx->outputs[0]->data;
  if (td_numel(ctx->outputs[0]) == 0) return TD_OK;
  if (r == 0) {
    memcpy(dst, src, esize);
    return TD_OK;
  }
  int32_t istride[TD_MAX_RANK], start[TD_MAX_RANK], step[TD_MAX_RANK], count[TD_MAX_RANK];
  int32_t s = 1;
  for (int32_t d = (int32_t)r - 1; d >= 0; d--) {
    istride[d] = s;
    s *= in->dims[d];
  }
  int32_t off = 0;
  for (uint32_t d = 0; d < r; d++) {
    start[d] = td_pi(ctx, 3u * d);
    count[d] = td_pi(ctx, 3u * d + 2u);
    /* With one element taken the stride is irrelevant (and may be huge);
     * with more, check bounded |stride| * (count - 1) by the dim. */
    step[d] = count[d] > 1 ? td_pi(ctx, 3u * d + 1u) * istride[d] : 0;
    off += start[d] * istride[d];
  }
  const uint32_t inner = r - 1;
  int32_t idx[TD_MAX_RANK] = {0};
  for (;;) {
    if (step[inner] == 1) {
      memcpy(dst, src + (size_t)off * esize, (size_t)count[inner] * esize);
      dst += (size_t)count[inner] * esize;
    } else {
      int32_t o = off;
      for (int32_t k = 0; k < count[inner]; k++, o += step[inner]) {
        memcpy(dst, src + (size_t)o * esize, esize);
        dst += esize;
      }
    }
    int32_t d = (int32_t)inner - 1;
    for (; d >= 0; d--) {
      idx[d]++;
      off += step[d];
      if (idx[d] < count[d]) break;
      off -= step[d] * count[d];
      idx[d] = 0;
    }
    if (d < 0) return TD_OK;
  }
}

#endif
