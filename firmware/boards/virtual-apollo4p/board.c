/*
 * Virtual Apollo4 Plus: the board TinyDeploy's emulator models. The UART is
 * Apollo4's UART0 at 0x4001C000, an Arm PL011-style register block (DR, FR,
 * IBRD/FBRD, LCRH, CR); the emulator implements only what this driver uses.
 * A real Apollo4 would also need the UART's power domain and pin mux set up
 * (PWRCTRL, GPIO); the virtual board powers everything from reset, and
 * touching unmodelled registers would fault, so this driver does not.
 */
#include "cm4.h"
#include "td_board.h"
#include "td_start.h"

#define APOLLO4P_LP_HZ 96000000u  /* low-power mode */
#define APOLLO4P_HP_HZ 192000000u /* high-performance ("turbo") mode */
#define APOLLO4P_NUM_IRQS 84u     /* apollo4p.h: MAX_IRQn */

/* PL011-style UART0 (Arm PrimeCell UART TRM register offsets). */
#define UART0_BASE 0x4001C000u
#define UART_DR TD_REG(UART0_BASE + 0x00u)
#define UART_FR TD_REG(UART0_BASE + 0x18u)
#define UART_IBRD TD_REG(UART0_BASE + 0x24u)
#define UART_FBRD TD_REG(UART0_BASE + 0x28u)
#define UART_LCRH TD_REG(UART0_BASE + 0x2Cu)
#define UART_CR TD_REG(UART0_BASE + 0x30u)
#define UART_FR_BUSY (1u << 3)
#define UART_FR_RXFE (1u << 4)
#define UART_FR_TXFF (1u << 5)
#define UART_LCRH_WLEN8 (3u << 5)
#define UART_LCRH_FEN (1u << 4)
#define UART_CR_UARTEN (1u << 0)
#define UART_CR_TXE (1u << 8)
#define UART_CR_RXE (1u << 9)
/* 115200 baud from the 24 MHz UART clock: 24e6 / (16 * 115200) = 13 + 1/64. */
#define UART_IBRD_115200 13u
#define UART_FBRD_115200 1u

__attribute__((section(".vectors"), used)) const void *const td_vectors[16 + APOLLO4P_NUM_IRQS] = {
    [0] = &__stack_top,
    [1] = (const void *)td_reset,
    [2] = (const void *)td_fault_handler, /* NMI */
    [3] = (const void *)td_fault_handler, /* HardFault */
    [4] = (const void *)td_fault_handler, /* MemManage */
    [5] = (const void *)td_fault_handler, /* BusFault */
    [6] = (const void *)td_fault_handler, /* UsageFault */
    [11] = (const void *)td_default_handler, /* SVCall */
    [12] = (const void *)td_default_handler, /* DebugMonitor */
    [14] = (const void *)td_default_handler, /* PendSV */
    [15] = (const void *)td_systick_handler,
    [16 ... 16 + APOLLO4P_NUM_IRQS - 1] = (const void *)td_default_handler,
};

const td_board_info_t td_board_info = {
    .magic = TD_BOARD_INFO_MAGIC,
    .info_version = 1,
    .board = "virtual-apollo4p",
    .cpu = "cortex-m4f",
    .core_clock_hz = APOLLO4P_LP_HZ,
    .alt_clock_hz = APOLLO4P_HP_HZ,
    .tick_hz = APOLLO4P_LP_HZ,
    .has_dwt_cycles = 1,
};

/* Apollo4 Plus CPU cache (CPU block, CACHECFG at 0x48000000): on, with the
 * HAL's default geometry, instruction and data caching, and the monitor
 * counters the profile reports (daccess ... ihitsline). Without it every MRAM
 * fetch pays the uncached cost. */
#define CACHECFG (*(volatile uint32_t *)0x48000000u)
#define CACHECFG_ENABLE_ALL 0x010003E1u /* ENABLE | CONFIG=14 | IENABLE | DENABLE | ENABLEMONITOR */
#define CACHE_DMON(i) (*(volatile uint32_t *)(0x48000100u + 4u * (i)))
#define CACHE_IMON(i) (*(volatile uint32_t *)(0x48000110u + 4u * (i)))

uint32_t td_board_cache_counters(uint32_t *out) {
  for (uint32_t i = 0; i < 4; i++) {
    out[i] = CACHE_DMON(i);
    out[4 + i] = CACHE_IMON(i);
  }
  return 8;
}

void td_board_init(void) {
  CACHECFG = CACHECFG_ENABLE_ALL;
  UART_CR = 0;
  UART_IBRD = UART_IBRD_115200;
  UART_FBRD = UART_FBRD_115200;
  UART_LCRH = UART_LCRH_WLEN8 | UART_LCRH_FEN;
  UART_CR = UART_CR_UARTEN | UART_CR_TXE | UART_CR_RXE;
}

void td_board_write(const uint8_t *data, size_t n) {
  for (size_t i = 0; i < n; i++) {
    while (UART_FR & UART_FR_TXFF) {
    }
    UART_DR = data[i];
  }
}

int td_board_read(void) { return (UART_FR & UART_FR_RXFE) ? -1 : (int)(UART_DR & 0xFFu); }

/* Polling is cheap in the emulator; nothing to wait for here. */
void td_board_idle(void) {}

void td_board_flush(void) {
  while (UART_FR & UART_FR_BUSY) {
  }
}
