/*
 * Per-layer profiling through the runtime's before/after-layer hooks: each
 * layer's SysTick ticks, DWT cycles and the five 8-bit DWT event counts
 * (CPI, EXC, SLEEP, LSU, FOLD; deltas mod 256 as the hardware counts them).
 * Records of the last invoke are kept for GET_PROFILE.
 */
#ifndef TD_PROFILE_H
#define TD_PROFILE_H

#include <stdint.h>

#include "td_runtime.h"

#ifndef TD_PROFILE_MAX_LAYERS
#define TD_PROFILE_MAX_LAYERS 1024u
#endif

typedef struct {
  uint32_t layer;
  uint16_t kernel_id;
  uint16_t reserved;
  uint32_t ticks;  /* td_timer ticks (td_board_info.tick_hz) */
  uint32_t cycles; /* DWT CYCCNT delta; 0 where the DWT does not count */
  uint8_t cpi, exc, sleep, lsu, fold;
  uint8_t pad[3];
} td_profile_record;

typedef struct {
  td_profile_record records[TD_PROFILE_MAX_LAYERS];
  uint32_t count;      /* records kept from the last invoke */
  uint32_t layers_run; /* layers the last invoke ran (may exceed count) */
  uint64_t total_ticks;
  uint32_t total_cycles;
  const td_model *model;
  /* counter snapshot taken by the before-hook */
  uint32_t t_ticks, t_cyc;
  uint8_t t_cpi, t_exc, t_sleep, t_lsu, t_fold;
} td_profile;

/* Turns the DWT counters on (TRCENA, counter enables); harmless where the
 * unit is absent. */
void td_profile_enable_counters(void);

/* Hooks for td_invoke that fill `p` (reset first with td_profile_begin). */
void td_profile_begin(td_profile *p, const td_model *model);
td_hooks td_profile_hooks(td_profile *p);
void td_profile_end(td_profile *p);

#endif
