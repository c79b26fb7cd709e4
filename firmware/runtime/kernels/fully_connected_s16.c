/*
 * FULLY_CONNECTED, int16 activations x int8 weights (TFLite 16x8), input and
 * output zero points 0. Reference semantics: TFLite
 * reference_integer_ops::FullyConnected / FullyConnectedPerChannel (int16
 * overloads), accumulator type = bias type:
 *   acc = sum_d (filter[u][d] + filter_offset) * input[b][d] + bias[u]
 *   acc64 = 1 (int64 bias): int64 sum, int64 MultiplyByQuantizedMultiplier
 *     (multiplier rounded to Q15, single rounding shift);
 *   acc64 = 0 (int32 bias or none): the sum wrapped to int32, int32
 *     double-rounding MultiplyByQuantizedMultiplier;
 *   out = clamp(result, act_min, act_max)  (no output offset).
 * Shapes as in fully_connected_s8.c. Params: td_fc_q_params with
 * input_offset = output_offset = 0.
 */
#include "td_conv_check.h"
#include "td_kernels.h"

static td_status fully_connected_s16_check(const td_op_ctx *ctx) {
  td_fc_q_params p;
  td_weighted_io t;
  if (!td_weighted_op_get(ctx, &p, sizeof p, &t) || !td_fc_tensors_ok(&t, TD_INT16, TD_INT8) ||
      !td_q16_io_ok(p.input_offset, p.output_offset, p.act_min, p.act_max) ||
      !td_s16_requant_ok(ctx, t.bias, p.acc64, p.n_mult, p.mult_off, p.shift_off,
                         t.filter->dims[0])) {
    return TD_ERR_BAD_PARAMS;
  }
  /* A filter zero point only with per-tensor weights (per-channel ones are symmetric). */
  if (p.filter_offset < -127 || p.filter_offset > 128 || (p.n_mult != 1 && p.filter_offset != 0)) {
    return TD_ERR_BAD_PARAMS;
  }
  return TD_OK;
}

static td_status fully_connected_s16_eval(const td_op_ctx *ctx) {
  td_fc_q_params p;
  memcpy(&p, ctx->params, sizeof p);
  const td_tensor *f = ctx->inputs[1];
  const td_tensor *bias_t = td_opt_input(ctx, 2);
  const td_tensor *out = ctx->outputs[0];
  const int16_t *input = (const int16_t *)ctx->inputs[0]->data;
  const int8_t *filter = (const int8_t *)f->data;
  const int64_t *bias64 = (bias_t && p.acc64) ? (const int64_t *)bias_t->data : NULL;
  const int32_t *bias32 = (bias_t && !p.acc64) ? (const int32_t *)bias_t->data : NULL;
  int16_t *output = (int16_t *)out->data;
  const int32_t *mult = td_const_i32(ctx, p.mult_off, p.n_mult);
  const int32_t *shift = td_const_i32(ctx, p.shift_off, p.n_mult);
  const int32_t mstep = p.n_mult == 1 ? 0 : 1;
  const int32_t units = f->dims[0], depth = f->dims[1];
  const int32_t batches = td_tensor_elems(out) / units;

  for (int32_t b = 0; b < batches; ++b) {
    const int16_t *x = input + b * depth;
    for (int32_t u = 0; u < units; ++u) {
      const int8_t *w = filter + u * depth;
      int64_t acc = 0;
      for (int32_t d = 0; d < depth; ++d) acc += ((int32_t)w[d] + p.filter_offset) * (int32_t)x[d];
      int32_t r;
      if (p.acc64) {
        if (bias64) acc = td_add_wrap_i64(acc, bias64[u]);
        r = td_mbqm64(acc, mult[u * mstep], shift[u * mstep]);
      } else {
        if (bias32) acc = td_add_wrap_i64(acc, bias32[u]);
        r = td_mbqm(td_wrap_i32((uint32_t)(uint64_t)acc), mult[u * mstep], shift[u * mstep]);
      }
      output[b * units + u] = (int16_t)td_clamp_i32(r, p.act_min, p.act_max);
    }
  }
  return TD_OK;
}

const td_kernel td_kernel_fully_connected_s16 = {TD_K_FULLY_CONNECTED_S16, "FULLY_CONNECTED_S16",
                                                 fully_connected_s16_check, fully_connected_s16_eval};
