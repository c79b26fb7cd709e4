/*
 * CONV_2D, float32. Reference semantics: TFLite reference_ops::Conv:
 *   total = 0; for ky, kx (taps inside the input), ic: total += in * filter
 *   (in this order, single-precision); out = min(max(total + bias, act_min),
 *   act_max). TFLite's optimized float kernels sum in another order, so float
 *   results agree with TFLite to rounding, not bit for bit.
 * Grouped convolution as in conv_2d_s8.c.
 * Tensors: inputs[0] [N,H,W,Ci], inputs[1] [Co,KH,KW,Ci/groups], inputs[2]
 * optional bias [Co]; outputs[0] [N,OH,OW,Co]. Params: td_conv_f32_params.
 */
#include "td_conv_check.h"
#include "td_kernels.h"

static td_status conv_2d_f32_check(const td_op_ctx *ctx) {
  td_conv_f32_params p;
  td_weighted_io t;
  if (!td_weighted_op_get(ctx, &p, sizeof p, &t) ||
      !td_conv_tensors_ok(&t, TD_FLOAT32, TD_FLOAT32) || !td_conv_groups_ok(&t) ||
      !td_bias_ok(t.bias, TD_FLOAT32, t.out->dims[3]) ||
      !td_conv_window_ok(&t, p.stride_w, p.stride_h, p.dilation_w, p.dilation_h, p.pad_w,
                         p.pad_h) ||
      !td_act_f32_ok(p.act_min, p.act_max)) {
    return TD_ERR_BAD_PARAMS;
  }
  return TD_OK;
}

static td_status conv_2d_f32_eval(const td_op_ctx *ctx) {
  td_conv_f32_params p;
  memcpy(&p, ctx->params, sizeof p);
  const td_tensor *in = ctx->inputs[0];
  const td_tensor *f = ctx->inputs[1];
  const td_tensor *bias_t = td_opt_input(ctx, 2);
  const td_tensor *out = ctx->outputs[0];
  const float *input = (const float *)in->data;
  const float *filter = (const float *)f->data;
  const float *bias = bias_t ? (const float *)bias_t->data : NULL;
  float *output = (float *)out->data;

  const int32_t batches = in->dims[0], in_h = in->dims[1], in_w = in->dims[2], in_c = in->dims[3];
  const int32_t k_h = f->dims[1], k_w = f->dims[2], f_c = f->dims[3];
  const int32_t out_h = out->dims[1], out_w = out->dims[2], out_c = out->dims[3];
  const int32_t per_group = out_c / (in_c / f_c);

  for (int32_t b = 0; b < batches; ++b) {
    for (int32_t oy = 0; oy < out_h; ++oy) {
      const int32_t iy0 = oy * p.stride_h - p.pad_h;
      int32_t ky0, ky1;
      td_tap_range(iy0, p.dilation_h, k_h, in_h, &ky0, &ky1);
      for (int32_t ox = 0; ox < out_w; ++ox) {
        const int32_t ix0 = ox * p.stride_w - p.pad_w;
        int32_t kx0, kx1;
        td_tap_range(ix0, p.dilation_w, k_w, in_w, &kx0, &kx1);
        for (int32_t oc = 0; oc < out_c; ++oc) {
          const int32_t c0 = (oc / per_group) * f_c;
          float total = 0.0f;
          for (int32_t ky = ky0; ky < ky1; ++ky) {
            const int32_t iy = iy0 + ky * p.dilation_h;
            for (int32_t kx = kx0; kx < kx1; ++kx) {
              const int32_t ix = ix0 + kx * p.dilation_w;
              const float *ip = input + ((b * in_h + iy) * in_w + ix) * in_c + c0;
              const float *fp = filter + ((oc * k_h + ky) * k_w + kx) * f_c;
              for (int32_t c = 0; c < f_c; ++c) total += ip[c] * fp[c];
            }
          }
          float v = total + (bias ? bias[oc] : 0.0f);
          v = v < p.act_min ? p.act_min : v;
          v = v > p.act_max ? p.act_max : v;
          output[((b * out_h + oy) * out_w + ox) * out_c + oc] = v;
        }
      }
    }
  }
  return TD_OK;
}

const td_kernel td_kernel_conv_2d_f32 = {TD_K_CONV_2D_F32, "CONV_2D_F32", conv_2d_f32_check, conv_2d_f32_eval};
