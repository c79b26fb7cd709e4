/*
 * Numpy/TFLite broadcasting for binary elementwise kernels (ADD, SUB, MUL,
 * MAXIMUM, MINIMUM): shapes are aligned on their trailing dims, a dim of 1
 * repeats, and the output shape must be exactly the broadcast shape (as
 * TFLite's CalculateShapeForBroadcast computes it). Dims are merged where
 * both inputs are contiguous (or both repeated) so the inner rows are as
 * long as possible; a kernel supplies one row function and td_bcast_run
 * walks the rest.
 */
#ifndef TD_BCAST_H
#define TD_BCAST_H

#include <stdint.h>

#include "td_ew_util.h"
#include "td_runtime.h"

typedef struct {
  uint32_t n; /* number of merged dims, 1..TD_MAX_RANK */
  int32_t dims[TD_MAX_RANK];
  int32_t sa[TD_MAX_RANK]; /* element strides of input a per dim, 0 = repeated */
  int32_t sb[TD_MAX_RANK];
  uint32_t count; /* output elements */
} td_bcast;

/* One row: o[i] = f(a[i * sa], b[i * sb]) for i < n, sa and sb in {0, 1}. */
typedef void (*td_row_fn)(const void *prm, const void *a, int32_t sa, const void *b, int32_t sb,
                          void *o, int32_t n);

/* 1 if out's shape is the broadcast of a's and b's (all ranks <= TD_MAX_RANK). */
static inline int td_bcast_init(td_bcast *bc, const td_tensor *a, const td_tensor *b,
                                const td_tensor *out) {
  const uint32_t r = out->rank;
  const uint32_t rmax = a->rank > b->rank ? a->rank : b->rank;
  if (r > TD_MAX_RANK || r != rmax) return 0;
  int32_t da[TD_MAX_RANK], db[TD_MAX_RANK], dout[TD_MAX_RANK];
  for (uint32_t i = 0; i < r; i++) {
    const int32_t ia = (int32_t)i - (int32_t)(r - a->rank);
    const int32_t ib = (int32_t)i - (int32_t)(r - b->rank);
    da[i] = ia >= 0 ? a->dims[ia] : 1;
    db[i] = ib >= 0 ? b->dims[ib] : 1;
    dout[i] = out->dims[i];
    if (da[i] < 0 || db[i] < 0) return 0;
    const int32_t want = da[i] == db[i] ? da[i] : (da[i] == 1 ? db[i] : (db[i] == 1 ? da[i] : -1));
    if (want < 0 || want != dout[i]) return 0;
  }
  /* Contiguous strides of each input in its own (extended) shape. */
  int32_t fa[TD_MAX_RANK], fb[TD_MAX_RANK];
  int64_t stride_a = 1, stride_b = 1, count = 1;
  for (int32_t i = (int32_t)r - 1; i >= 0; i--) {
    fa[i] = da[i] == 1 ? 0 : (int32_t)stride_a;
    fb[i] = db[i] == 1 ? 0 : (int32_t)stride_b;
    stride_a *= da[i];
    stride_b *= db[i];
    count *= dout[i];
    if (stride_a > INT32_MAX || stride_b > INT32_MAX || count > INT32_MAX) return 0;
  }
  bc->count = (uint32_t)count;
  /* Drop size-1 output dims, merge where both inputs allow it. */
  uint32_t n = 0;
  for (uint32_t i = 0; i < r; i++) {
    if (dout[i] == 1) continue;
    if (n > 0) {
      const uint32_t p = n - 1;
      /* Merge the previous (outer) kept dim into this one? */
      if (bc->sa[p] == fa[i] * dout[i] && bc->sb[p] == fb[i] * dout[i]) {
        bc->dims[p] *= dout[i];
        bc->sa[p] = fa[i];
        bc->sb[p] = fb[i];
        continue;
      }
    }
    bc->dims[n] = dout[i];
    bc->sa[n] = fa[i];
    bc->sb[n] = fb[i];
    n++;
  }
  if (n == 0) {
    bc->dims[0] = 1;
    bc->sa[0] = 0;
    bc->sb[0] = 0;
    n = 1;
  }
  bc->n = n;
  return 1;
}

/* Walks every output row; ea, eb, eo are element sizes in bytes. */
static inline void td_bcast_run(const td_bcast *bc, const void *a, uint32_t ea, const void *b,
                                uint32_t eb, void *o, uint32_t eo, td_row_fn fn, const void *prm) {
  if (bc->count == 0) return;
  const uint8_t *pa = (const uint8_t *)a;
  const uint8_t *pb = (const uint8_t *)b;
  uint8_t *po = (uint8_t *)o;
  const uint32_t inner = bc->n - 1;
  int32_t idx[TD_MAX_RANK] = {0};
  uint32_t oa = 0, ob = 0, oo = 0;
  for (;;) {
    fn(prm, pa + (size_t)oa * ea, bc->sa[inner], pb + (size_t)ob * eb, bc->sb[inner],
       po + (size_t)oo * eo, bc->dims[inner]);
    oo += (uint32_t)bc->dims[inner];
    int32_t d = (int32_t)inner - 1;
    for (; d >= 0; d--) {
      idx[d]++;
      oa += (uint32_t)bc->sa[d];
      ob += (uint32_t)bc->sb[d];
      if (idx[d] < bc->dims[d]) break;
      oa -= (uint32_t)bc->sa[d] * (uint32_t)bc->dims[d];
      ob -= (uint32_t)bc->sb[d] * (uint32_t)bc->dims[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/* In-place use is only safe when each output element reads only the inputs
 * at the same index: allow out == a (or b) when that input is not repeated. */
static inline int td_bcast_alias_ok(const td_tensor *in, const td_tensor *out) {
  if (in->data == out->data) return in->bytes == out->bytes;
  const uintptr_t ai = (uintptr_t)in->data, bi = (uintptr_t)out->data;
  if (in->bytes == 0 || out->bytes == 0) return 1;
  return !(ai < bi + out->bytes && bi < ai + in->bytes);
}

/* The check every broadcasting binary kernel starts with: two inputs and
 * one output, all of dtype, exactly `words` param words, an output shaped
 * as the inputs' broadcast, and no overlap but exact in-place use. */
static inline int td_bcast_op_ok(const td_op_ctx *ctx, uint8_t dtype, uint32_t words) {
  if (ctx->num_inputs != 2 || ctx->num_outputs != 1 || !td_has_words(ctx, words)) return 0;
  const td_tensor *a = ctx->inputs[0], *b = ctx->inputs[1], *o = ctx->outputs[0];
  if (!td_tensor_is(a, dtype) || !td_tensor_is(b, dtype) || !td_tensor_is(o, dtype)) return 0;
  td_bcast bc;
  return td_bcast_init(&bc, a, b, o) && td_bcast_alias_ok(a, o) && td_bcast_alias_ok(b, o);
}

#endif
