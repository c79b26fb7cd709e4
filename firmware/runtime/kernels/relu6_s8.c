/*
 * RELU6, int8: TFLite's QuantizedReluX with act range [0, 6]:
 *   out = clamp(out_zp + MBQM(in - in_zp, m, s), max(-128, out_zp),
 *               min(127, out_zp + roundf(6 / out_scale))).
 * Evaluated as a 256-entry table built on the host (td_lut_s8.h).
 */
#include "td_kernels.h"
#include "td_lut_s8.h"

static td_status relu6_s8_check(const td_op_ctx *ctx) { return td_lut_s8_check(ctx); }
static td_status relu6_s8_eval(const td_op_ctx *ctx) { return td_lut_s8_eval(ctx); }

const td_kernel td_kernel_relu6_s8 = {TD_K_RELU6_S8, "RELU6_S8", relu6_s8_check, relu6_s8_eval};
