/*
 * HARD_SWISH, int8: TFLite's reference_ops::HardSwish (int16 fixed point:
 * hires input, reluish multiplier in [0, 1], SaturatingDoublingHighMul,
 * output shift), which TFLite's optimized kernel matches bit for bit.
 * Evaluated as a 256-entry table built on the host (td_lut_s8.h).
 */
#include "td_kernels.h"
#include "td_lut_s8.h"

static td_status hard_swish_s8_check(const td_op_ctx *ctx) { return td_lut_s8_check(ctx); }
static td_status hard_swish_s8_eval(const td_op_ctx *ctx) { return td_lut_s8_eval(ctx); }

const td_kernel td_kernel_hard_swish_s8 = {TD_K_HARD_SWISH_S8, "HARD_SWISH_S8", hard_swish_s8_check, hard_swish_s8_eval};
