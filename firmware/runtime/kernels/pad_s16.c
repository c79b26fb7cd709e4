/*
 * PAD / PADV2, int16: TFLite's Pad (constant padding, rank up to 6). The pad
 * value and paddings are resolved on the host; layout in td_pad.h.
 */
#include "td_kernels.h"
#include "td_pad.h"

static td_status pad_s16_check(const td_op_ctx *ctx) { return td_pad_check(ctx, TD_INT16, -32768, 32767); }
static td_status pad_s16_eval(const td_op_ctx *ctx) { return td_pad_eval(ctx, 2); }

const td_kernel td_kernel_pad_s16 = {TD_K_PAD_S16, "PAD_S16", pad_s16_check, pad_s16_eval};
