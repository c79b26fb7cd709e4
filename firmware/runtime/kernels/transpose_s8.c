/*
 * TRANSPOSE, int8 (any 1-byte type): TFLite's Transpose, rank up to 6:
 *   out[i_0, ..., i_{r-1}] = in[j] with j[perm[d]] = i_d
 * Params (rank int32 words, rank = input rank = output rank): perm[0..rank-1],
 * a permutation with out dims[d] == in dims[perm[d]].
 */
#include "td_ew_util.h"
#include "td_kernels.h"

static td_status transpose_s8_check(const td_op_ctx *ctx) {
  if (ctx->num_inputs < 1 || ctx->num_outputs != 1) return TD_ERR_BAD_PARAMS;
  const td_tensor *in = ctx->inputs[0], *out = ctx->outputs[0];
  if (!td_tensor_is(in, TD_INT8) || !td_tensor_is(out, TD_INT8)) return TD_ERR_BAD_PARAMS;
  const uint32_t r = in->rank;
  if (out->rank != r || !td_has_words(ctx, r) || !td_disjoint(in, out)) return TD_ERR_BAD_PARAMS;
  uint32_t seen = 0;
  for (uint32_t d = 0; d < r; d++) {
    const int32_t p = td_pi(ctx, d);
    if (p < 0 || (uint32_t)p >= r || (seen & (1u << p)) != 0) return TD_ERR_BAD_PARAMS;
    seen |= 1u << p;
    if (out->dims[d] != in->dims[p]) return TD_ERR_BAD_PARAMS;
  }
  return TD_OK;
}

static td_status transpose_s8_eval(const td_op_ctx *ctx) {
  const td_tensor *in = ctx->inputs[0];
  const td_tensor *out = ctx->outputs[0];
  const uint32_t r = in->rank;
  const int8_t *src = (const int8_t *)in->data;
  int8_t *dst = (int8_t *)out->data;
  const uint32_t n = td_numel(out);
  if (n == 0) return TD_OK;
  if (r == 0) {
    dst[0] = src[0];
    return TD_OK;
  }
  uint32_t istride[TD_MAX_RANK], step[TD_MAX_RANK];
  uint32_t s = 1;
  for (int32_t d = (int32_t)r - 1; d >= 0; d--) {
    istride[d] = s;
    s *= (uint32_t)in->dims[d];
  }
  for (uint32_t d = 0; d < r; d++) step[d] = istride[td_pi(ctx, d)];
  const uint32_t inner = r - 1;
  const uint32_t len = (uint32_t)out->dims[inner], st = step[inner];
  int32_t idx[TD_MAX_RANK] = {0};
  uint32_t off = 0;
  for (;;) {
    for (uint32_t k = 0, o = off; k < len; k++, o += st) *dst++ = src[o];
    int32_t d = (int32_t)inner - 1;
    for (; d >= 0; d--) {
      idx[d]++;
      off += step[d];
      if (idx[d] < out->dims[d]) break;
      off -= step[d] * (uint32_t)out->dims[d];
      idx[d] = 0;
    }
    if (d < 0) return TD_OK;
  }
}

const td_kernel td_kernel_transpose_s8 = {TD_K_TRANSPOSE_S8, "TRANSPOSE_S8", transpose_s8_check,
                                          transpose_s8_eval};
