/*
 * A 64-bit tick counter built on SysTick (24 bits, processor clock) and its
 * wrap interrupt. It runs on every Cortex-M4, including QEMU where the DWT
 * cycle counter reads 0, so per-layer time is always available.
 */
#ifndef TD_TIMER_H
#define TD_TIMER_H

#include <stdint.h>

void td_timer_start(void);
uint64_t td_timer_ticks(void);

#endif
