/*
 * Helpers shared by the elementwise / data-movement kernels (add, sub, mul,
 * activations, quantize, pad, slice, transpose, concatenation, mean, ...):
 * reading param words, validating tensors in check functions, and overlap
 * tests. Header-only, static inline, no state.
 */
#ifndef TD_EW_UTIL_H
#define TD_EW_UTIL_H

#include <stdint.h>
#include <string.h>

#include "td_runtime.h"

/* Param word i as int32 / float (caller has checked params_bytes). */
static inline int32_t td_pi(const td_op_ctx *ctx, uint32_t i) {
  int32_t v;
  memcpy(&v, (const uint8_t *)ctx->params + 4u * i, sizeof v);
  return v;
}
static inline float td_pf(const td_op_ctx *ctx, uint32_t i) {
  float v;
  memcpy(&v, (const uint8_t *)ctx->params + 4u * i, sizeof v);
  return v;
}

/* Exactly n param words present (n == 0 accepts a NULL params pointer). */
static inline int td_has_words(const td_op_ctx *ctx, uint32_t n) {
  return ctx->params_bytes == 4u * n && (n == 0 || ctx->params != NULL);
}

/* Element count from dims (rank 0 = scalar = 1); UINT32_MAX on a bad dim. */
static inline uint32_t td_numel(const td_tensor *t) {
  uint64_t n = 1;
  if (t->rank > TD_MAX_RANK) return UINT32_MAX;
  for (uint32_t d = 0; d < t->rank; d++) {
    if (t->dims[d] < 0) return UINT32_MAX;
    n *= (uint64_t)t->dims[d];
    if (n >= UINT32_MAX) return UINT32_MAX;
  }
  return (uint32_t)n;
}

/* A present tensor of the given dtype whose byte size matches its dims. */
static inline int td_tensor_is(const td_tensor *t, uint8_t dtype) {
  if (t == NULL || t->dtype != dtype || t->rank > TD_MAX_RANK) return 0;
  const uint32_t n = td_numel(t);
  const uint32_t size = td_dtype_size(dtype);
  if (n == UINT32_MAX || size == 0) return 0;
  return (uint64_t)n * size == t->bytes && (n == 0 || t->data != NULL);
}

/* Same rank and dims. */
static inline int td_same_shape(const td_tensor *a, const td_tensor *b) {
  if (a->rank != b->rank) return 0;
  for (uint32_t d = 0; d < a->rank; d++) {
    if (a->dims[d] != b->dims[d]) return 0;
  }
  return 1;
}

/* Do two byte ranges overlap? Compared as integers (pointers into different
 * objects are not comparable in C). */
static inline int td_overlap(const void *a, uint32_t abytes, const void *b, uint32_t bbytes) {
  const uintptr_t ai = (uintptr_t)a, bi = (uintptr_t)b;
  if (abytes == 0 || bbytes == 0) return 0;
  return ai < bi + bbytes && bi < ai + abytes;
}

/* Output must be written in place of nothing it reads: for kernels whose
 * output element i depends on input elements other than i. */
static inline int td_disjoint(const td_tensor *in, const td_tensor *out) {
  return !td_overlap(in->data, in->bytes, out->data, out->bytes);
}

/* An elementwise kernel may run in place, but only exactly in place. */
static inline int td_same_or_disjoint(const td_tensor *in, const td_tensor *out) {
  return in->data == out->data || td_disjoint(in, out);
}

/* Wrapping int32 add/sub (TFLite relies on these never overflowing for valid
 * params; a hostile package must not make them undefined behaviour here). */
static inline int32_t td_wadd(int32_t a, int32_t b) {
  const uint32_t u = (uint32_t)a + (uint32_t)b;
  return u <= (uint32_t)INT32_MAX ? (int32_t)u : (int32_t)(u - 0x80000000u) - INT32_MAX - 1;
}
static inline int32_t td_wsub(int32_t a, int32_t b) {
  const uint32_t u = (uint32_t)a - (uint32_t)b;
  return u <= (uint32_t)INT32_MAX ? (int32_t)u : (int32_t)(u - 0x80000000u) - INT32_MAX - 1;
}

#endif
