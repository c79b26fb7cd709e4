/*
 * fuzz-load: mutate valid packages and feed them to td_load (and, when one
 * is accepted, to td_invoke), under AddressSanitizer + UBSan. A sanitizer
 * report aborts the run; otherwise every outcome must be a known td_status.
 *
 *   fuzz-load [--crash FILE] SEED CASES PACKAGE...
 *
 * With --crash, a failing case is written out for replay: FILE (the
 * package) and FILE.in (its inputs), run with
 *   td-run-san --fill 0xA5 FILE FILE.in /dev/null
 *
 * Most mutations recompute the CRC, so that they reach the validation
 * behind it instead of all stopping at TD_ERR_BAD_CRC. Every buffer is
 * allocated at its exact size so that any read past it is caught.
 * Prints one JSON line of outcome counts. Exit: 0 ok, 1 usage, 3 if an
 * unmutated package fails or a status is unknown.
 */
#define _POSIX_C_SOURCE 200112L
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "td_runtime.h"

static uint64_t rng_state;

/* splitmix64: tiny, seedable, good enough to pick mutations. */
static uint64_t rnd(void) {
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static uint32_t below(uint32_t n) { return n == 0 ? 0 : (uint32_t)(rnd() % n); }

static uint32_t rd32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void wr32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

typedef struct {
  uint8_t *data;
  size_t len;
} blob;

static int read_file(const char *path, blob *b) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return -1;
  if (fseek(f, 0, SEEK_END) != 0) return fclose(f), -1;
  long n = ftell(f);
  rewind(f);
  b->len = n > 0 ? (size_t)n : 0;
  b->data = malloc(b->len + 1);
  size_t got = b->data != NULL ? fread(b->data, 1, b->len, f) : 0;
  fclose(f);
  return got == b->len ? 0 : -1;
}

static void fix_crc(uint8_t *p, size_t len) {
  if (len < TD_HEADER_BYTES) return;
  uint32_t total = rd32(p + 12);
  if (total < TD_HEADER_BYTES || total > len) total = (uint32_t)len;
  wr32(p + 8, td_crc32(0, p + TD_HEADER_BYTES, total - TD_HEADER_BYTES));
}

static uint32_t interesting(uint32_t old, size_t len) {
  static const uint32_t values[] = {0u,          1u,          2u,         3u,         4u,
                                    15u,         16u,         17u,        0x7Fu,      0x80u,
                                    0xFFu,       0x100u,      0xFFFFu,    0x10000u,   0x7FFFFFFFu,
                                    0x80000000u, 0xFFFFFFFFu, 0xFFFFFFF0u, 0xFFFFFFFCu, 1u << 24};
  switch (below(5)) {
    case 0: return (uint32_t)len + below(33) - 16u;
    case 1: return old + below(33) - 16u;
    case 2: return (uint32_t)rnd();
    default: return values[below(sizeof values / sizeof values[0])];
  }
}

/* A random 4-aligned word inside the section the header says starts at
 * header word `off_word` (falls back to anywhere after the header). */
static size_t word_in(const uint8_t *p, size_t len, uint32_t off_word, uint32_t bytes) {
  uint32_t off = rd32(p + off_word);
  if (bytes >= 4 && off % 4 == 0 && off < len && bytes <= len - off) return off + 4u * below(bytes / 4);
  return TD_HEADER_BYTES + 4u * below((uint32_t)((len - TD_HEADER_BYTES) / 4));
}

enum { MUTATIONS = 8 };

/* Mutates p in place (may shorten *len); all but raw flips and plain
 * truncation then recompute the CRC. */
