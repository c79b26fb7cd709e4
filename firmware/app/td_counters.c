#include "td_counters.h"

#include "cm4.h"
#include "td_board.h"
#include "td_timer.h"

static int use_dwt_cycles;
static uint32_t num_cache;
static uint32_t wide[TD_DWT_COUNTERS];
static uint8_t last8[TD_DWT_COUNTERS];

void td_counters_start(int dwt_cycles) {
  use_dwt_cycles = dwt_cycles;
  TD_DEMCR |= TD_DEMCR_TRCENA;
  td_dsb_isb();
  TD_DWT_LAR = TD_DWT_LAR_KEY; /* unlocks parts that implement the lock */
  TD_DWT_CYCCNT = 0;
  TD_DWT_CTRL |= TD_DWT_CTRL_CYCCNTENA | TD_DWT_CTRL_CPIEVTENA | TD_DWT_CTRL_EXCEVTENA |
                 TD_DWT_CTRL_SLEEPEVTENA | TD_DWT_CTRL_LSUEVTENA | TD_DWT_CTRL_FOLDEVTENA;
  /* SysTick only where it is needed: its interrupt would otherwise show up
   * in EXCCNT on boards whose cycle counter works. */
  if (!dwt_cycles) td_timer_start();
  uint32_t probe[8];
  num_cache = td_board_cache_counters(probe);
}

uint32_t td_counters_count(void) { return TD_DWT_COUNTERS + num_cache; }

/* The cycle counter is read first and the others right after, so the
 * window they measure matches as closely as the code allows. */
void td_counters_read(void *user, uint32_t *counters) {
  (void)user;
  counters[0] = use_dwt_cycles ? TD_DWT_CYCCNT : (uint32_t)td_timer_ticks();
  const uint8_t now[TD_DWT_COUNTERS] = {0,
                                        (uint8_t)TD_DWT_CPICNT,
                                        (uint8_t)TD_DWT_EXCCNT,
                                        (uint8_t)TD_DWT_SLEEPCNT,
                                        (uint8_t)TD_DWT_LSUCNT,
                                        (uint8_t)TD_DWT_FOLDCNT};
  for (uint32_t i = 1; i < TD_DWT_COUNTERS; i++) {
    wide[i] += (uint8_t)(now[i] - last8[i]);
    last8[i] = now[i];
    counters[i] = wide[i];
  }
  if (num_cache) td_board_cache_counters(counters + TD_DWT_COUNTERS);
}
