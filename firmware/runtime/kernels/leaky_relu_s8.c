/*
 * LEAKY_RELU, int8: TFLite's QuantizeLeakyRelu:
 *   x = in - in_zp; out = clamp(out_zp + MBQM(x, x >= 0 ? identity : alpha), -128, 127)
 * with identity = in_scale / out_scale, alpha = in_scale * alpha / out_scale.
 * Evaluated as a 256-entry table built on the host (td_lut_s8.h).
 */
#include "td_kernels.h"
#include "td_lut_s8.h"

static td_status leaky_relu_s8_check(const td_op_ctx *ctx) { return td_lut_s8_check(ctx); }
static td_status leaky_relu_s8_eval(const td_op_ctx *ctx) { return td_lut_s8_eval(ctx); }

const td_kernel td_kernel_leaky_relu_s8 = {TD_K_LEAKY_RELU_S8, "LEAKY_RELU_S8", leaky_relu_s8_check, leaky_relu_s8_eval};
