/*
 * MINIMUM, int8: TFLite's minimum on the raw int8 values (TFLite does not
 * requantize: inputs and output share one scale and zero point), numpy
 * broadcasting up to rank 6. No params.
 */
#include "td_bcast.h"
#include "td_ew_util.h"
#include "td_kernels.h"

static td_status minimum_s8_check(const td_op_ctx *ctx) {
  if (!td_bcast_op_ok(ctx, TD_INT8, 0)) return TD_ERR_BAD_PARAMS;
  return TD_OK;
}

static void minimum_row(const void *prm, const void *a, int32_t sa, const void *b, int32_t sb,
                      void *o, int32_t n) {
  (void)prm;
  const int8_t *x = (const int8_t *)a;
  const int8_t *y = (const int8_t *)b;
  int8_t *z = (int8_t *)o;
  for (int32_t i = 0; i < n; i++) {
    const int8_t u = x[i * sa], v = y[i * sb];
    z[i] = u < v ? u : v;
  }
}

static td_status minimum_s8_eval(const td_op_ctx *ctx) {
  td_bcast bc;
  if (!td_bcast_init(&bc, ctx->inputs[0], ctx->inputs[1], ctx->outputs[0])) {
    return TD_ERR_BAD_PARAMS;
  }
  td_bcast_run(&bc, ctx->inputs[0]->data, 1, ctx->inputs[1]->data, 1, ctx->outputs[0]->data, 1,
               minimum_row, NULL);
  return TD_OK;
}

const td_kernel td_kernel_minimum_s8 = {TD_K_MINIMUM_S8, "MINIMUM_S8", minimum_s8_check, minimum_s8_eval};
