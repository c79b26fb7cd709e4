/*
 * TinyDeploy board RPC server (protocol: docs/rpc.md).
 *
 * Transport-agnostic: the board's UART (or USB, or socket) code hands every
 * received byte to td_rpc_feed() and the server answers through the board's
 * write() callback. No allocation: all state lives in the td_rpc struct,
 * which the board declares (statically); the package, arena and profile
 * memory are regions the board lends at init.
 *
 * Two ways to drive it:
 *   - main loop:  td_rpc_input(rpc, bytes, n) as bytes arrive; each complete
 *                 request is handled before it returns.
 *   - interrupt:  td_rpc_feed(rpc, byte) from the RX interrupt (cheap: it
 *                 only buffers), td_rpc_poll(rpc) from the main loop, which
 *                 runs the request (possibly a long INVOKE) and replies.
 *                 Bytes arriving while a request waits or runs are dropped;
 *                 the client retries (one request is in flight at a time).
 *
 * Usage:
 *   static td_rpc rpc;
 *   static uint8_t pkg[96 * 1024] __attribute__((aligned(16)));
 *   static uint8_t arena[64 * 1024] __attribute__((aligned(16)));
 *   static uint32_t prof[128 * 6];
 *   td_rpc_board b = {.name = "apollo4p", .core = "cortex-m4", ...,
 *                     .write = uart_write, .read_counters = dwt_read};
 *   td_rpc_init(&rpc, &b);
 *   for (;;) { int c = uart_getc(); if (c >= 0) { uint8_t x = c; td_rpc_input(&rpc, &x, 1); } }
 */
#ifndef TD_RPC_H
#define TD_RPC_H

#include <stddef.h>
#include <stdint.h>

#include "td_rpc_wire.h"
#include "td_runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest payload of one frame, both ways; sizes the two buffers below
 * (about 2 * TD_RPC_MAX_PAYLOAD bytes of RAM). A board may advertise less
 * at run time (td_rpc_board.max_payload). */
#ifndef TD_RPC_MAX_PAYLOAD
#define TD_RPC_MAX_PAYLOAD 1024u
#endif
#if TD_RPC_MAX_PAYLOAD < 128u || TD_RPC_MAX_PAYLOAD > 65535u
#error "TD_RPC_MAX_PAYLOAD must be in [128, 65535]"
#endif

/* Profile counters per layer record (cyc, cpi, exc, sleep, lsu, fold, ...). */
#ifndef TD_RPC_MAX_COUNTERS
#define TD_RPC_MAX_COUNTERS 16u
#endif

#define TD_RPC_FRAME_MAX (TD_RPC_HEADER_BYTES + TD_RPC_MAX_PAYLOAD + TD_RPC_CRC_BYTES)
/* COBS adds one byte per 254 and one at the start. */
#define TD_RPC_ENCODED_MAX (TD_RPC_FRAME_MAX + TD_RPC_FRAME_MAX / 254u + 2u)

