/*
 * rpc-server: the board RPC server (firmware/rpc) on the host, speaking the
 * protocol over stdin/stdout, with the real runtime behind it. For tests
 * and for driving the protocol without a board.
 *
 *   rpc-server [--package BYTES] [--arena BYTES] [--profile LAYERS]
 *              [--max-payload BYTES] [--counters fake|clock|none]
 *              [--resident PACKAGE]
 *
 * --resident loads a package file at start (td_rpc_load_resident), as a
 * board whose image carries its model in flash would, and again after a
 * hard reset.
 * Counters: "fake" makes every read advance counter k by k + 1 from a
 * start just below 2^32, so per-layer differences are known exactly and
 * wrap-around is exercised; "clock" reports nanoseconds as cycles.
 * A hard RESET re-initialises the server, as a reboot would.
 * Exit: 0 at end of input, 1 usage, 2 I/O error.
 */
#define _POSIX_C_SOURCE 200112L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "td_rpc.h"

const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "detect_leaks=0"; }

typedef enum { COUNTERS_NONE, COUNTERS_FAKE, COUNTERS_CLOCK } counter_mode;

typedef struct {
  counter_mode counters;
  uint32_t reads;
  uint8_t out[1 << 16];
  size_t out_len;
  int io_error;
  int reboot;
} host;

static void flush_out(host *h) {
  size_t at = 0;
  while (at < h->out_len) {
    ssize_t n = write(1, h->out + at, h->out_len - at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      h->io_error = 1;
      break;
    }
    at += (size_t)n;
  }
  h->out_len = 0;
}

static void host_write(void *user, const uint8_t *data, size_t len) {
  host *h = user;
  while (len > 0) {
    if (h->out_len == sizeof h->out) flush_out(h);
    size_t n = sizeof h->out - h->out_len;
    if (n > len) n = len;
    memcpy(h->out + h->out_len, data, n);
    h->out_len += n;
    data += n;
    len -= n;
  }
}

static void host_counters(void *user, uint32_t c[TD_RPC_MAX_COUNTERS]) {
  host *h = user;
  if (h->counters == COUNTERS_CLOCK) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    c[0] = (uint32_t)((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
    for (uint32_t k = 1; k < TD_RPC_MAX_COUNTERS; k++) c[k] = 0;
    return;
  }
  h->reads++;
  for (uint32_t k = 0; k < TD_RPC_MAX_COUNTERS; k++) c[k] = 0xFFFFFFF0u + h->reads * (k + 1);
}

static void host_reset(void *user) { ((host *)user)->reboot = 1; }

static int usage(void) {
  fputs("usage: rpc-server [--package BYTES] [--arena BYTES] [--profile LAYERS]\n"
        "                  [--max-payload BYTES] [--counters fake|clock|none]\n"
        "                  [--resident PACKAGE]\n",
        stderr);
  return 1;
}

static void *aligned(size_t n) {
  void *p = NULL;
  return posix_memalign(&p, TD_ALIGN, n > 0 ? n : 1) == 0 ? p : NULL;
}

/* A whole file in a TD_ALIGN-aligned buffer of its exact size. */
static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  uint8_t *p = NULL;
  long n = -1;
  if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0)
    p = aligned((size_t)n);
  if (p != NULL && fread(p, 1, (size_t)n, f) != (size_t)n) {
    free(p);
    p = NULL;
  }
  fclose(f);
  *len = (size_t)n;
  return p;
}

/* Server start (and restart after a hard reset): init, resident package. */
static int start(td_rpc *rpc, const td_rpc_board *board, const uint8_t *resident, size_t len) {
  if (td_rpc_init(rpc, board) != TD_RPC_OK) {
    fputs("rpc-server: bad board configuration\n", stderr);
    return 1;
  }
  if (resident == NULL) return 0;
  td_status s = td_rpc_load_resident(rpc, resident, len);
  if (s == TD_OK) return 0;
  fprintf(stderr, "rpc-server: resident package: %s\n", td_status_name(s));
  return 2;
}

int main(int argc, char **argv) {
  static host h;
  static td_rpc rpc;
  unsigned long package = 4ul << 20, arena = 4ul << 20, profile = 1024, max_payload = 0;
  const char *resident_path = NULL;
  h.counters = COUNTERS_FAKE;
  for (int i = 1; i < argc; i++) {
    if (i + 1 >= argc) return usage();
    const char *v = argv[++i];
    if (strcmp(argv[i - 1], "--package") == 0) package = strtoul(v, NULL, 0);
    else if (strcmp(argv[i - 1], "--arena") == 0) arena = strtoul(v, NULL, 0);
    else if (strcmp(argv[i - 1], "--profile") == 0) profile = strtoul(v, NULL, 0);
    else if (strcmp(argv[i - 1], "--max-payload") == 0) max_payload = strtoul(v, NULL, 0);
    else if (strcmp(argv[i - 1], "--resident") == 0) resident_path = v;
    else if (strcmp(argv[i - 1], "--counters") == 0) {
      if (strcmp(v, "fake") == 0) h.counters = COUNTERS_FAKE;
      else if (strcmp(v, "clock") == 0) h.counters = COUNTERS_CLOCK;
      else if (strcmp(v, "none") == 0) h.counters = COUNTERS_NONE;
      else return usage();
    } else return usage();
  }
  /* Exact sizes, so the sanitizer catches any access past a region. */
  uint8_t *pkg = aligned(package), *ar = aligned(arena);
  uint32_t *prof = malloc((profile > 0 ? profile : 1) * 6 * sizeof(uint32_t));
  if (pkg == NULL || ar == NULL || prof == NULL) return perror("rpc-server"), 2;
  td_rpc_board board = {
      .name = "host",
      .core = "host",
      .build_id = "rpc-server",
      .clock_hz = h.counters == COUNTERS_CLOCK ? 1000000000u : 0,
      .package = pkg,
      .package_bytes = (uint32_t)package,
      .arena = ar,
      .arena_bytes = (uint32_t)arena,
      .profile = prof,
      .profile_layers = (uint32_t)profile,
      .num_counters = h.counters == COUNTERS_NONE ? 0 : 6,
      .max_payload = (uint16_t)max_payload,
      .write = host_write,
      .read_counters = host_counters,
      .reset = host_reset,
      .user = &h,
  };
  uint8_t *resident = NULL;
  size_t resident_len = 0;
  if (resident_path != NULL && (resident = read_file(resident_path, &resident_len)) == NULL)
    return perror(resident_path), 2;
  int rc = start(&rpc, &board, resident, resident_len);
  if (rc != 0) return rc;
  uint8_t in[4096];
  for (;;) {
    ssize_t n = read(0, in, sizeof in);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return perror("rpc-server: read"), 2;
    if (n == 0) break;
    /* Byte by byte, so a reboot takes effect right after its reply. */
    for (ssize_t i = 0; i < n; i++) {
      if (td_rpc_feed(&rpc, in[i])) td_rpc_poll(&rpc);
      if (h.reboot) {
        h.reboot = 0;
        flush_out(&h);
        if ((rc = start(&rpc, &board, resident, resident_len)) != 0) return rc;
      }
    }
    flush_out(&h);
    if (h.io_error) return 2;
  }
  return 0;
}
