/* UART echo for the virtual board tests: prints a banner, then answers each
 * received byte with its case flipped (c ^ 0x20). '!' reads an unmapped
 * address in crash_here() (a fault the transport must report); '~' spins
 * forever without touching the UART; '#' sleeps for good (WFI, no
 * interrupt enabled). Polls the PL011-style UART0 the way
 * the validator firmware does. */
#include <stdint.h>

#define REG(a) (*(volatile uint32_t *)(a))
#define UART 0x4001C000u
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)

extern uint32_t __stack_top;
void reset(void);

__attribute__((section(".vectors"), used)) const void *const vectors[16] = {&__stack_top,
                                                                             (void *)reset};

volatile uint32_t spins;

static void put(uint8_t b) {
  while (REG(UART + 0x18) & FR_TXFF) {
  }
  REG(UART) = b;
}

static int get(void) { return (REG(UART + 0x18) & FR_RXFE) ? -1 : (int)(REG(UART) & 0xFFu); }

__attribute__((noinline)) void crash_here(void) { (void)REG(0x50000000u); }

__attribute__((noinline)) void spin_forever(void) {
  for (;;) spins++;
}

__attribute__((noinline)) void sleep_forever(void) {
  for (;;) __asm volatile("wfi");
}

void reset(void) {
  REG(UART + 0x30) = 0x301; /* UARTEN | TXE | RXE */
  for (const char *s = "echo ready\n"; *s; s++) put((uint8_t)*s);
  for (;;) {
    int c = get();
    if (c < 0) continue;
    if (c == '!') crash_here();
    if (c == '~') spin_forever();
    if (c == '#') sleep_forever();
    put((uint8_t)(c ^ 0x20));
  }
}
