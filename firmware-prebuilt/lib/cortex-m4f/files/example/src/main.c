/*
 * TinyDeploy example application: loads the model compiled into the image,
 * runs it on the stored test vectors (test_vectors.c) and reports over the
 * board's UART whether the outputs match the expected ones:
 *
 *   outputs matched: 1 sample(s), max difference 0 step(s)
 *
 * or the first element that does not. Text goes out through the board's
 * td_board_write (board support in src/board/); nothing here needs printf,
 * semihosting or a heap. Replace the test loop with your own input source
 * and keep the model_* calls (model.h).
 */
#include <stdint.h>
#include <string.h>

#include "cm4.h"
#include "model.h"
#include "td_board.h"
#include "td_timer.h"
#include "test_vectors.h"

/* ---- text output over the board's UART ---- */

static void put(const char *s) {
  for (; *s != 0; s++) td_board_write((const uint8_t *)s, 1);
}

static void put_u64(uint64_t v) {
  char buf[21];
  int n = 0;
  do {
    buf[n++] = (char)('0' + (int)(v % 10u));
    v /= 10u;
  } while (v != 0u && n < 20);
  while (n > 0) td_board_write((const uint8_t *)&buf[--n], 1);
}

static void put_i64(int64_t v) {
  if (v < 0) {
    put("-");
    put_u64((uint64_t)0 - (uint64_t)v);
  } else {
    put_u64((uint64_t)v);
  }
}

/* Six decimals, or a power-of-ten form for large magnitudes. */
static void put_f32(float v) {
  if (v != v) {
    put("nan");
    return;
  }
  if (v < 0.0f) {
    put("-");
    v = -v;
  }
  if (v > 3.4028235e38f) {
    put("inf");
    return;
  }
  int exp10 = 0;
  while (v >= 1e9f) {
    v /= 10.0f;
    exp10++;
  }
  uint32_t whole = (uint32_t)v;
  uint32_t frac = (uint32_t)((v - (float)whole) * 1e6f + 0.5f);
  if (frac >= 1000000u) {
    whole++;
    frac -= 1000000u;
  }
  put_u64(whole);
  put(".");
  for (uint32_t d = 100000u; d > 0u; d /= 10u) {
    char c = (char)('0' + (int)((frac / d) % 10u));
    td_board_write((const uint8_t *)&c, 1);
  }
  if (exp10 > 0) {
    put("e+");
    put_u64((uint64_t)exp10);
  }
}

static void halt(void) {
  TD_SYST_CSR = 0; /* no more SysTick wake-ups: the core can sleep for good */
  for (;;) __asm volatile("wfi");
}

/* ---- comparison ---- */

static int is_float(uint8_t dtype) { return dtype == TD_FLOAT32; }

/* Element i of an integer tensor, widened. */
static int64_t int_at(const void *data, uint8_t dtype, uint32_t i) {
  switch (dtype) {
    case TD_INT8: return ((const int8_t *)data)[i];
    case TD_UINT8:
    case TD_BOOL: return ((const uint8_t *)data)[i];
    case TD_INT16: return ((const int16_t *)data)[i];
    case TD_INT32: return ((const int32_t *)data)[i];
    case TD_INT64: {
      int64_t v;
      memcpy(&v, (const uint8_t *)data + 8u * i, sizeof v);
      return v;
    }
    default: return 0;
  }
}

static float float_at(const void *data, uint32_t i) { return ((const float *)data)[i]; }

#if TEST_VECTOR_HAVE_EXPECTED
typedef struct {
  uint64_t max_steps; /* integer outputs: largest |got - expected| */
  float max_abs;      /* float outputs: largest |got - expected| */
} diff_stats;

/* Compares one output with its expected values; prints and returns 0 at the
 * first element outside the tolerance. */
