/*
 * MAX_POOL_2D, float32. Reference semantics: TFLite reference_ops::MaxPool:
 * m starts at -FLT_MAX; for each cell of the window clipped to the input,
 * m = (m < v) ? v : m (std::max, so NaN inputs are skipped);
 * out = min(max(m, act_min), act_max).
 * Tensors: inputs[0] [N,H,W,C]; outputs[0] [N,OH,OW,C]. Params:
 * td_pool_f32_params.
 */
#include "td_conv_check.h"
#include "td_kernels.h"

#define TD_FLT_LOWEST (-3.40282346638528859812e+38F)

static td_status max_pool_2d_f32_check(const td_op_ctx *ctx) {
  td_pool_f32_params p;
  if (!td_pool_op_ok(ctx, &p, sizeof p, TD_FLOAT32) ||
      !td_pool_window_ok(ctx, p.stride_w, p.stride_h, p.filter_w, p.filter_h, p.pad_w, p.pad_h) ||
      !td_act_f32_ok(p.act_min, p.act_max)) {
    return TD_ERR_BAD_PARAMS;
  }
  return TD_OK;
}

static td_status max_pool_2d_f32_eval(const td_op_ctx *ctx) {
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
        for (int32_t c = 0; c < depth; ++c) {
          float m = TD_FLT_LOWEST;
          for (int32_t ky = y_start; ky < y_end; ++ky) {
            /* may be negative before adding kx >= x_start: kept an int, not a pointer */
            const int32_t row = (b * in_h + iy0 + ky) * in_w + ix0;
            for (int32_t kx = x_start; kx < x_end; ++kx) {
              const float v = input[(row + kx) * depth + c];
              m = (m < v) ? v : m;
            }
          }
          m = m < p.act_min ? p.act_min : m;
          m = m > p.act_max ? p.act_max : m;
          output[((b * out_h + oy) * out_w + ox) * depth + c] = m;
        }
      }
    }
  }
  return TD_OK;
}

const td_kernel td_kernel_max_pool_2d_f32 = {TD_K_MAX_POOL_2D_F32, "MAX_POOL_2D_F32",
                                             max_pool_2d_f32_check, max_pool_2d_f32_eval};
