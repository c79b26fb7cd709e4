/*
 * QUANTIZE to int8: TFLite's quantize (float input:
 * AffineQuantize) and requantize (integer input: Requantize), bit-exact.
 * Semantics and params layout in td_quantize.h.
 */
#include "td_kernels.h"
#include "td_quantize.h"

static td_status quantize_s8_check(const td_op_ctx *ctx) { return td_quantize_check(ctx, 1); }
static td_status quantize_s8_eval(const td_op_ctx *ctx) { return td_quantize_eval(ctx); }

const td_kernel td_kernel_quantize_s8 = {TD_K_QUANTIZE_S8, "QUANTIZE_S8", quantize_s8_check, quantize_s8_eval};
