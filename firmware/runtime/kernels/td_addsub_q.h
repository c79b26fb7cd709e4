/*
 * Shared body of the quantized ADD/SUB kernels (int8 and int16), TFLite
 * semantics. Two paths, chosen on the host (src/core/package/kernels/
 * elementwise/arith.ts):
 *
 * General (TFLite's AddElementwise / SubElementwise, also the int16
 * "general scale" path with left_shift 15):
 *   a = (in1 + in1_offset) << left_shift,  b = (in2 + in2_offset) << left_shift
 *   a' = MBQM(a, m1, s1), b' = MBQM(b, m2, s2)          (s1, s2 <= 0)
 *   out = clamp(MBQM(a' +/- b', m_out, s_out) + out_offset, act_min, act_max)
 *
 * Power-of-two int16 (TFLite's pot_scale_int16 path, zero points 0):
 *   out = clamp(RoundingDivideByPOT(in1, -s1) +/- RoundingDivideByPOT(in2, -s2),
 *               act_min, act_max)
 *
 * Params (13 int32 words):
 *   0 mode (0 general, 1 power-of-two; int16 only)
 *   1 in1_offset  2 in2_offset  3 out_offset  4 left_shift
 *   5 in1_multiplier  6 in1_shift  7 in2_multiplier  8 in2_shift
 *   9 out_multiplier  10 out_shift  11 act_min  12 act_max
 * Inputs broadcast against each other (td_bcast.h).
 */
#ifndef TD_ADDSUB_Q_H
#define TD_ADDSUB_Q_H

#include "td_bcast.h"
#include "td_ew_util.h"
#include "td_qmath.h"

#define TD_ADDSUB_WORDS 13u

typedef struct {
  int32_t mode, in1_offset, in2_offset, out_offset, left_shift;
  int32_t m1, s1, m2, s2, mo, so, act_min, act_max;
  int32_t sign; /* +1 add, -1 sub */
} td_addsub_q;

static inline void td_addsub_q_load(const td_op_ctx *ctx, td_addsub_q *p, int32_t sign) {
  p->mode = td_pi(ctx, 0);
  p->in1_offset = td_pi(ctx, 1);
  p->in2_offset = td_pi(ctx, 2);
  p->out_offset = td_pi(ctx, 3);
  p->left_shift = td_pi(ctx, 4);
  p->m1 = td_pi(ctx, 5);
  p->s1 = td_pi(ctx, 6);
  p->m2 = td_pi(ctx, 7);
  p->s2 = td_pi(ctx, 8);
  p->mo = td_pi(ctx, 9);
  p->so = td_pi(ctx, 10);
  p->act_min = td_pi(ctx, 11);
  p->act_max = td_pi(ctx, 12);
  p->sign = sign;
}

/* qmin/qmax: the dtype's range; pot_allowed: int16 only. */
static inline td_status td_addsub_q_check(const td_op_ctx *ctx, uint8_t dtype, int32_t qmin,
                                          int32_t qmax, int pot_allowed) {
  if (!td_bcast_op_ok(ctx, dtype, TD_ADDSUB_WORDS)) return TD_ERR_BAD_PARAMS;
  td_addsub_q p;
  td_addsub_q_load(ctx, &p, 1);
  if (p.act_min < qmin || p.act_max > qmax || p.act_min > p.act_max) return TD_ERR_BAD_PARAMS;
  if (p.mode == 1) {
    if (!pot_allowed) return TD_ERR_BAD_PARAMS;
    if (p.s1 > 0 || p.s1 < -31 || p.s2 > 0 || p.s2 < -31) return TD_ERR_BAD_PARAMS;
    return TD_OK;
  }
  if (p.mode != 0) return TD_ERR_BAD_PARAMS;
  /* Ranges under which TFLite's int32 arithmetic cannot overflow. */
  const int32_t lim = qmax > 127 ? 32767 : 255; /* |value + offset| << shift stays < 2^31 */
  if (p.in1_offset < -lim || p.in1_offset > lim || p.in2_offset < -lim || p.in2_offset > lim) {
    return TD_ERR_BAD_PARAMS;
  }
  if (p.left_shift < 0 || p.left_shift > (qmax > 127 ? 15 : 20)) return TD_ERR_BAD_PARAMS;
  if (p.s1 > 0 || p.s1 < -31 || p.s2 > 0 || p.s2 < -31) return TD_ERR_BAD_PARAMS;
  if (p.so > 0 || p.so < -31) return TD_ERR_BAD_PARAMS;
  if (p.m1 < 0 || p.m2 < 0 || p.mo < 0) return TD_ERR_BAD_PARAMS;
  return TD_OK;
}

static inline int32_t td_addsub_q_one(const td_addsub_q *p, int32_t x, int32_t y) {
  if (p->mode == 1) {
    const int32_t a = td_rdbpot(x, -p->s1);
    const int32_t b = td_rdbpot(y, -p->s2);
    return td_clamp_i32(p->sign > 0 ? a + b : a - b, p->act_min, p->act_max);
  }
  const int32_t a = (x + p->in1_offset) * (1 << p->left_shift);
  const int32_t b = (y + p->in2_offset) * (1 << p->left_shift);
  const int32_t sa = td_mbqm(a, p->m1, p->s1);
  const int32_t sb = td_mbqm(b, p->m2, p->s2);
  const int32_t raw = p->sign > 0 ? td_wadd(sa, sb) : td_wsub(sa, sb);
  const int32_t out = td_wadd(td_mbqm(raw, p->mo, p->so), p->out_offset);
  return td_clamp_i32(out, p->act_min, p->act_max);
}

static inline void td_addsub_row_s8(const void *prm, const void *a, int32_t sa, const void *b,
                                    int32_t sb, void *o, int32_t n) {
  const td_addsub_q *p = (const td_addsub_q *)prm;
  const int8_t *x = (const int8_t *)a;
  const int8_t *y = (const int8_t *)b;
  int8_t *z = (int8_t *)o;
  for (int32_t i = 0; i < n; i++) z[i] = (int8_t)td_addsub_q_one(p, x[i * sa], y[i * sb]);
}

static inline void td_addsub_row_s16(const void *prm, const void *a, int32_t sa, const void *b,
                                     int32_t sb, void *o, int32_t n) {
  const td_addsub_q *p = (const td_addsub_q *)prm;
  const int16_t *x = (const int16_t *)a;
  const int16_t *y = (const int16_t *)b;
  int16_t *z = (int16_t *)o;
  for (int32_t i = 0; i < n; i++) z[i] = (int16_t)td_addsub_q_one(p, x[i * sa], y[i * sb]);
}

static inline td_status td_addsub_q_eval(const td_op_ctx *ctx, int32_t sign, uint32_t esize) {
  td_addsub_q p;
  td_bcast bc;
  td_addsub_q_load(ctx, &p, sign);
  if (!td_bcast_init(&bc, ctx->inputs[0], ctx->inputs[1], ctx->outputs[0])) {
    return TD_ERR_BAD_PARAMS;
  }
  td_bcast_run(&bc, ctx->inputs[0]->data, esize, ctx->inputs[1]->data, esize,
               ctx->outputs[0]->data, esize, esize == 1 ? td_addsub_row_s8 : td_addsub_row_s16, &p);
  return TD_OK;
}

#endif