/* What the board provides. Strings and regions must outlive the server. */
typedef struct {
  /* Reported by INFO. */
  const char *name;     /* board, e.g. "mps2-an386" */
  const char *core;     /* e.g. "cortex-m4" */
  const char *build_id; /* firmware build, e.g. a git hash */
  uint32_t clock_hz;    /* core clock the cycle counts refer to */

  /* Where uploaded packages go (TD_ALIGN-aligned). May be NULL/0 when the
   * board only runs a resident package (td_rpc_load_resident). */
  uint8_t *package;
  uint32_t package_bytes;
  /* Activation arena + kernel scratch for td_load (TD_ALIGN-aligned). */
  uint8_t *arena;
  uint32_t arena_bytes;
  /* Per-layer profile records: profile_layers * num_counters words. Layers
   * beyond profile_layers still run and count in the total, unrecorded. */
  uint32_t *profile;
  uint32_t profile_layers;

  /* Counters read_counters fills, 0..TD_RPC_MAX_COUNTERS, in the order
   * of TD_RPC_CTR_* (slot 0 is the cycle counter). 0 = no profiling. */
  uint8_t num_counters;
  /* Payload limit to advertise, TD_RPC_MIN_PAYLOAD..TD_RPC_MAX_PAYLOAD;
   * 0 = TD_RPC_MAX_PAYLOAD. */
  uint16_t max_payload;

  /* Required: send bytes to the host. May block; must send all of them. */
  void (*write)(void *user, const uint8_t *data, size_t len);
  /* Optional: free-running counters (e.g. DWT CYCCNT, CPICNT, ...), read
   * before and after every layer; the server keeps differences modulo 2^32,
   * so 32-bit wrapping is fine. Narrow hardware counters (DWT's 8-bit
   * CPICNT etc.) must be widened by the board. */
  void (*read_counters)(void *user, uint32_t counters[TD_RPC_MAX_COUNTERS]);
  /* Optional: hard reset. Called after the RESET reply has been written;
   * need not return. Without it, RESET mode 1 answers UNSUPPORTED. */
  void (*reset)(void *user);
  /* Optional: requests of type TD_RPC_CUSTOM_FIRST..LAST. Write at most
   * *resp_len bytes into resp and set *resp_len to the count written. */
  td_rpc_status (*custom)(void *user, uint8_t type, const uint8_t *req, uint16_t req_len,
                          uint8_t *resp, uint16_t *resp_len);
  void *user;
} td_rpc_board;

/* Server state. Fields are private; the board only declares the struct. */
typedef struct {
  td_rpc_board board;
  uint16_t max_payload;

  /* Receive: COBS-encoded bytes of the frame being received, decoded in
   * place once its delimiter arrives. */
  uint8_t rx[TD_RPC_ENCODED_MAX];
  uint32_t rx_len;
  uint32_t frame_len;        /* encoded length of the pending frame */
  volatile uint8_t pending;  /* a frame waits for td_rpc_poll */
  uint8_t nak;               /* the pending frame is to be NAKed (too long) */
  uint8_t rx_overflow;       /* skipping to the next delimiter: 1 too long, 2 busy */

  /* Last response, kept for replay to a repeated request. */
  uint8_t tx[TD_RPC_FRAME_MAX];
  uint32_t tx_len;
  uint8_t have_last;
  uint8_t last_type;
  uint16_t last_seq;
  uint32_t last_crc; /* CRC of the request the cached response answers */

  /* Package upload in progress. */
  uint8_t loading;
  uint32_t load_total;
  uint32_t load_crc;

  /* Loaded model. */
  td_model model;
  uint8_t model_ready;
  const uint8_t *model_pkg;
  uint32_t model_pkg_len;

  /* Last invoke. */
  uint32_t layers_run;
  uint32_t profile_records;
  uint64_t total_cycles;
  uint32_t layer_start[TD_RPC_MAX_COUNTERS];

  /* Statistics (for debugging a link): frames handled, damaged, dropped busy. */
  uint32_t frames_ok;
  uint32_t frames_bad;
  uint32_t frames_dropped;
} td_rpc;

/* Checks the board description (write set, regions aligned, counts in
 * range). TD_RPC_BAD_REQUEST if it is unusable. */
td_rpc_status td_rpc_init(td_rpc *rpc, const td_rpc_board *board);

/* One received byte. Returns 1 when it completed a frame that now waits
 * for td_rpc_poll, else 0. Safe to call from an interrupt handler while
 * td_rpc_poll runs in the main loop (the pending flag hands over). */
int td_rpc_feed(td_rpc *rpc, uint8_t byte);

/* Handles the pending frame, if any, and writes the reply. Returns 1 if
 * a frame was handled. */
int td_rpc_poll(td_rpc *rpc);

/* Feed + poll for main-loop boards: handles every frame in data. */
void td_rpc_input(td_rpc *rpc, const uint8_t *data, size_t len);

/* Loads a package that is already in memory (e.g. a reserved flash
 * region of the image) as the current model, as LOAD_COMMIT would. */
td_status td_rpc_load_resident(td_rpc *rpc, const void *pkg, size_t len);

/* The loaded model, or NULL: for applications that also run it alone. */
td_model *td_rpc_model(td_rpc *rpc);

#ifdef __cplusplus
}
#endif

#endif
