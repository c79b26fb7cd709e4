/*
 * QEMU mps2-an386 (Cortex-M4F on the MPS2 FPGA board model): CMSDK APB
 * UART0 at 0x40004000 as the host link, 25 MHz system clock. QEMU does not
 * model the DWT counters (they read 0), so has_dwt_cycles is 0 and layer
 * time comes from SysTick alone.
 */
#include "cm4.h"
#include "td_board.h"
#include "td_start.h"

#define AN386_SYSCLK_HZ 25000000u
#define AN386_NUM_IRQS 32u

/* CMSDK APB UART (Arm Cortex-M System Design Kit TRM, "APB UART"). */
#define UART0_BASE 0x40004000u
#define UART_DATA TD_REG(UART0_BASE + 0x00u)
#define UART_STATE TD_REG(UART0_BASE + 0x04u) /* bit 0 TX full, bit 1 RX full */
#define UART_CTRL TD_REG(UART0_BASE + 0x08u)  /* bit 0 TX enable, bit 1 RX enable */
#define UART_BAUDDIV TD_REG(UART0_BASE + 0x10u)
#define UART_INTCLEAR TD_REG(UART0_BASE + 0x0Cu) /* write 1 to clear */
#define UART_STATE_TXFULL (1u << 0)
#define UART_STATE_RXFULL (1u << 1)
#define UART_CTRL_TX_EN (1u << 0)
#define UART_CTRL_RX_EN (1u << 1)
#define UART_CTRL_RX_IRQ_EN (1u << 3)
#define UART_INT_RX (1u << 1)
#define UART_BAUD 115200u
/* QEMU's mps2-an386 wires UART0's receive interrupt to IRQ 0. */
#define UART0_RX_IRQ 0u
#define NVIC_ISER0 TD_REG(0xE000E100u)

/* The receive interrupt only wakes the core from WFI (td_board_idle); the
 * byte itself is read by the main loop. */
static void uart0_rx_handler(void) { UART_INTCLEAR = UART_INT_RX; }

__attribute__((section(".vectors"), used)) const void *const td_vectors[16 + AN386_NUM_IRQS] = {
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
    [16 + UART0_RX_IRQ] = (const void *)uart0_rx_handler,
    [16 + UART0_RX_IRQ + 1 ... 16 + AN386_NUM_IRQS - 1] = (const void *)td_default_handler,
};

const td_board_info_t td_board_info = {
    .magic = TD_BOARD_INFO_MAGIC,
    .info_version = 1,
    .board = "qemu-an386",
    .cpu = "cortex-m4f",
    .core_clock_hz = AN386_SYSCLK_HZ,
    .alt_clock_hz = 0,
    .tick_hz = AN386_SYSCLK_HZ,
    .has_dwt_cycles = 0,
};

void td_board_init(void) {
  UART_BAUDDIV = AN386_SYSCLK_HZ / UART_BAUD;
  UART_CTRL = UART_CTRL_TX_EN | UART_CTRL_RX_EN | UART_CTRL_RX_IRQ_EN;
  NVIC_ISER0 = 1u << UART0_RX_IRQ;
}

/* Sleeping until the next byte instead of polling matters under QEMU: each
 * UART register read takes QEMU's global lock, and a core spinning on the
 * status register starves the thread that delivers the host's bytes (about
 * 10 KB/s). Interrupts are masked across the check so a byte arriving just
 * before the WFI still wakes it (a pending interrupt ends WFI even when
 * masked); the handler then runs once they are unmasked. */
void td_board_idle(void) {
  uint32_t key = td_irq_save();
  if (!(UART_STATE & UART_STATE_RXFULL)) __asm volatile("wfi");
  td_irq_restore(key);
}

void td_board_write(const uint8_t *data, size_t n) {
  for (size_t i = 0; i < n; i++) {
    while (UART_STATE & UART_STATE_TXFULL) {
    }
    UART_DATA = data[i];
  }
}

int td_board_read(void) { return (UART_STATE & UART_STATE_RXFULL) ? (int)(UART_DATA & 0xFFu) : -1; }

/* The CMSDK UART has no "shift register busy" flag; QEMU sends each byte
 * as it is written, so an empty holding register is all there is to wait
 * for. */
void td_board_flush(void) {
  while (UART_STATE & UART_STATE_TXFULL) {
  }
}

/* The MPS2 FPGA image has no cache monitor. */
uint32_t td_board_cache_counters(uint32_t *out) {
  (void)out;
  return 0;
}
