/*
 * MEAN, int8, any set of axes, keep_dims or not (the output's dims carry
 * that; the element order is the same). TFLite's three int8 paths, chosen on
 * the host exactly as TFLite's reduce.cc chooses them:
 *  mode 0 (4D, axes {1,2}, keep_dims: reference_integer_ops::Mean):
 *     acc = sum(q - in_zp); acc = MBQM(acc, m, s)          m, s from in/out scale
 *     acc = acc > 0 ? (acc + n/2) / n : (acc - n/2) / n; out = clamp(acc + out_zp)
 *  mode 1 (same scale and zero point: reference_ops::Mean):
 *     out = sum(q) / n                                   (C division, truncating)
 *  mode 2 (otherwise: optimized_ops::QuantizedMeanOrSum, in float):
 *     mean = (float)sum(q) / (float)n
 *     out = clamp(round(mean * scale + bias) + out_zp, -128, 127)
 *     scale = in_scale / out_scale, bias = -in_zp * scale (the reference
 *     kernel's variant adds 0.5 to bias; the host may pass that instead)
 * Params (8 words): 0 mode, 1 in_zp, 2 out_zp, 3 m, 4 s, 5 scale (f32),
 *   6 bias (f32), 7 axis mask (bit d = input dim d is reduced).
 */
#include "td_ew_util.h"
#include "td_fmath.h"
#include "td_kernels.h"
#include "td_qmath.h"

typedef struct {
  uint32_t nk, nr; /* kept and reduced dims */
  int32_t kdim[TD_MAX_RANK], kstride[TD_MAX_RANK];
  int32_t rdim[TD_MAX_RANK], rstride[TD_MAX_RANK];
  uint32_t kept, reduced; /* element counts */
} mean_geom;

static int geometry(const td_tensor *in, uint32_t mask, mean_geom *g) {
  uint64_t kept = 1, reduced = 1;
  int32_t s = 1;
  g->nk = g->nr = 0;
  for (int32_t d = (int32_t)in->rank - 1; d >= 0; d--) {
    if (mask & (1u << d)) {
      g->rdim[g->nr] = in->dims[d];
      g->rstride[g->nr++] = s;
      reduced *= (uint64_t)in->dims[d];
    } else {
      g->kdim[g->nk] = in->dims[d];
      g->kstride[g->nk++] = s;
      kept *= (uint64_t)in->dims[d];
    }
    s *= in->dims[d];
  }
  /* Sums of up to 2^22 int8 values (and zp * n) stay far inside int32. */
  if (kept > UINT32_MAX || reduced > ((uint64_t)1 << 22)) return 0;
  g->kept = (uint32_t)kept;
  g->reduced = (uint32_t)reduced;
  return 1;
}

static td_status mean_s8_check(const td_op_ctx *ctx) {
  if (ctx->num_inputs < 1 || ctx->num_outputs != 1 || !td_has_words(ctx, 8)) {
    return TD_ERR_BAD_PARAMS;
  }
  const td_tensor *in = ctx->inputs[0], *out = ctx->outputs[0];
  if (!td_tensor_is(in, TD_INT8) || !td_tensor_is(out, TD_INT8) || !td_disjoint(in, out)) {
    return TD_ERR_BAD_PARAMS;
  }
  const uint32_t mask = (uint32_t)td_pi(ctx, 7);
  if (in->rank < 1 || (mask >> in->rank) != 0) return TD_ERR_BAD_PARAMS;
  mean_geom g;
  if (!geometry(in, mask, &g) || g.kept != td_numel(out) || g.reduced == 0) {
    return TD_ERR_BAD_PARAMS;
  }
  const int32_t mode = td_pi(ctx, 0), in_zp = td_pi(ctx, 1), s = td_pi(ctx, 4);
  if (mode < 0 || mode > 2 || in_zp < -128 || in_zp > 127) return TD_ERR_BAD_PARAMS;
  if (mode == 0 && (s < TD_QMATH_MIN_SHIFT || s > TD_QMATH_MAX_SHIFT)) return TD_ERR_BAD_PARAMS;
  return TD_OK;
}

static int32_t reduce_sum(const int8_t *base, const mean_geom *g) {
  int32_t idx[TD_MAX_RANK] = {0};
  int32_t sum = 0, off = 0;
  if (g->nr == 0) return base[0];
  for (;;) {
    for (int32_t k = 0, o = off; k < g->rdim[0]; k++, o += g->rstride[0]) sum += base[o];
    uint32_t d = 1;
    for (; d < g->nr; d++) {
      idx[d]++;
      off += g->rstride[d];
      if (idx[d] < g->rdim[d]) break;
      off -= g->rstride[d] * g->rdim[d];
      idx[d] = 0;
    }
    if (d == g->nr) return sum;
  }
}

static td_status mean_s8_eval(const td_op_ctx *ctx) {
  const td_tensor *in = ctx->inputs[0];
  int8_t *dst = (int8_t *)ctx->outputs[0]->data;
  const int8_t *src = (const int8_t *)in->data;
  const int32_t mode = td_pi(ctx, 0), in_zp = td_pi(ctx, 1), out_zp = td_pi(ctx, 2);
  const int32_t m = td_pi(ctx, 3), s = td_pi(ctx, 4);
  const float scale = td_pf(ctx, 5), bias = td_pf(ctx, 6);
  mean_geom g;
  if (!geometry(in, (uint32_t)td_pi(ctx, 7), &g)) return TD_ERR_BAD_PARAMS;
  const int32_t n = (int32_t)g.reduced;
  /* Kept dims were collected innermost first: walk them in output order. */
  int32_t idx[TD_MAX_RANK] = {0};
  int32_t off = 0;
  for (uint32_t o = 0; o < g.kept; o++) {
    const int32_t sum = reduce_sum(src + off, &g);
    int32_t q;
    if (mode == 0) {
      int32_t acc = td_mbqm(sum - in_zp * n, m, s);
      acc = acc > 0 ? td_wadd(acc, n / 2) / n : td_wsub(acc, n / 2) / n;
      q = td_clamp_i32(td_wadd(acc, out_zp), -128, 127);
    } else if (mode == 1) {
      q = sum / n;
    } else {
      const float mean = (float)sum / (float)n;
      float r = td_roundf(mean * scale + bias) + (float)out_zp;
      r = r > 127.0f ? 127.0f : r;
      r = r < -128.0f ? -128.0f : r;
      q = (int32_t)r;
    }
    dst[o] = (int8_t)q;
    for (uint32_t d = 0; d < g.nk; d++) {
      idx[d]++;
      off += g.kstride[d];
      if (idx[d] < g.kdim[d]) break;
      off -= g.kstride[d] * g.kdim[d];
      idx[d] = 0;
    }
  }
  return TD_OK;
}

const td_kernel td_kernel_mean_s8 = {TD_K_MEAN_S8, "MEAN_S8", mean_s8_check, mean_s8_eval};
