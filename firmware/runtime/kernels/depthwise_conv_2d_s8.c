/*
 * DEPTHWISE_CONV_2D, int8 activations and weights (per-tensor or
 * per-channel), int32 bias, any depth multiplier.
 * Reference semantics: TFLite reference_integer_ops::DepthwiseConvPerChannel.
 * Output channel oc = ic * depth_multiplier + m reads input channel ic:
 *   acc = sum over taps inside the input of filter[ky][kx][oc] *
 *         (input[iy][ix][ic] + input_offset);  acc += bias[oc];
 *   out = clamp(MultiplyByQuantizedMultiplier(acc, mult[oc], shift[oc])
 *               + output_offset, act_min, act_max)   (double rounding).
 * Tensors: inputs[0] [N,H,W,Ci], inputs[1] filter [1,KH,KW,Co] with
 * Co = Ci * depth_multiplier, inputs[2] optional bias int32 [Co];
 * outputs[0] [N,OH,OW,Co]. Params: td_conv_q_params (acc64 must be 0); the
 * depth multiplier is Co / Ci.
 */
#include "td_conv_check.h"
#include "td_kernels.h"

static td_status depthwise_conv_2d_s8_check(const td_op_ctx *ctx) {
  td_conv_q_params p;
  td_weighted_io t;
  if (!td_weighted_op_get(ctx, &p, sizeof p, &t) || !td_conv_tensors_ok(&t, TD_INT8, TD_INT8) ||
      !td_depthwise_filter_ok(&t) ||
      !td_conv_window_ok(&t, p.stride_w, p.stride_h, p.dilation_w, p.dilation_h, p.pad_w,
                         p.pad_h) ||
      !td_q8_io_ok(p.input_offset, p.output_offset, p.act_min, p.act_max) ||
      !td_s8_requant_ok(ctx, t.bias, p.acc64, p.n_mult, p.mult_off, p.shift_off, t.out->dims[3])) {
    return TD_ERR_BAD_PARAMS;
  }
  return TD_OK;
}

static td_status depthwise_conv_2d_s8_eval(const td_op_ctx *ctx) {
  td_conv_q_params p;
  memcpy(&p, ctx->params, sizeof p);
  const td_tensor *in = ctx->inputs[0];
  const td_tensor *f = ctx->inputs[1];
  const td_tensor *bias_t = td_opt_input(ctx, 2);
  const td_tensor *out = ctx->outputs[0];
  const int8_t *input = (const int8_t *)in->data;
  const int8_t *filter = (const int8_t *)f->data;
  const int32_t *bias = bias_t ? (const int32_t *)bias_t->data : NULL;
  int8_t *output = (int8_t *)out->data;
  const int32_t *mult = td_const_i32(ctx, p.mult_off, p.n_mult);
  const int32_t *shift = td_const_i32(ctx, p.shift_off, p.n_mult);
  const int32_t mstep = p.n_mult == 1 ? 0 : 1;

  const int32_t batches = in->dims[0], in_h = in->dims[1], in_w = in->dims[2], in_c = in->dims[3];
  const int32_t k_h = f->dims[1], k_w = f->dims[2];
  const int32_t out_h = out->dims[1], out_w = out->dims[2], out_c = out->dims[3];
  const int32_t dm = out_c / in_c;

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
          const int32_t ic = oc / dm;
          uint32_t acc = 0; /* wraps like the hardware; signed overflow would be UB */
          for (int32_t ky = ky0; ky < ky1; ++ky) {
            const int32_t iy = iy0 + ky * p.dilation_h;
            for (int32_t kx = kx0; kx < kx1; ++kx) {
              const int32_t ix = ix0 + kx * p.dilation_w;
              const int32_t x = input[((b * in_h + iy) * in_w + ix) * in_c + ic];
              const int32_t w = filter[(ky * k_w + kx) * out_c + oc];
              acc += (uint32_t)(w * (x + p.input_offset));
            }
          }
          if (bias) acc += (uint32_t)bias[oc];
          const int32_t r = td_mbqm(td_wrap_i32(acc), mult[oc * mstep], shift[oc * mstep]) + p.output_offset;
          output[((b * out_h + oy) * out_w + ox) * out_c + oc] = (int8_t)td_clamp_i32(r, p.act_min, p.act_max);
        }
      }
    }
  }
  return TD_OK;
}

const td_kernel td_kernel_depthwise_conv_2d_s8 = {TD_K_DEPTHWISE_CONV_2D_S8, "DEPTHWISE_CONV_2D_S8",
                                                  depthwise_conv_2d_s8_check,
                                                  depthwise_conv_2d_s8_eval};
