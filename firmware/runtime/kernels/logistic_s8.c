/*
 * LOGISTIC, int8: TFLite's int8 logistic, a table of
 *   clamp(round(1 / (1 + expf(-in_scale * (q - in_zp))) / out_scale) + out_zp)
 * evaluated in float (TFLite's PopulateLookupTable; output scale 1/256, zp -128).
 * Evaluated as a 256-entry table built on the host (td_lut_s8.h).
 */
#include "td_kernels.h"
#include "td_lut_s8.h"

static td_status logistic_s8_check(const td_op_ctx *ctx) { return td_lut_s8_check(ctx); }
static td_status logistic_s8_eval(const td_op_ctx *ctx) { return td_lut_s8_eval(ctx); }

const td_kernel td_kernel_logistic_s8 = {TD_K_LOGISTIC_S8, "LOGISTIC_S8", logistic_s8_check, logistic_s8_eval};
