/*
 * rpc-fuzz: hostile input for the RPC server under AddressSanitizer + UBSan.
 *
 *   rpc-fuzz SEED CASES [PACKAGE]
 *
 * Each case re-initialises a server with a random board (payload limit,
 * counters, profile capacity; regions allocated at their exact sizes),
 * optionally uploads PACKAGE through proper frames, then sends a random
 * mix of: garbage bytes, well-formed frames of random type and payload,
 * plausible requests with random fields, damaged copies of valid frames,
 * exact repeats, and frames that arrive while a request is still pending.
 *
 * Besides the sanitizers, it checks what the server says: every byte it
 * writes must belong to a valid response frame (COBS, length, CRC, type
 * with bit 7, payload within the limit), a repeated request must get the
 * same answer flagged REPLAY, and an upload of PACKAGE must load.
 * Prints one JSON line of counts. Exit: 0 ok, 1 usage, 3 check failed.
 */
#define _POSIX_C_SOURCE 200112L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_cobs.h"
#include "td_rpc.h"

const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "detect_leaks=0"; }

static uint64_t rng_state;

static uint64_t rnd(void) { /* splitmix64 */
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static uint32_t below(uint32_t n) { return n == 0 ? 0 : (uint32_t)(rnd() % n); }

static void wr16(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t rd16(const uint8_t *p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8); }

static uint32_t rd32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* ---- what the server writes, checked frame by frame ---- */

#define OUT_MAX (1u << 20)
static uint8_t out[OUT_MAX];
static size_t out_len;
static int out_overflow;

static void capture(void *user, const uint8_t *data, size_t len) {
  (void)user;
  if (len > OUT_MAX - out_len) {
    out_overflow = 1;
    return;
  }
  memcpy(out + out_len, data, len);
  out_len += len;
}

typedef struct {
  uint8_t type, flags, status;
  uint16_t seq;
  uint32_t len;
  uint8_t payload[TD_RPC_MAX_PAYLOAD];
} response;

static struct {
  unsigned long cases, sent, responses, naks, replays, uploads, invokes_ok;
  unsigned long status[16];
} stats;

static int fail(const char *what, unsigned long c) {
  fprintf(stderr, "rpc-fuzz: case %lu: %s\n", c, what);
  return 3;
}

/* Splits the captured output into frames and checks each; keeps the last. */
static int check_output(unsigned long c, uint32_t max_payload, response *last, int *count) {
  static uint8_t frame[TD_RPC_ENCODED_MAX];
  *count = 0;
  if (out_overflow) return fail("server wrote more than 1 MiB at once", c);
  size_t start = 0;
  for (size_t i = 0; i < out_len; i++) {
    if (out[i] != 0) continue;
    size_t n = i - start, len = 0;
    if (n == 0) return fail("server wrote an empty frame", c);
    if (n > sizeof frame) return fail("server wrote an oversized frame", c);
    memcpy(frame, out + start, n);
    start = i + 1;
    if (td_cobs_decode(frame, n, &len) != 0) return fail("server wrote invalid COBS", c);
    if (len < TD_RPC_HEADER_BYTES + TD_RPC_CRC_BYTES) return fail("short response", c);
    uint32_t plen = (uint32_t)len - TD_RPC_HEADER_BYTES - TD_RPC_CRC_BYTES;
    if (rd16(frame + TD_RPC_H_LENGTH) != plen) return fail("response length field wrong", c);
    if (plen > max_payload) return fail("response payload over the advertised limit", c);
    if (td_crc32(0, frame, len - 4) != rd32(frame + len - 4)) return fail("response CRC wrong", c);
    if (frame[TD_RPC_H_VERSION] != TD_RPC_VERSION) return fail("response version wrong", c);
    if (!(frame[TD_RPC_H_TYPE] & TD_RPC_RESPONSE)) return fail("response without bit 7", c);
    last->type = frame[TD_RPC_H_TYPE];
    last->flags = frame[TD_RPC_H_FLAGS];
    last->status = frame[TD_RPC_H_STATUS];
    last->seq = (uint16_t)rd16(frame + TD_RPC_H_SEQ);
    last->len = plen;
    memcpy(last->payload, frame + TD_RPC_HEADER_BYTES, plen);
    stats.responses++;
    if (last->type == (TD_RPC_NAK | TD_RPC_RESPONSE)) stats.naks++;
    else stats.status[last->status & 15]++;
    if (last->flags & TD_RPC_FLAG_REPLAY) stats.replays++;
    (*count)++;
  }
  if (start != out_len) return fail("server left a frame unterminated", c);
  out_len = 0;
  return 0;
}

/* ---- frames the fuzzer sends ---- */

static uint8_t wire[2 * TD_RPC_ENCODED_MAX + 16];
static size_t wire_len;

static void to_wire(void *user, const uint8_t *data, size_t len) {
  (void)user;
  if (len > sizeof wire - wire_len) len = sizeof wire - wire_len;
  memcpy(wire + wire_len, data, len);
  wire_len += len;
}

static uint16_t next_seq;

/* Builds a request frame (delimiters included) into wire. */
static void build(uint8_t type, uint16_t seq, const uint8_t *payload, uint32_t n) {
  static uint8_t raw[TD_RPC_FRAME_MAX + 64];
  if (n > sizeof raw - TD_RPC_HEADER_BYTES - TD_RPC_CRC_BYTES)
    n = sizeof raw - TD_RPC_HEADER_BYTES - TD_RPC_CRC_BYTES;
  raw[0] = TD_RPC_VERSION;
  raw[1] = type;
  raw[2] = 0;
  raw[3] = 0;
  wr16(raw + 4, seq);
  wr16(raw + 6, n);
  if (n > 0) memcpy(raw + 8, payload, n);
  wr32(raw + 8 + n, td_crc32(0, raw, 8 + n));
  wire_len = 0;
  wire[wire_len++] = 0;
  td_cobs_encode_to(raw, 8 + n + 4, to_wire, NULL);
  wire[wire_len++] = 0;
}

static td_rpc rpc;

static void send_wire(void) {
  stats.sent++;
  td_rpc_input(&rpc, wire, wire_len);
}

/* Sends a request and returns the server's one answer (or -1 on a check failure). */
static int request(unsigned long c, uint32_t max_payload, uint8_t type, const uint8_t *p,
                   uint32_t n, response *r) {
  /* First end whatever garbage the server holds (it NAKs that), so that
   * the request gets exactly one answer. */
  static const uint8_t delimiter = 0;
  int count = 0;
  td_rpc_input(&rpc, &delimiter, 1);
  if (check_output(c, max_payload, r, &count) != 0) return -1;
  build(type, next_seq++, p, n);
  send_wire();
  if (check_output(c, max_payload, r, &count) != 0) return -1;
  if (count != 1) {
    fprintf(stderr, "rpc-fuzz: type 0x%02x, %u payload bytes: %d answers\n", type, n, count);
    return fail("a request did not get exactly one answer", c), -1;
  }
  return 0;
}

static const uint8_t TYPES[] = {TD_RPC_INFO,        TD_RPC_ECHO,       TD_RPC_KERNELS,
                                TD_RPC_LOAD_BEGIN,  TD_RPC_LOAD_CHUNK, TD_RPC_LOAD_COMMIT,
                                TD_RPC_SET_INPUT,   TD_RPC_INVOKE,     TD_RPC_GET_OUTPUT,
                                TD_RPC_GET_TENSOR,  TD_RPC_GET_INPUT,  TD_RPC_GET_PROFILE,
                                TD_RPC_RESET,       0x41,              0x7F};

/* A random value that is often at an edge. */
static uint32_t edgy(uint32_t typical) {
  switch (below(6)) {
    case 0: return 0;
    case 1: return typical;
    case 2: return typical + 1;
    case 3: return 0xFFFFFFFFu - below(4);
    default: return below(typical + 2);
  }
}

static uint32_t plausible(uint8_t type, uint8_t *p, uint32_t pkg_len, uint32_t max_payload) {
  uint32_t n;
  switch (type) {
    case TD_RPC_KERNELS: wr32(p, edgy(40)); return 4;
    case TD_RPC_LOAD_BEGIN: wr32(p, edgy(pkg_len)); wr32(p + 4, (uint32_t)rnd()); return 8;
    case TD_RPC_LOAD_CHUNK:
      n = below(max_payload);
      wr32(p, edgy(pkg_len));
      for (uint32_t i = 0; i < n; i++) p[4 + i] = (uint8_t)rnd();
      return 4 + n;
    case TD_RPC_SET_INPUT:
      n = below(max_payload - 4);
      wr32(p, edgy(2));
      wr32(p + 4, edgy(256));
      for (uint32_t i = 0; i < n; i++) p[8 + i] = (uint8_t)rnd();
      return 8 + n;
    case TD_RPC_INVOKE: wr32(p, below(3) == 0 ? TD_RPC_ALL_LAYERS : edgy(12)); return 4;
    case TD_RPC_GET_INPUT:
    case TD_RPC_GET_OUTPUT:
    case TD_RPC_GET_TENSOR:
      wr32(p, edgy(type == TD_RPC_GET_TENSOR ? 40 : 2));
      wr32(p + 4, edgy(512));
      wr32(p + 8, edgy(max_payload));
      return 12;
    case TD_RPC_GET_PROFILE: wr32(p, edgy(12)); wr16(p + 4, edgy(40)); return 6;
    case TD_RPC_RESET: p[0] = (uint8_t)below(3); return 1;
    case TD_RPC_ECHO:
      n = below(max_payload + 8);
      for (uint32_t i = 0; i < n; i++) p[i] = (uint8_t)rnd();
      return n;
    default: return 0;
  }
}

static int upload(unsigned long c, uint32_t max_payload, const uint8_t *pkg, uint32_t len) {
  static uint8_t p[TD_RPC_MAX_PAYLOAD + 64];
  response r;
  wr32(p, len);
  wr32(p + 4, td_crc32(0, pkg, len));
  if (request(c, max_payload, TD_RPC_LOAD_BEGIN, p, 8, &r) != 0) return -1;
  if (r.status != TD_RPC_OK) return fail("LOAD_BEGIN of the package refused", c);
  uint32_t step = max_payload - 4;
  for (uint32_t at = 0; at < len; at += step) {
    uint32_t n = len - at < step ? len - at : step;
    wr32(p, at);
    memcpy(p + 4, pkg + at, n);
    if (request(c, max_payload, TD_RPC_LOAD_CHUNK, p, 4 + n, &r) != 0) return -1;
    if (r.status != TD_RPC_OK) return fail("LOAD_CHUNK of the package refused", c);
  }
  if (request(c, max_payload, TD_RPC_LOAD_COMMIT, p, 0, &r) != 0) return -1;
  if (r.status != TD_RPC_OK) return fail("the package did not load", c);
  stats.uploads++;
  return 0;
}

static void *aligned(size_t n) {
  void *p = NULL;
  return posix_memalign(&p, TD_ALIGN, n > 0 ? n : 1) == 0 ? p : NULL;
}

static uint32_t counter_reads;
static void fake_counters(void *user, uint32_t c[TD_RPC_MAX_COUNTERS]) {
  (void)user;
  counter_reads++;
  for (uint32_t k = 0; k < TD_RPC_MAX_COUNTERS; k++) c[k] = counter_reads * (k + 3);
}

static void fake_reset(void *user) { (void)user; }

static td_rpc_status fake_custom(void *user, uint8_t type, const uint8_t *req, uint16_t req_len,
                                 uint8_t *resp, uint16_t *resp_len) {
  (void)user;
  (void)type;
  uint16_t n = req_len < *resp_len ? req_len : *resp_len;
  if (n > 0) memcpy(resp, req, n);
  *resp_len = n;
  return TD_RPC_OK;
}

static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *p = aligned((size_t)(n > 0 ? n : 1));
  if (p == NULL || n < 0 || fread(p, 1, (size_t)n, f) != (size_t)n) {
    fclose(f);
    return NULL;
  }
  fclose(f);
  *len = (size_t)n;
  return p;
}

