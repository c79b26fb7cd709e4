/*
 * The validator: boots, announces itself with one banner line over the
 * board's UART, then serves RPC requests (docs/rpc.md) from the host:
 * package upload, inputs, invoke with per-layer counters, outputs.
 * Everything model-specific arrives at run time, so one prebuilt image
 * validates any model its kernels cover.
 */
#include "cm4.h"
#include "td_board.h"
#include "td_counters.h"
#include "td_memory.h"
#include "td_rpc.h"

/* Source hash the build script passes in, so INFO names the exact build
 * (the manifest maps it to the image). */
#ifndef TD_BUILD_ID
#define TD_BUILD_ID "dev"
#endif

/* Per-layer profile records kept by the RPC server (td_counters_count() words
 * each); layers beyond this still run and count in the total. */
#define TD_PROFILE_LAYERS 512u

static td_rpc rpc;
static uint32_t profile[TD_PROFILE_LAYERS * TD_MAX_COUNTERS];

/* Requests a system reset (AIRCR.SYSRESETREQ with its write key). */
#define TD_SCB_AIRCR TD_REG(0xE000ED0Cu)
#define TD_AIRCR_RESET 0x05FA0004u

static void board_write(void *user, const uint8_t *data, size_t n) {
  (void)user;
  td_board_write(data, n);
}

static void board_reset(void *user) {
  (void)user;
  td_board_flush(); /* the RESET response must leave before the core does */
  /* RAM survives a reset: without this, load_resident would bring back the
   * model the host just asked to drop. */
  td_package_buffer()[0] = 0;
  td_dsb_isb();
  TD_SCB_AIRCR = TD_AIRCR_RESET;
  for (;;) {
  }
}

/* Byte by byte: a counting loop here would be turned into a strlen call,
 * and the firmware takes nothing from libc beyond memcpy/memset. */
static void write_str(const char *s) {
  for (; *s != 0; s++) td_board_write((const uint8_t *)s, 1);
}

/* The banner is text for a person at a terminal; the trailing 0x00 is the
 * RPC frame delimiter, so a client that reads it as a (damaged) frame is
 * back in sync before the first real response. */
static void banner(void) {
  static const uint8_t delimiter = 0;
  write_str("TinyDeploy validator ");
  write_str(td_board_info.board);
  write_str(" " TD_BUILD_ID "\r\n");
  td_board_write(&delimiter, 1);
}

/* A package already in the package region at boot (placed there by the
 * host before the core started: QEMU's -device loader, the virtual board)
 * becomes the loaded model, so large models skip the UART upload. The magic
 * check only saves td_load's CRC pass over whatever else RAM holds; td_load
 * validates everything either way. */
static void load_resident(void) {
  const uint8_t *p = td_package_buffer();
  if (p[0] != 'T' || p[1] != 'D' || p[2] != 'P' || p[3] != 'K') return;
  /* header offset 12: total_bytes (docs/model-package.md) */
  uint32_t total = (uint32_t)p[12] | (uint32_t)p[13] << 8 | (uint32_t)p[14] << 16 |
                   (uint32_t)p[15] << 24;
  if (total <= td_package_capacity()) (void)td_rpc_load_resident(&rpc, p, total);
}

int main(void) {
  td_board_init();
  td_counters_start((int)td_board_info.has_dwt_cycles);

  td_rpc_board b = {
      .name = td_board_info.board,
      .core = td_board_info.cpu,
      .build_id = TD_BUILD_ID,
      .clock_hz = td_board_info.has_dwt_cycles ? td_board_info.core_clock_hz
                                               : td_board_info.tick_hz,
      .package = td_package_buffer(),
      .package_bytes = td_package_capacity(),
      .arena = td_arena_buffer(),
      .arena_bytes = td_arena_capacity(),
      .profile = profile,
      .profile_layers = TD_PROFILE_LAYERS,
      .num_counters = td_counters_count(),
      .max_payload = 0,
      .write = board_write,
      .read_counters = td_counters_read,
      .reset = board_reset,
      .custom = 0,
      .user = 0,
  };
  if (td_rpc_init(&rpc, &b) != TD_RPC_OK) {
    write_str("TinyDeploy validator: bad board description\r\n");
    for (;;) __asm volatile("wfi");
  }
  load_resident();
  banner();
  for (;;) {
    int c = td_board_read();
    if (c < 0) {
      td_board_idle();
      continue;
    }
    uint8_t byte = (uint8_t)c;
    td_rpc_input(&rpc, &byte, 1);
  }
}
