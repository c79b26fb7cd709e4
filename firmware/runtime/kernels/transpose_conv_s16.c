/*
 * TRANSPOSE_CONV, int16 activations x int8 weights (TFLite 16x8), zero
 * points 0, int64 accumulation. Reference semantics: TFLite
 * reference_integer_ops::TransposeConv (int16 overload): every input cell
 * (iy, ix, ic) scatters input * filter[oc][ky][kx][ic] to output cell
 * (iy*stride_h - pad_h + ky, ix*stride_w - pad_w + kx, oc) when inside the
 * output; then per output cell acc += bias[oc] (int64),
 * out = clamp(MultiplyByQuantizedMultiplier(int64 acc, mult[oc], shift[oc]),
 *             act_min, act_max)  (multiplier rounded to Q15, single rounding
 * shift; no output offset).
 * This kernel gathers instead of scattering (no scratch buffer): for output
 * row oy it visits the taps ky = (oy + pad_h) - iy*stride_h with iy in the
 * input. Integer sums are exact in int64, so the result is identical.
 * Tensors (TFLite order): inputs[0] output-shape vector (ignored: shapes are
 * static in a package, and may be NULL), inputs[1] filter int8 [Co,KH,KW,Ci],
 * inputs[2] input int16 [N,H,W,Ci], inputs[3] optional bias int64 (or int32,
 * widened) [Co]; outputs[0] int16 [N,OH,OW,Co]. Params: td_tconv_q_params.
 */
#include "td_conv_check.h"
#include "td_kernels.h"

static td_status transpose_conv_s16_check(const td_op_ctx *ctx) {
  td_tconv_q_params p;
  if (ctx->num_inputs < 3 || ctx->num_inputs > 4 || ctx->num_outputs != 1) return TD_ERR_BAD_PARAMS;
  if (!td_params_get(ctx, &p, sizeof p)) return TD_ERR_BAD_PARAMS;
  /* inputs[0], the output shape, is already in the output tensor's dims. */
  const td_weighted_io t = {ctx->inputs[2], ctx->inputs[1], td_opt_input(ctx, 3), ctx->outputs[0]};
  if (!td_conv_tensors_ok(&t, TD_INT16, TD_INT8)) return TD_ERR_BAD_PARAMS;
  const int32_t co = t.out->dims[3];
  if (t.filter->dims[0] != co || t.filter->dims[3] != t.in->dims[3]) return TD_ERR_BAD_PARAMS;
  if (t.bias != NULL && !td_bias_ok(t.bias, TD_INT64, co) && !td_bias_ok(t.bias, TD_INT32, co)) {
    return TD_ERR_BAD_PARAMS;
  }
  /* Input positions iy*stride - pad + ky and output positions oy + pad. */
  if (!td_window_ok(p.stride_w, p.stride_h, 1, 1, p.pad_w, p.pad_h, t.filter->dims[2],
                    t.filter->dims[1], t.in->dims[2], t.in->dims[1]) ||
      !td_span_ok(t.out->dims[2], 1, 1, 1) || !td_span_ok(t.out->dims[1], 1, 1, 1)) {
    return TD_ERR_BAD_PARAMS;
  }
  if (!td_act_ok(p.act_min, p.act_max, -32768, 32767) ||
      !td_requant_ok(ctx, p.n_mult, p.mult_off, p.shift_off, co, TD_QMATH_MAX_SHIFT64)) {
    return TD_ERR_BAD_PARAMS;
  }
  return TD_OK;
}

static td_status transpose_conv_s16_eval(const td_op_ctx *ctx) {
  td_tconv_q_params p;
  memcpy(&p, ctx->params, sizeof p);
  const td_tensor *f = ctx->inputs[1];
  const td_tensor *in = ctx->inputs[2];
  const td_tensor *bias_t = td_opt_input(ctx, 3);
  const td_tensor *out = ctx->outputs[0];
  const int8_t *filter = (const int8_t *)f->data;
  const int16_t *input = (const int16_t *)in->data;
  const int64_t *bias64 = (bias_t && bias_t->dtype == TD_INT64) ? (const int64_t *)bias_t->data : NULL;
  const int32_t *bias32 = (bias_t && bias_t->dtype == TD_INT32) ? (const int32_t *)bias_t->data : NULL;
  int16_t *output = (int16_t *)out->data;
  const int32_t *mult = td_const_i32(ctx, p.mult_off, p.n_mult);
  const int32_t *shift = td_const_i32(ctx, p.shift_off, p.n_mult);
  const int32_t mstep = p.n_mult == 1 ? 0 : 1;

  const int32_t batches = in->dims[0], in_h = in->dims[1], in_w = in->dims[2], in_c = in->dims[3];
  const int32_t k_h = f->dims[1], k_w = f->dims[2];
  const int32_t out_h = out->dims[1], out_w = out->dims[2], out_c = out->dims[3];

  for (int32_t b = 0; b < batches; ++b) {
    for (int32_t oy = 0; oy < out_h; ++oy) {
      const int32_t ty = oy + p.pad_h; /* = iy*stride_h + ky */
      for (int32_t ox = 0; ox < out_w; ++ox) {
        const int32_t tx = ox + p.pad_w;
        for (int32_t oc = 0; oc < out_c; ++oc) {
          int64_t acc = 0;
          for (int32_t ky = ty % p.stride_h; ky < k_h; ky += p.stride_h) {
            const int32_t iy = (ty - ky) / p.stride_h;
            if (iy >= in_h) continue;
            if (iy < 0) break;
            for (int32_t kx = tx % p.stride_w; kx < k_w; kx += p.stride_w) {
              const int32_t ix = (tx - kx) / p.stride_w;
              if (ix >= in_w) continue;
              if (ix < 0) break;
              const int16_t *ip = input + ((b * in_h + iy) * in_w + ix) * in_c;
              const int8_t *fp = filter + ((oc * k_h + ky) * k_w + kx) * in_c;
              for (int32_t c = 0; c < in_c; ++c) acc += (int32_t)ip[c] * (int32_t)fp[c];
            }
          }
          if (bias64) acc = td_add_wrap_i64(acc, bias64[oc]);
          if (bias32) acc = td_add_wrap_i64(acc, bias32[oc]);
          const int32_t r = td_mbqm64(acc, mult[oc * mstep], shift[oc * mstep]);
          output[((b * out_h + oy) * out_w + ox) * out_c + oc] = (int16_t)td_clamp_i32(r, p.act_min, p.act_max);
        }
      }
    }
  }
  return TD_OK;
}

const td_kernel td_kernel_transpose_conv_s16 = {TD_K_TRANSPOSE_CONV_S16, "TRANSPOSE_CONV_S16",
                                                transpose_conv_s16_check, transpose_conv_s16_eval};