static int run_case(unsigned long c, const uint8_t *pkg, uint32_t pkg_len) {
  uint32_t arena_len = 4096;
  size_t need = 0;
  if (pkg != NULL && td_arena_required(pkg, pkg_len, &need) == TD_OK) arena_len = (uint32_t)need;
  uint32_t region = pkg != NULL ? pkg_len + below(64) : 1024 + below(1024);
  uint8_t *package = aligned(region), *arena = aligned(arena_len);
  uint32_t profile_layers = below(16);
  uint32_t *profile = malloc(((size_t)profile_layers * TD_RPC_MAX_COUNTERS + 1) * 4);
  if (package == NULL || arena == NULL || profile == NULL) return fail("out of memory", c);
  uint32_t max_payload = TD_RPC_MIN_PAYLOAD + below(TD_RPC_MAX_PAYLOAD - TD_RPC_MIN_PAYLOAD + 1);
  td_rpc_board b = {
      .name = below(2) ? "a board name longer than twenty-four bytes" : "fuzz",
      .core = "cortex-m4",
      .build_id = NULL,
      .clock_hz = 96000000,
      .package = package,
      .package_bytes = region,
      .arena = arena,
      .arena_bytes = arena_len,
      .profile = profile,
      .profile_layers = profile_layers,
      .num_counters = (uint8_t)below(TD_RPC_MAX_COUNTERS + 1),
      .max_payload = (uint16_t)max_payload,
      .write = capture,
      .read_counters = fake_counters,
      .reset = below(2) ? fake_reset : NULL,
      .custom = below(2) ? fake_custom : NULL,
  };
  int rc = 0;
  if (td_rpc_init(&rpc, &b) != TD_RPC_OK) {
    rc = fail("td_rpc_init refused a valid board", c);
    goto done;
  }
  if (pkg != NULL && below(4) != 0 && upload(c, max_payload, pkg, pkg_len) != 0) {
    rc = 3;
    goto done;
  }
  static uint8_t p[TD_RPC_MAX_PAYLOAD + 64];
  response r, again;
  int count;
  for (uint32_t step = 0, steps = 1 + below(24); step < steps; step++) {
    uint8_t type = TYPES[below(sizeof TYPES)];
    uint32_t n;
    switch (below(6)) {
      case 0: /* garbage */
        wire_len = 1 + below(300);
        for (size_t i = 0; i < wire_len; i++) wire[i] = below(8) == 0 ? 0 : (uint8_t)rnd();
        send_wire();
        break;
      case 1: /* well-formed frame, random payload */
        n = below(max_payload + 16);
        for (uint32_t i = 0; i < n; i++) p[i] = (uint8_t)rnd();
        build(below(4) == 0 ? (uint8_t)rnd() : type, next_seq++, p, n);
        send_wire();
        break;
      case 2: /* damaged copy of a plausible request */
        n = plausible(type, p, pkg_len, max_payload);
        build(type, next_seq++, p, n);
        for (uint32_t k = 0, hits = 1 + below(3); k < hits; k++) {
          size_t at = below((uint32_t)wire_len);
          if (below(2)) wire[at] ^= (uint8_t)(1 + below(255));
          else if (wire_len > 1) memmove(wire + at, wire + at + 1, --wire_len - at);
        }
        send_wire();
        break;
      case 3: /* a frame arriving while the previous one is still pending */
        n = plausible(type, p, pkg_len, max_payload);
        build(type, next_seq++, p, n);
        for (size_t i = 0; i < wire_len; i++) td_rpc_feed(&rpc, wire[i]);
        build(TD_RPC_INFO, next_seq++, p, 0);
        for (size_t i = 0; i < wire_len; i++) td_rpc_feed(&rpc, wire[i]);
        td_rpc_poll(&rpc);
        stats.sent++;
        break;
      default: /* plausible request, sometimes repeated: must replay */
        n = plausible(type, p, pkg_len, max_payload);
        if (type == TD_RPC_INVOKE && below(2)) wr32(p, TD_RPC_ALL_LAYERS);
        if (type == TD_RPC_RESET) p[0] = 0; /* a hard reset would end the case */
        if (request(c, max_payload, type, p, n, &r) != 0) {
          rc = 3;
          goto done;
        }
        if (type == TD_RPC_INVOKE && r.status == TD_RPC_OK) stats.invokes_ok++;
        if (below(3) == 0) {
          send_wire(); /* the identical bytes again */
          if (check_output(c, max_payload, &again, &count) != 0) {
            rc = 3;
            goto done;
          }
          if (count != 1 || !(again.flags & TD_RPC_FLAG_REPLAY) || again.status != r.status ||
              again.len != r.len || memcmp(again.payload, r.payload, r.len) != 0) {
            rc = fail("a repeated request was not answered by a replay", c);
            goto done;
          }
        }
        continue;
    }
    if (check_output(c, max_payload, &r, &count) != 0) {
      rc = 3;
      goto done;
    }
  }
done:
  free(package);
  free(arena);
  free(profile);
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 3 || argc > 4) {
    fputs("usage: rpc-fuzz SEED CASES [PACKAGE]\n", stderr);
    return 1;
  }
  rng_state = strtoull(argv[1], NULL, 0);
  unsigned long cases = strtoul(argv[2], NULL, 0);
  uint8_t *pkg = NULL;
  size_t pkg_len = 0;
  if (argc == 4 && (pkg = read_file(argv[3], &pkg_len)) == NULL) return perror(argv[3]), 1;
  next_seq = (uint16_t)rnd();
  for (unsigned long c = 0; c < cases; c++) {
    stats.cases++;
    int rc = run_case(c, pkg, (uint32_t)pkg_len);
    if (rc != 0) return rc;
  }
  free(pkg);
  printf("{\"cases\":%lu,\"sent\":%lu,\"responses\":%lu,\"naks\":%lu,\"replays\":%lu,"
         "\"uploads\":%lu,\"invokesOk\":%lu,\"status\":[",
         stats.cases, stats.sent, stats.responses, stats.naks, stats.replays, stats.uploads,
         stats.invokes_ok);
  for (int i = 0; i < 16; i++) printf("%s%lu", i ? "," : "", stats.status[i]);
  puts("]}");
  return 0;
}
