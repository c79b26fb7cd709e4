#include "td_profile.h"

#include "cm4.h"
#include "td_timer.h"

void td_profile_enable_counters(void) {
  TD_DEMCR |= TD_DEMCR_TRCENA;
  td_dsb_isb();
  TD_DWT_LAR = TD_DWT_LAR_KEY; /* unlocks parts that implement the lock */
  TD_DWT_CYCCNT = 0;
  TD_DWT_CTRL |= TD_DWT_CTRL_CYCCNTENA | TD_DWT_CTRL_CPIEVTENA | TD_DWT_CTRL_EXCEVTENA |
                 TD_DWT_CTRL_SLEEPEVTENA | TD_DWT_CTRL_LSUEVTENA | TD_DWT_CTRL_FOLDEVTENA;
}

void td_profile_begin(td_profile *p, const td_model *model) {
  p->count = 0;
  p->layers_run = 0;
  p->total_ticks = 0;
  p->total_cycles = 0;
  p->model = model;
}

/* Timer first and DWT last here (and the reverse after the layer), so the
 * finer counters bracket the kernel as tightly as the C allows. */
static void before(void *user, uint32_t layer) {
  (void)layer;
  td_profile *p = user;
  p->t_ticks = (uint32_t)td_timer_ticks();
  p->t_cpi = (uint8_t)TD_DWT_CPICNT;
  p->t_exc = (uint8_t)TD_DWT_EXCCNT;
  p->t_sleep = (uint8_t)TD_DWT_SLEEPCNT;
  p->t_lsu = (uint8_t)TD_DWT_LSUCNT;
  p->t_fold = (uint8_t)TD_DWT_FOLDCNT;
  p->t_cyc = TD_DWT_CYCCNT;
}

static void after(void *user, uint32_t layer) {
  uint32_t cyc = TD_DWT_CYCCNT;
  td_profile *p = user;
  uint8_t cpi = (uint8_t)TD_DWT_CPICNT;
  uint8_t exc = (uint8_t)TD_DWT_EXCCNT;
  uint8_t sleep = (uint8_t)TD_DWT_SLEEPCNT;
  uint8_t lsu = (uint8_t)TD_DWT_LSUCNT;
  uint8_t fold = (uint8_t)TD_DWT_FOLDCNT;
  uint32_t ticks = (uint32_t)td_timer_ticks() - p->t_ticks;
  cyc -= p->t_cyc;
  p->layers_run = layer + 1u;
  p->total_ticks += ticks;
  p->total_cycles += cyc;
  if (p->count >= TD_PROFILE_MAX_LAYERS) return;
  td_profile_record *r = &p->records[p->count++];
  r->layer = layer;
  r->kernel_id = 0xFFFFu; /* filled by td_profile_end, off the timed path */
  r->reserved = 0;
  r->ticks = ticks;
  r->cycles = cyc;
  r->cpi = (uint8_t)(cpi - p->t_cpi);
  r->exc = (uint8_t)(exc - p->t_exc);
  r->sleep = (uint8_t)(sleep - p->t_sleep);
  r->lsu = (uint8_t)(lsu - p->t_lsu);
  r->fold = (uint8_t)(fold - p->t_fold);
  r->pad[0] = r->pad[1] = r->pad[2] = 0;
}

td_hooks td_profile_hooks(td_profile *p) {
  td_hooks h = {before, after, p};
  return h;
}

void td_profile_end(td_profile *p) {
  for (uint32_t i = 0; i < p->count; i++) {
    td_layer_info info;
    td_profile_record *r = &p->records[i];
    if (td_layer(p->model, r->layer, &info) == TD_OK) r->kernel_id = info.kernel_id;
  }
}
