/*
 * STRIDED_SLICE, int16: TFLite's StridedSlice (rank up to 6, all masks and
 * negative strides), a pure gather; the indices are resolved on the host,
 * layout in td_strided_slice.h.
 */
#include "td_kernels.h"
#include "td_strided_slice.h"

static td_status strided_slice_s16_check(const td_op_ctx *ctx) { return td_slice_check(ctx, TD_INT16); }
static td_status strided_slice_s16_eval(const td_op_ctx *ctx) { return td_slice_eval(ctx, 2); }

const td_kernel td_kernel_strided_slice_s16 = {TD_K_STRIDED_SLICE_S16, "STRIDED_SLICE_S16", strided_slice_s16_check, strided_slice_s16_eval};
