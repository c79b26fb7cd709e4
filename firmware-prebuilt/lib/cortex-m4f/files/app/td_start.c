/*
 * Reset and fault handling shared by the boards. Reset enables the FPU
 * before any C code could touch a float register, copies .data, clears
 * .bss, paints the stack (for td_stack_used), then calls main. Faults are
 * reported once over the board's UART as a text line, then the core halts
 * in a loop: the host sees the line instead of a silent timeout.
 */
#include "td_start.h"

#include "cm4.h"
#include "td_board.h"

volatile td_fault_record td_last_fault;

#define TD_STACK_PAINT 0xA5A5A5A5u

/* Only the words below the current frame are painted: the reset frame itself
 * is tiny and the loop must not overwrite what it is running on. */
static void paint_stack(void) {
  uint32_t sp;
  __asm volatile("mov %0, sp" : "=r"(sp));
  for (volatile uint32_t *p = &__stack_limit; (uint32_t)(uintptr_t)p < sp - 64u; p++) {
    *p = TD_STACK_PAINT;
  }
}

uint32_t td_stack_used(void) {
  const uint32_t *p = &__stack_limit;
  while (p < &__stack_top && *p == TD_STACK_PAINT) p++;
  return (uint32_t)((uintptr_t)&__stack_top - (uintptr_t)p);
}

void td_reset(void) {
  TD_SCB_CPACR |= TD_CPACR_CP10_CP11_FULL;
  td_dsb_isb();
  /* volatile keeps GCC from turning these loops into memcpy/memset calls
   * that would run before .data exists. */
  volatile uint32_t *d = &__data_start;
  const uint32_t *s = &__data_load;
  while (d < &__data_end) *d++ = *s++;
  for (d = &__bss_start; d < &__bss_end;) *d++ = 0;
  paint_stack();
  TD_SCB_VTOR = (uint32_t)(uintptr_t)td_vectors;
  td_dsb_isb();
  (void)main();
  for (;;) __asm volatile("wfi");
}

static void put_hex(char *out, uint32_t v) {
  static const char digits[] = "0123456789abcdef";
  out[0] = '0';
  out[1] = 'x';
  for (int i = 0; i < 8; i++) out[2 + i] = digits[(v >> (28 - 4 * i)) & 0xFu];
}

/* Called with the stacked exception frame: r0-r3, r12, lr, pc, xpsr. */
void td_fault_report(const uint32_t *frame);
void td_fault_report(const uint32_t *frame) {
  uint32_t ipsr;
  __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
  td_last_fault.exception = ipsr & 0x1FFu;
  td_last_fault.lr = frame[5];
  td_last_fault.pc = frame[6];
  td_last_fault.psr = frame[7];
  td_last_fault.cfsr = TD_SCB_CFSR;
  td_last_fault.hfsr = TD_SCB_HFSR;
  td_last_fault.mmfar = TD_SCB_MMFAR;
  td_last_fault.bfar = TD_SCB_BFAR;
  const uint32_t fields[] = {td_last_fault.exception, td_last_fault.pc, td_last_fault.lr,
                             td_last_fault.cfsr, td_last_fault.hfsr, td_last_fault.bfar};
  static const char names[][8] = {" exc=", " pc=", " lr=", " cfsr=", " hfsr=", " bfar="};
  char line[128];
  uint32_t n = 0;
  static const char head[] = "\r\nTD FAULT";
  for (uint32_t i = 0; head[i] != 0; i++) line[n++] = head[i];
  for (uint32_t f = 0; f < 6; f++) {
    for (uint32_t i = 0; names[f][i] != 0; i++) line[n++] = names[f][i];
    put_hex(line + n, fields[f]);
    n += 10;
  }
  line[n++] = '\r';
  line[n++] = '\n';
  td_board_write((const uint8_t *)line, n);
  for (;;) __asm volatile("wfi");
}

/* Picks the stack the faulting code was using (EXC_RETURN bit 2). */
__attribute__((naked)) void td_fault_handler(void) {
  __asm volatile(
      "tst lr, #4\n\t"
      "ite eq\n\t"
      "mrseq r0, msp\n\t"
      "mrsne r0, psp\n\t"
      "b td_fault_report\n\t");
}

/* Interrupts the validator never enables: report one like a fault. */
void td_default_handler(void) __attribute__((alias("td_fault_handler")));
