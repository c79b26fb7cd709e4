/*
 * The validator: boots, prints a banner line over the board's UART, then
 * serves the host. Everything model-specific arrives at run time (package
 * upload), so one prebuilt image validates any model its kernels cover.
 */
#include <string.h>

#include "td_board.h"
#include "td_profile.h"
#include "td_timer.h"

#define TD_BANNER_PREFIX "TinyDeploy validator "

static void write_str(const char *s) { td_board_write((const uint8_t *)s, strlen(s)); }

int main(void) {
  td_board_init();
  td_profile_enable_counters();
  td_timer_start();
  write_str(TD_BANNER_PREFIX);
  write_str(td_board_info.board);
  write_str("\r\n");
  for (;;) {
    int c = td_board_read();
    if (c >= 0) {
      uint8_t b = (uint8_t)c;
      td_board_write(&b, 1);
    }
  }
}