static void mutate(uint8_t *p, size_t *len, uint32_t kind) {
  size_t n = *len;
  uint32_t tensors_bytes = 48u * rd32(p + 16);
  switch (kind) {
    case 0: /* raw bit flips, CRC left stale */
      for (uint32_t i = 0, k = 1 + below(4); i < k; i++) p[below((uint32_t)n)] ^= (uint8_t)(1u << below(8));
      return;
    case 1: /* bit flips past the header */
      for (uint32_t i = 0, k = 1 + below(4); i < k; i++) {
        p[TD_HEADER_BYTES + below((uint32_t)(n - TD_HEADER_BYTES))] ^= (uint8_t)(1u << below(8));
      }
      break;
    case 2: /* truncation, header total kept */
      *len = below((uint32_t)n);
      return;
    case 3: /* truncation with a consistent header */
      *len = TD_HEADER_BYTES + below((uint32_t)(n - TD_HEADER_BYTES));
      wr32(p + 12, (uint32_t)*len);
      break;
    case 4: { /* a header field */
      uint32_t w = 4u * (3u + below(13));
      wr32(p + w, interesting(rd32(p + w), n));
      break;
    }
    case 5: { /* a word of the tensor table */
      size_t at = word_in(p, n, 32, tensors_bytes);
      wr32(p + at, interesting(rd32(p + at), n));
      break;
    }
    case 6: { /* a word of the op records */
      size_t at = word_in(p, n, 36, rd32(p + 40));
      wr32(p + at, interesting(rd32(p + at), n));
      break;
    }
    default: { /* any byte past the header */
      p[TD_HEADER_BYTES + below((uint32_t)(n - TD_HEADER_BYTES))] = (uint8_t)rnd();
      break;
    }
  }
  fix_crc(p, *len);
}

/* After-layer hook: walk the accessors the way a debugger would. */
static void touch_layer(void *user, uint32_t layer) {
  const td_model *m = user;
  td_layer_info info;
  if (td_layer(m, layer, &info) != TD_OK) abort();
  for (uint32_t i = 0; i < info.num_outputs; i++) {
    td_tensor t;
    if (td_tensor_at(m, (uint32_t)info.outputs[i], &t) != TD_OK) abort();
    volatile uint8_t sink = ((const uint8_t *)t.data)[t.bytes - 1];
    (void)sink;
  }
}

static unsigned counts[32];

enum { ARENA_CAP = 4u << 20 };

/* The case being run, for the abort handler to save. */
static struct {
  const char *path;
  const uint8_t *pkg;
  size_t len;
  uint8_t inputs[1 << 16];
  size_t inputs_len;
} current;

/* Sanitizer reports end in abort() (options below); the handler saves the
 * case with async-signal-safe calls only, then lets the abort proceed. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "abort_on_error=1"; }
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void) { return "abort_on_error=1:print_stacktrace=1"; }

static char in_path[4096];

static void write_all(const char *path, const uint8_t *p, size_t n) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w <= 0) break;
    p += w;
    n -= (size_t)w;
  }
  close(fd);
}

static void save_case(int sig) {
  static const char msg[] = "fuzz-load: failing case saved for replay\n";
  if (current.path != NULL && current.pkg != NULL) {
    write_all(current.path, current.pkg, current.len);
    write_all(in_path, current.inputs, current.inputs_len);
    if (write(2, msg, sizeof msg - 1) < 0) { /* nothing left to do */ }
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

/* Returns the load status; runs the model when it loads. */
static td_status run_case(const uint8_t *src, size_t len, int shrink_arena) {
  void *pkg = NULL, *arena = NULL;
  if (posix_memalign(&pkg, TD_ALIGN, len > 0 ? len : 1) != 0) abort();
  memcpy(pkg, src, len);
  current.pkg = pkg;
  current.len = len;
  current.inputs_len = 0;
  size_t need = 0;
  td_status s = td_arena_required(pkg, len, &need);
  if (s == TD_OK) {
    /* A mutated header may ask for gigabytes: give it less and let the
     * loader say ARENA_TOO_SMALL. Seeds are small models, well under this. */
    if (need > ARENA_CAP) need = ARENA_CAP;
    if (shrink_arena && need > 0) need -= 1 + below((uint32_t)need);
    if (posix_memalign(&arena, TD_ALIGN, need > 0 ? need : 1) != 0) abort();
    memset(arena, 0xA5, need);
    td_model m;
    s = td_load(pkg, len, arena, need, &m);
    if (s == TD_OK) {
      for (uint32_t i = 0; i < td_num_inputs(&m); i++) {
        td_tensor t;
        if (td_input(&m, i, &t) != TD_OK) abort();
        for (uint32_t b = 0; b < t.bytes; b++) {
          uint8_t v = (uint8_t)rnd();
          ((uint8_t *)t.data)[b] = v;
          if (current.inputs_len < sizeof current.inputs) current.inputs[current.inputs_len++] = v;
        }
      }
      td_hooks hooks = {NULL, touch_layer, &m};
      td_status r = td_invoke(&m, &hooks);
      counts[r == TD_OK ? 31 : 30]++;
    }
  }
  free(arena);
  free(pkg);
  current.pkg = NULL;
  return s;
}

