/*
 * AVERAGE_POOL_2D, float32. Reference semantics: TFLite
 * reference_ops::AveragePool: over the window clipped to the input (ky
 * outer, kx inner), total = sum in single precision, n = cells counted;
 * out = min(max(total / n, act_min), act_max). A window with no cell inside
 * the input is an error (TFLite fails too).
 * Tensors: inputs[0] [N,H,W,C]; outputs[0] [N,OH,OW,C]. Params:
 * td_pool_f32_params.
 */
#include "td_conv_check.h"
#include "td_kernels.h"

static td_status average_pool_2d_f32_check(const td_op_ctx *ctx) {
  td_pool_f32_params p;
  if (!td_pool_op_ok(ctx, &p, sizeof p, TD_FLOAT32) ||
      !td_pool_window_ok(ctx, p.stride_w, p.stride_h, p.filter_w, p.filter_h, p.pad_w, p.pad_h) ||
      !td_act_f32_ok(p.act_min, p.act_max)) {
    return TD_ERR_BAD_PARAMS;
  }
  return TD_OK;
}

static td_status average_pool_2d_f32_eval(const td_op_ctx *ctx) {
  td_pool_f32_params p;
  memcpy(&p, ctx->params, sizeof p);
  const td_tensor *in = ctx->inputs[0];
  const td_tensor *out = ctx->outputs[0];
  const float *input = (const float *)in->data;
  float *output = (float *)out->data;
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
        const float n = (float)((y_end - y_start) * (x_end - x_start));
        for (int32_t c = 0; c < depth; ++c) {
          float total = 0.0f;
          for (int32_t ky = y_start; ky < y_end; ++ky) {
            /* may be negative before adding kx >= x_start: kept an int, not a pointer */
            const int32_t row = (b * in_h + iy0 + ky) * in_w + ix0;
            for (int32_t kx = x_start; kx < x_end; ++kx) total += input[(row + kx) * depth + c];
          }
          float v = total / n;
          v = v < p.act_min ? p.act_min : v;
          v = v > p.act_max ? p.act_max : v;
          output[((b * out_h + oy) * out_w + ox) * depth + c] = v;
        }
      }
    }
  }
  return TD_OK;
}

const td_kernel td_kernel_average_pool_2d_f32 = {TD_K_AVERAGE_POOL_2D_F32, "AVERAGE_POOL_2D_F32",
                                                 average_pool_2d_f32_check, average_pool_2d_f32_eval};
