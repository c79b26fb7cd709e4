/*
 * PAD / PADV2, int8: TFLite's Pad (constant padding, rank up to 6). The pad
 * value and paddings are resolved on the host; layout in td_pad.h.
 */
#include "td_kernels.h"
#include "td_pad.h"

static td_status pad_s8_check(const td_op_ctx *ctx) { return td_pad_check(ctx, TD_INT8, -128, 127); }
static td_status pad_s8_eval(const td_op_ctx *ctx) { return td_pad_eval(ctx, 1); }

const td_kernel td_kernel_pad_s8 = {TD_K_PAD_S8, "PAD_S8", pad_s8_check, pad_s8_eval};