/* The runtime must refuse a misaligned package or arena (kernels cast
 * constants and activations to int32/float pointers). */
static int refuses_misalignment(const blob *b) {
  uint8_t *pkg = NULL, *arena = NULL;
  size_t need = 0;
  if (td_arena_required(b->data, b->len, &need) != TD_OK) return 0;
  if (posix_memalign((void **)&pkg, TD_ALIGN, b->len + 4) != 0) abort();
  if (posix_memalign((void **)&arena, TD_ALIGN, need + 4) != 0) abort();
  td_model m;
  memcpy(pkg + 4, b->data, b->len);
  int ok = td_load(pkg + 4, b->len, arena, need, &m) == TD_ERR_ALIGNMENT;
  memcpy(pkg, b->data, b->len);
  ok = ok && td_load(pkg, b->len, arena + 4, need, &m) == TD_ERR_ALIGNMENT;
  ok = ok && td_load(pkg, b->len, arena, need, &m) == TD_OK;
  free(arena);
  free(pkg);
  return ok;
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "--crash") == 0) {
    current.path = argv[2];
    argv += 2;
    argc -= 2;
  }
  if (argc < 4) {
    fputs("usage: fuzz-load [--crash FILE] SEED CASES PACKAGE...\n", stderr);
    return 1;
  }
  if (current.path != NULL) {
    snprintf(in_path, sizeof in_path, "%s.in", current.path);
    signal(SIGABRT, save_case);
  }
  rng_state = strtoull(argv[1], NULL, 0);
  unsigned long cases = strtoul(argv[2], NULL, 0);
  int npkg = argc - 3;
  blob pkgs[64];
  if (npkg > 64) npkg = 64;
  for (int i = 0; i < npkg; i++) {
    if (read_file(argv[3 + i], &pkgs[i]) != 0 || pkgs[i].len < TD_HEADER_BYTES + 4) {
      fprintf(stderr, "fuzz-load: cannot use %s\n", argv[3 + i]);
      return 1;
    }
    /* The unmutated package must load and run: otherwise the fuzz is moot. */
    td_status s = run_case(pkgs[i].data, pkgs[i].len, 0);
    if (s != TD_OK || counts[31] != (unsigned)i + 1) {
      fprintf(stderr, "fuzz-load: %s does not load and run: %s\n", argv[3 + i], td_status_name(s));
      return 3;
    }
    if (!refuses_misalignment(&pkgs[i])) {
      fprintf(stderr, "fuzz-load: %s loads misaligned\n", argv[3 + i]);
      return 3;
    }
  }
  counts[31] = 0;
  uint8_t *work = NULL;
  size_t work_cap = 0;
  for (unsigned long c = 0; c < cases; c++) {
    const blob *b = &pkgs[below((uint32_t)npkg)];
    if (b->len > work_cap) {
      free(work);
      work = malloc(b->len);
      work_cap = b->len;
    }
    memcpy(work, b->data, b->len);
    size_t len = b->len;
    uint32_t kind = below(MUTATIONS + 1);
    if (kind < MUTATIONS) mutate(work, &len, kind);
    td_status s = run_case(work, len, kind == MUTATIONS);
    if ((unsigned)s > TD_ERR_ALIGNMENT || strcmp(td_status_name(s), "TD_ERR_UNKNOWN") == 0) {
      fprintf(stderr, "fuzz-load: unknown status %d\n", (int)s);
      return 3;
    }
    counts[s]++;
  }
  free(work);
  printf("{\"cases\":%lu,\"invoked\":%u,\"invokeFailed\":%u,\"status\":{", cases, counts[31], counts[30]);
  for (int s = 0, first = 1; s <= TD_ERR_ALIGNMENT; s++) {
    if (counts[s] == 0) continue;
    printf("%s\"%s\":%u", first ? "" : ",", td_status_name((td_status)s), counts[s]);
    first = 0;
  }
  printf("}}\n");
  for (int i = 0; i < npkg; i++) free(pkgs[i].data);
  return 0;
}
