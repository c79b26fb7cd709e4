/*
 * CONV_2D, int16 activations x int8 weights (TFLite 16x8), zero points 0.
 * Reference semantics: TFLite reference_integer_ops::ConvPerChannel (int16
 * overload), whose accumulator type is the bias type:
 *   acc64 = 1 (int64 bias): acc = sum(filter * input) + bias in int64, then
 *     MultiplyByQuantizedMultiplier(int64): multiplier rounded to Q15,
 *     (acc * m15 + 2^(14-shift)) >> (15-shift);
 *   acc64 = 0 (int32 bias or none, TFLite's int32 path): the same sum
 *     wrapped to int32, then the int32 double-rounding requantisation.
 *   out = clamp(result, act_min, act_max)  (no output offset).
 * The sum is formed in int64 either way: int32 wrap-around of the exact sum
 * equals int32 accumulation with wrap-around.
 * Tensors: inputs[0] int16 [N,H,W,Ci], inputs[1] int8 [Co,KH,KW,Ci/groups],
 * inputs[2] optional bias (int64 if acc64 else int32) [Co]; outputs[0] int16.
 * Params: td_conv_q_params (offsets must be 0).
 */
#include "td_conv_check.h"
#include "td_kernels.h"

static td_status conv_2d_s16_check(const td_op_ctx *ctx) {
  td_conv_q_params p;
  td_weighted_io t;
  if (!td_weighted_op_get(ctx, &p, sizeof p, &t) || !td_conv_tensors_ok(&t, TD_INT16, TD_INT8) ||
      !td_conv_groups_ok(&t) ||
      !td_conv_window_ok(&t, p.stride_w, p.stride_h, p.dilation_w, p.dilation_h, p.pad_w,
                         p.pad_h) ||
      !td_q16_io_ok(p.input_offset, p.output_offset, p.act_min, p.act_max) ||
      !td_s16_requant_ok(ctx, t.bias, p.acc64, p.n_mult, p.mult_off, p.shift_off, t.out->dims[3])) {
    return TD_ERR_BAD_PARAMS;
  }
  return TD_OK;
}

static td_status conv_2d_s16_eval(const td_op_ctx *ctx) {
  td_conv_q_params p;
  memcpy(&p, ctx->params, sizeof p);
  const td_tensor *in = ctx->inputs[0];
  const td_tensor *f = ctx->inputs[1];
  const td_tensor *bias_t = td_opt_input(ctx, 2);
  const td_tensor *out = ctx->outputs[0];
  const int16_t *input = (const int16_t *)in->data;
  const int8_t *filter = (const int8_t *)f->data;
  const int64_t *bias64 = (bias_t && p.acc64) ? (const int64_t *)bias_t->data : NULL;
  const int32_t *bias32 = (bias_t && !p.acc64) ? (const int32_t *)bias_t->data : NULL;
  int16_t *output = (int16_t *)out->data;
  const int32_t *mult = td_const_i32(ctx, p.mult_off, p.n_mult);
  const int32_t *shift = td_const_i32(ctx, p.shift_off, p.n_mult);
  const int32_t mstep = p.n_mult == 1 ? 0 : 1;

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
          int64_t acc = 0;
          for (int32_t ky = ky0; ky < ky1; ++ky) {
            const int32_t iy = iy0 + ky * p.dilation_h;
            for (int32_t kx = kx0; kx < kx1; ++kx) {
              const int32_t ix = ix0 + kx * p.dilation_w;
              const int16_t *ip = input + ((b * in_h + iy) * in_w + ix) * in_c + c0;
              const int8_t *fp = filter + ((oc * k_h + ky) * k_w + kx) * f_c;
              for (int32_t c = 0; c < f_c; ++c) acc += (int32_t)fp[c] * (int32_t)ip[c];
            }
          }
          int32_t r;
          if (p.acc64) {
            if (bias64) acc = td_add_wrap_i64(acc, bias64[oc]);
            r = td_mbqm64(acc, mult[oc * mstep], shift[oc * mstep]);
          } else {
            if (bias32) acc = td_add_wrap_i64(acc, bias32[oc]);
            r = td_mbqm(td_wrap_i32((uint32_t)(uint64_t)acc), mult[oc * mstep], shift[oc * mstep]);
          }
          output[((b * out_h + oy) * out_w + ox) * out_c + oc] = (int16_t)td_clamp_i32(r, p.act_min, p.act_max);
        }
      }
    }
  }
  return TD_OK;
}

const td_kernel td_kernel_conv_2d_s16 = {TD_K_CONV_2D_S16, "CONV_2D_S16", conv_2d_s16_check, conv_2d_s16_eval};
