/*
 * MUL, int8: TFLite's quantized multiply (reference_integer_ops::MulElementwise
 * semantics, bit-exact), numpy broadcasting up to rank 6:
 *   out = clamp(out_offset + MBQM((in1 + in1_offset) * (in2 + in2_offset),
 *                                 out_multiplier, out_shift), act_min, act_max)
 * Params (7 int32 words): 0 in1_offset, 1 in2_offset, 2 out_offset,
 *   3 out_multiplier, 4 out_shift, 5 act_min, 6 act_max.
 * The host computes the multiplier from in1_scale * in2_scale / out_scale.
 */
#include "td_bcast.h"
#include "td_ew_util.h"
#include "td_kernels.h"
#include "td_qmath.h"

typedef struct {
  int32_t o1, o2, oo, m, s, lo, hi;
} mul_params;

static void load(const td_op_ctx *ctx, mul_params *p) {
  p->o1 = td_pi(ctx, 0);
  p->o2 = td_pi(ctx, 1);
  p->oo = td_pi(ctx, 2);
  p->m = td_pi(ctx, 3);
  p->s = td_pi(ctx, 4);
  p->lo = td_pi(ctx, 5);
  p->hi = td_pi(ctx, 6);
}

static td_status mul_s8_check(const td_op_ctx *ctx) {
  if (!td_bcast_op_ok(ctx, TD_INT8, 7)) return TD_ERR_BAD_PARAMS;
  mul_params p;
  load(ctx, &p);
  if (p.o1 < -255 || p.o1 > 255 || p.o2 < -255 || p.o2 > 255) return TD_ERR_BAD_PARAMS;
  if (p.s < TD_QMATH_MIN_SHIFT || p.s > TD_QMATH_MAX_SHIFT) return TD_ERR_BAD_PARAMS;
  if (p.lo < -128 || p.hi > 127 || p.lo > p.hi) return TD_ERR_BAD_PARAMS;
  return TD_OK;
}

static void mul_row(const void *prm, const void *a, int32_t sa, const void *b, int32_t sb, void *o,
                    int32_t n) {
  const mul_params *p = (const mul_params *)prm;
  const int8_t *x = (const int8_t *)a;
  const int8_t *y = (const int8_t *)b;
  int8_t *z = (int8_t *)o;
  for (int32_t i = 0; i < n; i++) {
    const int32_t prod = (x[i * sa] + p->o1) * (y[i * sb] + p->o2);
    const int32_t v = td_wadd(p->oo, td_mbqm(prod, p->m, p->s));
    z[i] = (int8_t)td_clamp_i32(v, p->lo, p->hi);
  }
}

static td_status mul_s8_eval(const td_op_ctx *ctx) {
  mul_params p;
  td_bcast bc;
  load(ctx, &p);
  if (!td_bcast_init(&bc, ctx->inputs[0], ctx->inputs[1], ctx->outputs[0])) {
    return TD_ERR_BAD_PARAMS;
  }
  td_bcast_run(&bc, ctx->inputs[0]->data, 1, ctx->inputs[1]->data, 1, ctx->outputs[0]->data, 1,
               mul_row, &p);
  return TD_OK;
}

const td_kernel td_kernel_mul_s8 = {TD_K_MUL_S8, "MUL_S8", mul_s8_check, mul_s8_eval};
