/*
 * The check functions of the convolution, fully-connected and pooling
 * kernels, in the pieces they share: the op's arity and tensors, the
 * NHWC shapes, the window geometry, and the quantisation rules of the S8
 * and S16 kernels. A kernel's check is then a list of the rules it obeys,
 * each helper returning 1 (ok) or 0 (the kernel answers TD_ERR_BAD_PARAMS).
 * Load time only: the eval loops never call these.
 */
#ifndef TD_CONV_CHECK_H
#define TD_CONV_CHECK_H

#include "td_conv_params.h"

/* The tensors of a weighted op: input, filter (weights), optional bias, output. */
typedef struct {
  const td_tensor *in;
  const td_tensor *filter;
  const td_tensor *bias; /* NULL when omitted */
  const td_tensor *out;
} td_weighted_io;

/* CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED: inputs [input, filter, bias?],
 * one output, and params of exactly `size` bytes, copied into *params. */
static inline int td_weighted_op_get(const td_op_ctx *ctx, void *params, uint32_t size,
                                     td_weighted_io *t) {
  if (ctx->num_inputs < 2 || ctx->num_inputs > 3 || ctx->num_outputs != 1) return 0;
  if (!td_params_get(ctx, params, size)) return 0;
  t->in = ctx->inputs[0];
  t->filter = ctx->inputs[1];
  t->bias = td_opt_input(ctx, 2);
  t->out = ctx->outputs[0];
  return 1;
}

/* NHWC input and output of dtype `act`, a rank-4 filter of dtype `weights`,
 * the same batch in and out. */
static inline int td_conv_tensors_ok(const td_weighted_io *t, uint8_t act, uint8_t weights) {
  return td_tensor_ok(t->in, act, 4) && td_tensor_ok(t->filter, weights, 4) &&
         td_tensor_ok(t->out, act, 4) && t->in->dims[0] == t->out->dims[0];
}

/* CONV_2D filter [Co, KH, KW, Ci / groups]: the groups divide both the
 * input and the output channels. After td_conv_tensors_ok. */
static inline int td_conv_groups_ok(const td_weighted_io *t) {
  const int32_t co = t->out->dims[3], ci = t->in->dims[3], fc = t->filter->dims[3];
  return t->filter->dims[0] == co && ci % fc == 0 && co % (ci / fc) == 0;
}

/* DEPTHWISE_CONV_2D filter [1, KH, KW, Co]: Co a multiple of the input
 * channels. After td_conv_tensors_ok. */
static inline int td_depthwise_filter_ok(const td_weighted_io *t) {
  const int32_t co = t->out->dims[3];
  return t->filter->dims[0] == 1 && t->filter->dims[3] == co && co % t->in->dims[3] == 0;
}

/* A conv window (td_window_ok): the filter's KH x KW taps at the given
 * strides, dilations and pads, over the output's OH x OW positions. */
static inline int td_conv_window_ok(const td_weighted_io *t, int32_t stride_w, int32_t stride_h,
                                    int32_t dilation_w, int32_t dilation_h, int32_t pad_w,
                                    int32_t pad_h) {
  return td_window_ok(stride_w, stride_h, dilation_w, dilation_h, pad_w, pad_h,
                      t->filter->dims[2], t->filter->dims[1], t->out->dims[2], t->out->dims[1]);
}

/* FULLY_CONNECTED: input and output of any rank in dtype `act`, filter
 * [units, depth] of dtype `weights`; the output's last dim is units and
 * the input holds (output elements / units) x depth elements. */
static inline int td_fc_tensors_ok(const td_weighted_io *t, uint8_t act, uint8_t weights) {
  if (!td_tensor_any_rank_ok(t->in, act) || !td_tensor_ok(t->filter, weights, 2) ||
      !td_tensor_any_rank_ok(t->out, act)) {
    return 0;
  }
  const int32_t units = t->filter->dims[0], depth = t->filter->dims[1];
  if (t->out->dims[t->out->rank - 1] != units) return 0;
  const int32_t batches = td_tensor_elems(t->out) / units;
  return (int64_t)batches * depth == (int64_t)td_tensor_elems(t->in);
}

/* Pooling: one input, one output, params of exactly `size` bytes copied
 * into *params; NHWC input and output of dtype with the same batch and
 * channels. */
static inline int td_pool_op_ok(const td_op_ctx *ctx, void *params, uint32_t size, uint8_t dtype) {
  if (ctx->num_inputs != 1 || ctx->num_outputs != 1) return 0;
  if (!td_params_get(ctx, params, size)) return 0;
  const td_tensor *in = ctx->inputs[0], *out = ctx->outputs[0];
  return td_tensor_ok(in, dtype, 4) && td_tensor_ok(out, dtype, 4) &&
         in->dims[0] == out->dims[0] && in->dims[3] == out->dims[3];
}

/* A pool window (td_window_ok, no dilation): filter_w x filter_h cells at
 * the given strides and pads, over the output's positions. After
 * td_pool_op_ok. */
static inline int td_pool_window_ok(const td_op_ctx *ctx, int32_t stride_w, int32_t stride_h,
                                    int32_t filter_w, int32_t filter_h, int32_t pad_w,
                                    int32_t pad_h) {
  const td_tensor *out = ctx->outputs[0];
  return td_window_ok(stride_w, stride_h, 1, 1, pad_w, pad_h, filter_w, filter_h, out->dims[2],
                      out->dims[1]);
}

/* int8 activations: input_offset = -(input zero point), the output zero
 * point and the clamp all within int8. */
static inline int td_q8_io_ok(int32_t input_offset, int32_t output_offset, int32_t act_min,
                              int32_t act_max) {
  return input_offset >= -127 && input_offset <= 128 && output_offset >= -128 &&
         output_offset <= 127 && td_act_ok(act_min, act_max, -128, 127);
}

/* int16 activations: symmetric (both offsets 0), the clamp within int16. */
static inline int td_q16_io_ok(int32_t input_offset, int32_t output_offset, int32_t act_min,
                               int32_t act_max) {
  return input_offset == 0 && output_offset == 0 && td_act_ok(act_min, act_max, -32768, 32767);
}

/* The S8 kernels' accumulator: int32 (acc64 0), an int32 bias of
 * `channels` elements if any, and the requantisation arrays for them. */
static inline int td_s8_requant_ok(const td_op_ctx *ctx, const td_tensor *bias, int32_t acc64,
                                   int32_t n_mult, uint32_t mult_off, uint32_t shift_off,
                                   int32_t channels) {
  return acc64 == 0 && td_bias_ok(bias, TD_INT32, channels) &&
         td_requant_ok(ctx, n_mult, mult_off, shift_off, channels, TD_QMATH_MAX_SHIFT);
}

/* The S16 kernels' accumulator: acc64 0 (int32, int32 bias) or 1 (int64,
 * int64 bias, shifts up to TD_QMATH_MAX_SHIFT64), the bias of `channels`
 * elements if any, and the requantisation arrays for them. */
static inline int td_s16_requant_ok(const td_op_ctx *ctx, const td_tensor *bias, int32_t acc64,
                                    int32_t n_mult, uint32_t mult_off, uint32_t shift_off,
                                    int32_t channels) {
  if (acc64 != 0 && acc64 != 1) return 0;
  return td_bias_ok(bias, acc64 ? TD_INT64 : TD_INT32, channels) &&
         td_requant_ok(ctx, n_mult, mult_off, shift_off, channels,
                       acc64 ? TD_QMATH_MAX_SHIFT64 : TD_QMATH_MAX_SHIFT);
}

#endif
