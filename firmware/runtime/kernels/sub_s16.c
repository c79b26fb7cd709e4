/*
 * SUB, int16: TFLite's quantized sub (reference_ops / reference_integer_ops
 * SubElementwise semantics, bit-exact), with numpy broadcasting up to
 * rank 6. The arithmetic and the params layout are in td_addsub_q.h; the
 * host (src/core/package/kernels/elementwise/arith.ts) computes every
 * multiplier, shift, offset and clamp.
 */
#include "td_addsub_q.h"
#include "td_kernels.h"

static td_status sub_s16_check(const td_op_ctx *ctx) {
  return td_addsub_q_check(ctx, TD_INT16, -32768, 32767, 1);
}

static td_status sub_s16_eval(const td_op_ctx *ctx) { return td_addsub_q_eval(ctx, -1, 2); }

const td_kernel td_kernel_sub_s16 = {TD_K_SUB_S16, "SUB_S16", sub_s16_check, sub_s16_eval};
