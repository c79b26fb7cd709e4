/*
 * What the validator application needs from a board. Each board folder
 * (firmware/boards/<name>/) provides these with its own UART, clock and
 * linker script; everything else (runtime, RPC, profiling) is shared.
 */
#ifndef TD_BOARD_H
#define TD_BOARD_H

#include <stddef.h>
#include <stdint.h>

/* Static facts about the board, kept in the image as `td_board_info` so the
 * host can also read them from the ELF (the manifest lists its address). */
typedef struct {
  uint32_t magic;          /* TD_BOARD_INFO_MAGIC */
  uint32_t info_version;   /* 1 */
  const char *board;       /* folder name, e.g. "qemu-an386" */
  const char *cpu;         /* "cortex-m4f" */
  uint32_t core_clock_hz;  /* clock the cycle figures are converted at */
  uint32_t alt_clock_hz;   /* the part's other clock mode (0 if none) */
  uint32_t tick_hz;        /* rate of td_board_ticks() */
  uint32_t has_dwt_cycles; /* 0 where the DWT counters read 0 (QEMU) */
} td_board_info_t;

#define TD_BOARD_INFO_MAGIC 0x42445454u /* "TTDB" little-endian */

extern const td_board_info_t td_board_info;

/* Clocks, UART and counters; called once by main before anything else. */
void td_board_init(void);

/* Blocking write of n bytes to the host link. */
void td_board_write(const uint8_t *data, size_t n);

/* Next byte from the host link, or -1 when none is waiting. */
int td_board_read(void);

/* Called when td_board_read found nothing: may sleep until input arrives. */
void td_board_idle(void);

/* Returns once every byte written has left the UART (before a reset). */
void td_board_flush(void);

/* Cache monitor counters, for boards whose part has them (Apollo4's CPU
 * cache): fills out[0..8) with daccess, dtaglookup, dhitslookup, dhitsline,
 * iaccess, itaglookup, ihitslookup, ihitsline (free-running, 32-bit) and
 * returns 8; returns 0 without touching out where the part has none. */
uint32_t td_board_cache_counters(uint32_t *out);

#endif
