/*
 * ADD, int8: TFLite's quantized add (reference_ops / reference_integer_ops
 * AddElementwise semantics, bit-exact), with numpy broadcasting up to
 * rank 6. The arithmetic and the params layout are in td_addsub_q.h; the
 * host (src/core/package/kernels/elementwise/arith.ts) computes every
 * multiplier, shift, offset and clamp.
 */
#include "td_addsub_q.h"
#include "td_kernels.h"

static td_status add_s8_check(const td_op_ctx *ctx) {
  return td_addsub_q_check(ctx, TD_INT8, -128, 127, 0);
}

static td_status add_s8_eval(const td_op_ctx *ctx) { return td_addsub_q_eval(ctx, 1, 1); }

const td_kernel td_kernel_add_s8 = {TD_K_ADD_S8, "ADD_S8", add_s8_check, add_s8_eval};
