/*
 * FULLY_CONNECTED, int8 activations and weights (per-tensor, or per-channel
 * with symmetric weights), int32 bias. Reference semantics: TFLite
 * reference_integer_ops::FullyConnected / FullyConnectedPerChannel:
 *   acc = sum_d (filter[u][d] + filter_offset) * (input[b][d] + input_offset)
 *   acc += bias[u];                      (int32 arithmetic)
 *   out = clamp(MultiplyByQuantizedMultiplier(acc, mult[u], shift[u])
 *               + output_offset, act_min, act_max)   (double rounding).
 * The input of any rank is read as [batches, depth] (TFLite's flattening);
 * the output of any rank (keep_num_dims or not) as [batches, units].
 * Tensors: inputs[0] int8, inputs[1] int8 [units, depth], inputs[2]
 * optional int32 [units]; outputs[0] int8 with last dim = units.
 * Params: td_fc_q_params (acc64 must be 0; filter_offset 0 if per-channel).
 */
#include "td_conv_check.h"
#include "td_kernels.h"

static td_status fully_connected_s8_check(const td_op_ctx *ctx) {
  td_fc_q_params p;
  td_weighted_io t;
  if (!td_weighted_op_get(ctx, &p, sizeof p, &t) || !td_fc_tensors_ok(&t, TD_INT8, TD_INT8) ||
      !td_q8_io_ok(p.input_offset, p.output_offset, p.act_min, p.act_max) ||
      !td_s8_requant_ok(ctx, t.bias, p.acc64, p.n_mult, p.mult_off, p.shift_off,
                        t.filter->dims[0])) {
    return TD_ERR_BAD_PARAMS;
  }
  /* A filter zero point only with per-tensor weights (per-channel ones are symmetric). */
  if (p.filter_offset < -127 || p.filter_offset > 128 || (p.n_mult != 1 && p.filter_offset != 0)) {
    return TD_ERR_BAD_PARAMS;
  }
  return TD_OK;
}

static td_status fully_connected_s8_eval(const td_op_ctx *ctx) {
  td_fc_q_params p;
  memcpy(&p, ctx->params, sizeof p);
  const td_tensor *f = ctx->inputs[1];
  const td_tensor *bias_t = td_opt_input(ctx, 2);
  const td_tensor *out = ctx->outputs[0];
  const int8_t *input = (const int8_t *)ctx->inputs[0]->data;
  const int8_t *filter = (const int8_t *)f->data;
  const int32_t *bias = bias_t ? (const int32_t *)bias_t->data : NULL;
  int8_t *output = (int8_t *)out->data;
  const int32_t *mult = td_const_i32(ctx, p.mult_off, p.n_mult);
  const int32_t *shift = td_const_i32(ctx, p.shift_off, p.n_mult);
  const int32_t mstep = p.n_mult == 1 ? 0 : 1;
  const int32_t units = f->dims[0], depth = f->dims[1];
  const int32_t batches = td_tensor_elems(out) / units;

  for (int32_t b = 0; b < batches; ++b) {
    const int8_t *x = input + b * depth;
    for (int32_t u = 0; u < units; ++u) {
      const int8_t *w = filter + u * depth;
      uint32_t acc = 0; /* wraps like the hardware; signed overflow would be UB */
      for (int32_t d = 0; d < depth; ++d) {
        acc += (uint32_t)(((int32_t)w[d] + p.filter_offset) * ((int32_t)x[d] + p.input_offset));
      }
      if (bias) acc += (uint32_t)bias[u];
      const int32_t r = td_mbqm(td_wrap_i32(acc), mult[u * mstep], shift[u * mstep]) + p.output_offset;
      output[b * units + u] = (int8_t)td_clamp_i32(r, p.act_min, p.act_max);
    }
  }
  return TD_OK;
}

const td_kernel td_kernel_fully_connected_s8 = {TD_K_FULLY_CONNECTED_S8, "FULLY_CONNECTED_S8",
                                                fully_connected_s8_check, fully_connected_s8_eval};
