/*
 * TANH, int8: TFLite's int8 tanh, a table of
 *   clamp(round(tanhf(in_scale * (q - in_zp)) / out_scale) + out_zp)
 * evaluated in float (TFLite's PopulateLookupTable).
 * Evaluated as a 256-entry table built on the host (td_lut_s8.h).
 */
#include "td_kernels.h"
#include "td_lut_s8.h"

static td_status tanh_s8_check(const td_op_ctx *ctx) { return td_lut_s8_check(ctx); }
static td_status tanh_s8_eval(const td_op_ctx *ctx) { return td_lut_s8_eval(ctx); }

const td_kernel td_kernel_tanh_s8 = {TD_K_TANH_S8, "TANH_S8", tanh_s8_check, tanh_s8_eval};
