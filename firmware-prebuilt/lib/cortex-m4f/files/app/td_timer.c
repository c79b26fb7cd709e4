#include "td_timer.h"

#include "cm4.h"
#include "td_start.h"

#define TD_SYST_PERIOD (1u << 24) /* full 24-bit range: fewest interrupts */

static volatile uint32_t wraps;

void td_systick_handler(void) { wraps++; }

void td_timer_start(void) {
  TD_SYST_CSR = 0;
  TD_SYST_RVR = TD_SYST_PERIOD - 1u;
  TD_SYST_CVR = 0;
  wraps = 0;
  TD_SYST_CSR = TD_SYST_CSR_ENABLE | TD_SYST_CSR_TICKINT | TD_SYST_CSR_CLKSOURCE;
}

/* With interrupts masked, a wrap that happened since the last handler shows
 * as the pending bit; the counter is re-read after checking it so the pair
 * (wraps, value) is consistent whichever side of the wrap we landed on. */
uint64_t td_timer_ticks(void) {
  uint32_t key = td_irq_save();
  uint32_t w = wraps;
  uint32_t v = TD_SYST_CVR;
  if (TD_SCB_ICSR & TD_ICSR_PENDSTSET) {
    v = TD_SYST_CVR;
    w++;
  }
  td_irq_restore(key);
  return (uint64_t)w * TD_SYST_PERIOD + (TD_SYST_PERIOD - 1u - v);
}
