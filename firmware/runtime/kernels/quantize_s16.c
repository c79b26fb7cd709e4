/*
 * QUANTIZE to int16 (and int16 -> int32): TFLite's quantize (float input:
 * AffineQuantize) and requantize (integer input: Requantize), bit-exact.
 * Semantics and params layout in td_quantize.h.
 */
#include "td_kernels.h"
#include "td_quantize.h"

static td_status quantize_s16_check(const td_op_ctx *ctx) { return td_quantize_check(ctx, 0); }
static td_status quantize_s16_eval(const td_op_ctx *ctx) { return td_quantize_eval(ctx); }

const td_kernel td_kernel_quantize_s16 = {TD_K_QUANTIZE_S16, "QUANTIZE_S16", quantize_s16_check, quantize_s16_eval};
