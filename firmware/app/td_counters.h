/*
 * The profile counters the RPC server reads before and after every layer,
 * in TD_RPC_CTR_* order: cycles, then DWT CPICNT, EXCCNT, SLEEPCNT, LSUCNT,
 * FOLDCNT. The DWT event counters are 8 bits wide in hardware; they are
 * widened here by accumulating the change since the previous read, which is
 * exact while fewer than 256 events happen between two reads, so a layer's
 * figure is its true count modulo 256 (what the hardware can tell, and what
 * the reference tools report). Boards with a cache monitor append its eight
 * free-running counters (td_board_cache_counters), whose per-layer deltas
 * the RPC server takes like the others.
 */
#ifndef TD_COUNTERS_H
#define TD_COUNTERS_H

#include <stdint.h>

#define TD_DWT_COUNTERS 6u
#define TD_MAX_COUNTERS (TD_DWT_COUNTERS + 8u)

/* Enables the DWT (TRCENA, counter enables) and, where the DWT cycle
 * counter does not count (QEMU), the SysTick timer that replaces it. */
void td_counters_start(int dwt_cycles);

/* How many counters td_counters_read fills (valid after td_counters_start). */
uint32_t td_counters_count(void);

/* For td_rpc_board.read_counters: fills counters[0..td_counters_count()). */
void td_counters_read(void *user, uint32_t *counters);

#endif
