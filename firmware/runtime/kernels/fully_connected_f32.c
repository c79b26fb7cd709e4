/*
 * FULLY_CONNECTED, float32. Reference semantics: TFLite
 * reference_ops::FullyConnected: total = sum_d input[b][d] * weights[u][d]
 * (d ascending, single precision); out = min(max(total + bias[u], act_min),
 * act_max). Input of any rank read as [batches, depth], output of any rank
 * as [batches, units]. Tensors: inputs[0], inputs[1] [units, depth],
 * inputs[2] optional [units]; outputs[0]. Params: td_fc_f32_params.
 */
#include "td_conv_check.h"
#include "td_kernels.h"

static td_status fully_connected_f32_check(const td_op_ctx *ctx) {
  td_fc_f32_params p;
  td_weighted_io t;
  if (!td_weighted_op_get(ctx, &p, sizeof p, &t) ||
      !td_fc_tensors_ok(&t, TD_FLOAT32, TD_FLOAT32) ||
      !td_bias_ok(t.bias, TD_FLOAT32, t.filter->dims[0]) || !td_act_f32_ok(p.act_min, p.act_max)) {
    return TD_ERR_BAD_PARAMS;
  }
  return TD_OK;
}

static td_status fully_connected_f32_eval(const td_op_ctx *ctx) {
  td_fc_f32_params p;
  memcpy(&p, ctx->params, sizeof p);
  const td_tensor *f = ctx->inputs[1];
  const td_tensor *bias_t = td_opt_input(ctx, 2);
  const td_tensor *out = ctx->outputs[0];
  const float *input = (const float *)ctx->inputs[0]->data;
  const float *weights = (const float *)f->data;
  const float *bias = bias_t ? (const float *)bias_t->data : NULL;
  float *output = (float *)out->data;
  const int32_t units = f->dims[0], depth = f->dims[1];
  const int32_t batches = td_tensor_elems(out) / units;

  for (int32_t b = 0; b < batches; ++b) {
    const float *x = input + b * depth;
    for (int32_t u = 0; u < units; ++u) {
      const float *w = weights + u * depth;
      float total = 0.0f;
      for (int32_t d = 0; d < depth; ++d) total += x[d] * w[d];
      float v = total + (bias ? bias[u] : 0.0f);
      v = v < p.act_min ? p.act_min : v;
      v = v > p.act_max ? p.act_max : v;
      output[b * units + u] = v;
    }
  }
  return TD_OK;
}

const td_kernel td_kernel_fully_connected_f32 = {TD_K_FULLY_CONNECTED_F32, "FULLY_CONNECTED_F32",
                                                 fully_connected_f32_check, fully_connected_f32_eval};
