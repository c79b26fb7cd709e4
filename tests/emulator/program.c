/* Workload for the emulator end-to-end test: the same source runs on the
 * emulated Cortex-M4F and on the host; the results must agree bit for bit. */
#include <stdint.h>

#ifdef __ARM_ARCH
#include <arm_acle.h>
#define SMLAD(a, b, c) __smlad((a), (b), (c))
#define SXTB16(a) __sxtb16(a)
#define SXTB16_ROR8(a) __sxtb16(((a) >> 8) | ((a) << 24))
#define SSAT8(a) __ssat((a), 8)
#define QADD(a, b) __qadd((a), (b))
#else
static int32_t SMLAD(uint32_t a, uint32_t b, int32_t c) {
  return c + (int16_t)a * (int16_t)b + (int16_t)(a >> 16) * (int16_t)(b >> 16);
}
static uint32_t SXTB16(uint32_t a) {
  return (uint16_t)(int16_t)(int8_t)a | ((uint32_t)(uint16_t)(int16_t)(int8_t)(a >> 16) << 16);
}
#define SXTB16_ROR8(a) SXTB16(((a) >> 8) | ((a) << 24))
static int32_t SSAT8(int32_t a) { return a > 127 ? 127 : a < -128 ? -128 : a; }
static int32_t QADD(int32_t a, int32_t b) {
  int64_t s = (int64_t)a + b;
  return s > INT32_MAX ? INT32_MAX : s < INT32_MIN ? INT32_MIN : (int32_t)s;
}
#endif

#define N 512
static uint32_t seed = 12345;
static uint32_t lcg(void) { return seed = seed * 1664525u + 1013904223u; }

static uint8_t buf[N * 4];
static int32_t keys[N];
static float fa[N], fb[N];
static int8_t qa[N], qb[N];

static uint32_t crc32(const uint8_t *p, uint32_t n) {
  uint32_t crc = 0xFFFFFFFFu;
  for (uint32_t i = 0; i < n; i++) {
    crc ^= p[i];
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

static void quicksort(int32_t *a, int lo, int hi) {
  while (lo < hi) {
    int32_t pivot = a[(lo + hi) / 2];
    int i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        int32_t t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
}

static float dot(const float *a, const float *b, int n) {
  float s = 0.0f;
  for (int i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

/* int8 dot product the CMSIS-NN way: two lanes per SMLAD, then saturate. */
static int32_t dot_q7(const int8_t *a, const int8_t *b, int n) {
  int32_t acc = 0;
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    uint32_t wa = (uint8_t)a[i] | (uint8_t)a[i + 1] << 8 | (uint32_t)(uint8_t)a[i + 2] << 16 |
                  (uint32_t)(uint8_t)a[i + 3] << 24;
    uint32_t wb = (uint8_t)b[i] | (uint8_t)b[i + 1] << 8 | (uint32_t)(uint8_t)b[i + 2] << 16 |
                  (uint32_t)(uint8_t)b[i + 3] << 24;
    acc = SMLAD(SXTB16(wa), SXTB16(wb), acc);
    acc = SMLAD(SXTB16_ROR8(wa), SXTB16_ROR8(wb), acc);
  }
  for (; i < n; i++) acc += a[i] * b[i];
  return acc;
}

static uint32_t f2u(float f) {
  union {
    float f;
    uint32_t u;
  } v = {f};
  return v.u;
}

void run_all(uint32_t *out) {
  for (int i = 0; i < N * 4; i++) buf[i] = (uint8_t)(lcg() >> 24);
  for (int i = 0; i < N; i++) keys[i] = (int32_t)lcg() >> 3;
  for (int i = 0; i < N; i++) {
    fa[i] = (float)((int32_t)lcg() >> 16) / 1024.0f;
    fb[i] = (float)((int32_t)lcg() >> 20) * 0.03125f;
    qa[i] = (int8_t)(lcg() >> 24);
    qb[i] = (int8_t)(lcg() >> 24);
  }
  out[0] = crc32(buf, sizeof buf);
  quicksort(keys, 0, N - 1);
  uint32_t sorted = 1, h = 0;
  for (int i = 0; i < N; i++) {
    if (i > 0 && keys[i - 1] > keys[i]) sorted = 0;
    h = h * 31u + (uint32_t)keys[i];
  }
  out[1] = sorted;
  out[2] = h;
  float d = dot(fa, fb, N);
  out[3] = f2u(d);
  out[4] = f2u(__builtin_sqrtf(d < 0 ? -d : d));
  out[5] = f2u(d / 3.0f);
  out[6] = (uint32_t)(int32_t)(d * 16.0f);
  int32_t q = dot_q7(qa, qb, N);
  out[7] = (uint32_t)q;
  out[8] = (uint32_t)SSAT8(q >> 8);
  out[9] = (uint32_t)QADD(q, 0x7FFF0000);
  uint64_t p = 0;
  for (int i = 0; i < N; i++) p = p * 0x9E3779B97F4A7C15ull + (uint64_t)(uint32_t)keys[i];
  out[10] = (uint32_t)p;
  out[11] = (uint32_t)(p >> 32);
  int32_t div = 0;
  for (int i = 1; i < 64; i++) div += keys[i * 7] / (i - 32 == 0 ? 1 : i - 32) + (int32_t)((uint32_t)keys[i] % (uint32_t)i);
  out[12] = (uint32_t)div;
  float m = 1.0f;
  for (int i = 0; i < 100; i++) m = m * 1.0625f - fa[i] / 256.0f;
  out[13] = f2u(m);
  out[14] = (uint32_t)(int64_t)(m * 1e6f);
}

#ifndef __ARM_ARCH
#include <stdio.h>
int main(void) {
  uint32_t out[32] = {0};
  run_all(out);
  for (int i = 0; i < 15; i++) printf("%08x\n", out[i]);
  return 0;
}
#endif