static int check_output(uint32_t sample, uint32_t index, diff_stats *stats) {
  const model_tensor_info *info = &model_outputs[index];
  const void *got = model_output(index);
  const void *want = test_vector_expected[sample][index];
  for (uint32_t i = 0; i < info->elements; i++) {
    int ok;
    if (is_float(info->dtype)) {
      float g = float_at(got, i), w = float_at(want, i);
      float d = g > w ? g - w : w - g;
      float limit = TEST_VECTOR_TOLERANCE_ABS + TEST_VECTOR_TOLERANCE_REL * (w < 0.0f ? -w : w);
      int both_nan = (g != g) && (w != w);
      ok = both_nan || (g == w) || d <= limit;
      if (ok && !both_nan && g != w && d > stats->max_abs) stats->max_abs = d;
    } else {
      int64_t g = int_at(got, info->dtype, i), w = int_at(want, info->dtype, i);
      uint64_t d = g > w ? (uint64_t)g - (uint64_t)w : (uint64_t)w - (uint64_t)g;
      ok = d <= (uint64_t)TEST_VECTOR_TOLERANCE_STEPS;
      if (d > stats->max_steps) stats->max_steps = d;
    }
    if (!ok) {
      put("output mismatch: sample ");
      put_u64(sample);
      put(" output ");
      put_u64(index);
      put(" element ");
      put_u64(i);
      put(": got ");
      if (is_float(info->dtype)) {
        put_f32(float_at(got, i));
        put(" expected ");
        put_f32(float_at(want, i));
      } else {
        put_i64(int_at(got, info->dtype, i));
        put(" expected ");
        put_i64(int_at(want, info->dtype, i));
        put(" (tolerance ");
        put_u64((uint64_t)TEST_VECTOR_TOLERANCE_STEPS);
        put(" step(s))");
      }
      put("\r\n");
      return 0;
    }
  }
  return 1;
}
#endif

static void print_outputs(void) {
  for (uint32_t o = 0; o < TD_MODEL_NUM_OUTPUTS; o++) {
    const model_tensor_info *info = &model_outputs[o];
    const void *got = model_output(o);
    uint32_t n = info->elements < 16u ? info->elements : 16u;
    put("output ");
    put_u64(o);
    put(":");
    for (uint32_t i = 0; i < n; i++) {
      put(" ");
      if (is_float(info->dtype)) put_f32(float_at(got, i));
      else put_i64(int_at(got, info->dtype, i));
    }
    put(n < info->elements ? " ...\r\n" : "\r\n");
  }
}

int main(void) {
  td_board_init();
  put("TinyDeploy example: " TD_MODEL_NAME " on ");
  put(td_board_info.board);
  put("\r\n");

  td_status status = model_init();
  if (status != TD_OK) {
    put("model_init failed: ");
    put(td_status_name(status));
    put("\r\n");
    halt();
  }
  put("model: ");
  put_u64(TD_MODEL_NUM_LAYERS);
  put(" layers, package ");
  put_u64(TD_MODEL_PACKAGE_BYTES);
  put(" bytes, arena ");
  put_u64(TD_MODEL_ARENA_BYTES);
  put(" bytes\r\n");

  td_timer_start();
#if TEST_VECTOR_HAVE_EXPECTED
  diff_stats stats = {0u, 0.0f};
#endif
  int matched = 1;
  for (uint32_t s = 0; s < TEST_VECTOR_SAMPLES && matched; s++) {
    for (uint32_t i = 0; i < TD_MODEL_NUM_INPUTS; i++) {
      memcpy(model_input(i), test_vector_inputs[s][i], model_inputs[i].bytes);
    }
    uint64_t t0 = td_timer_ticks();
    status = model_invoke();
    uint64_t ticks = td_timer_ticks() - t0;
    if (status != TD_OK) {
      put("model_invoke failed: ");
      put(td_status_name(status));
      put(" at layer ");
      put_u64(model_handle()->failed_layer);
      put("\r\n");
      halt();
    }
    put("sample ");
    put_u64(s);
    put(": ");
    put_u64(ticks);
    put(" ticks (");
    put_u64(ticks * 1000000u / td_board_info.tick_hz);
    put(" us)\r\n");
#if TEST_VECTOR_HAVE_EXPECTED
    for (uint32_t o = 0; o < TD_MODEL_NUM_OUTPUTS && matched; o++) {
      matched = check_output(s, o, &stats);
    }
#else
    print_outputs();
#endif
  }
#if TEST_VECTOR_HAVE_EXPECTED
  if (matched) {
    put("outputs matched: ");
    put_u64(TEST_VECTOR_SAMPLES);
    put(" sample(s), max difference ");
    put_u64(stats.max_steps);
    put(" step(s)");
    if (stats.max_abs > 0.0f) {
      put(", ");
      put_f32(stats.max_abs);
      put(" (float)");
    }
    put("\r\n");
  } else {
    print_outputs();
  }
#else
  put("no expected outputs stored: nothing to compare\r\n");
#endif
  put("done\r\n");
  halt();
  return 0;
}
