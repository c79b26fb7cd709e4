/*
 * AVERAGE_POOL_2D, int8 (input and output share scale and zero point).
 * Reference semantics: TFLite reference_integer_ops::AveragePool: over the
 * window clipped to the input (padding cells are not counted),
 *   sum = sum of the raw int8 values, n = number of cells;
 *   avg = sum > 0 ? (sum + n/2) / n : (sum - n/2) / n   (C division,
 *         truncating: rounds half away from zero);
 *   out = clamp(avg, act_min, act_max).
 * A window with no cell inside the input is an error (TFLite fails too).
 * Tensors: inputs[0] [N,H,W,C]; outputs[0] [N,OH,OW,C]. Params:
 * td_pool_q_params.
 */
#include "td_conv_check.h"
#include "td_kernels.h"

static td_status average_pool_2d_s8_check(const td_op_ctx *ctx) {
  td_pool_q_params p;
  if (!td_pool_op_ok(ctx, &p, sizeof p, TD_INT8) ||
      !td_pool_window_ok(ctx, p.stride_w, p.stride_h, p.filter_w, p.filter_h, p.pad_w, p.pad_h) ||
      !td_act_ok(p.act_min, p.act_max, -128, 127)) {
    return TD_ERR_BAD_PARAMS;
  }
  /* Keeps the int32 sum of int8 values exact. */
  if ((int64_t)p.filter_w * p.filter_h > (1 << 23)) return TD_ERR_BAD_PARAMS;
  return TD_OK;
}

static td_status average_pool_2d_s8_eval(const td_op_ctx *ctx) {
  td_pool_q_params p;
  memcpy(&p, ctx->params, sizeof p);
  const td_tensor *in = ctx->inputs[0];
  const td_tensor *out = ctx->outputs[0];
  const int8_t *input = (const int8_t *)in->data;
  int8_t *output = (int8_t *)out->data;
  const int32_t batches = in->dims[0], in_h = in->dims[1], in_w = in->dims[2], depth = in->dims[3];
  const int32_t out_h = out->dims[1], out_w = out->dims[2];

  for (int32_t b = 0; b < batches; ++b) {
    for (int32_t oy = 0; oy < out_h; ++oy) {
      const int32_t iy0 = oy * p.stride_h - p.pad_h;
      const int32_t y_start = td_max_i32(0, -iy0);
      const int32_t y_end = td_min_i32(p.filter_h, in_h - iy0);
      for (int32_t ox = 0; ox < out_w; ++ox) {
        const int32_t ix0 = ox * p.stride_w - p.pad_w;
        const int32_t x_start = td_max_i32(0, -ix0);
        const int32_t x_end = td_min_i32(p.filter_w, in_w - ix0);
        if (y_start >= y_end || x_start >= x_end) return TD_ERR_BAD_PARAMS;
        const int32_t n = (y_end - y_start) * (x_end - x_start);
        for (int32_t c = 0; c < depth; ++c) {
          int32_t sum = 0;
          for (int32_t ky = y_start; ky < y_end; ++ky) {
            /* may be negative before adding kx >= x_start: kept an int, not a pointer */
            const int32_t row = (b * in_h + iy0 + ky) * in_w + ix0;
            for (int32_t kx = x_start; kx < x_end; ++kx) sum += input[(row + kx) * depth + c];
          }
          const int32_t avg = sum > 0 ? (sum + n / 2) / n : (sum - n / 2) / n;
          output[((b * out_h + oy) * out_w + ox) * depth + c] = (int8_t)td_clamp_i32(avg, p.act_min, p.act_max);
        }
      }
    }
  }
  return TD_OK;
}

const td_kernel td_kernel_average_pool_2d_s8 = {TD_K_AVERAGE_POOL_2D_S8, "AVERAGE_POOL_2D_S8",
                                                average_pool_2d_s8_check, average_pool_2d_s8_eval};
