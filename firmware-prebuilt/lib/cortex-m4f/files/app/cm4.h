/*
 * ARMv7-M system registers the validator touches (ARMv7-M Architecture
 * Reference Manual, "System Control Space" and "Debug": DWT, SysTick, SCB).
 * They sit at the same addresses on every Cortex-M4, so boards share them.
 */
#ifndef TD_CM4_H
#define TD_CM4_H

#include <stdint.h>

#define TD_REG(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

/* SCB */
#define TD_SCB_VTOR TD_REG(0xE000ED08u)
#define TD_SCB_SHCSR TD_REG(0xE000ED24u)
#define TD_SCB_CFSR TD_REG(0xE000ED28u) /* MMFSR | BFSR << 8 | UFSR << 16 */
#define TD_SCB_HFSR TD_REG(0xE000ED2Cu)
#define TD_SCB_MMFAR TD_REG(0xE000ED34u)
#define TD_SCB_BFAR TD_REG(0xE000ED38u)
#define TD_SCB_CPACR TD_REG(0xE000ED88u)
#define TD_CPACR_CP10_CP11_FULL (0xFu << 20)

/* Debug Exception and Monitor Control: TRCENA powers the DWT. */
#define TD_DEMCR TD_REG(0xE000EDFCu)
#define TD_DEMCR_TRCENA (1u << 24)

/* Data Watchpoint and Trace unit: one 32-bit cycle counter and five 8-bit
 * event counters (they wrap at 256; per-layer figures are deltas mod 256,
 * exactly as the reference tools report them). */
#define TD_DWT_CTRL TD_REG(0xE0001000u)
#define TD_DWT_CYCCNT TD_REG(0xE0001004u)
#define TD_DWT_CPICNT TD_REG(0xE0001008u)   /* extra cycles of multi-cycle instructions */
#define TD_DWT_EXCCNT TD_REG(0xE000100Cu)   /* cycles spent in exception entry/exit */
#define TD_DWT_SLEEPCNT TD_REG(0xE0001010u) /* cycles asleep */
#define TD_DWT_LSUCNT TD_REG(0xE0001014u)   /* extra cycles of loads/stores */
#define TD_DWT_FOLDCNT TD_REG(0xE0001018u)  /* folded (zero-cycle) instructions */
#define TD_DWT_LAR TD_REG(0xE0001FB0u)      /* CoreSight lock access */
#define TD_DWT_LAR_KEY 0xC5ACCE55u
#define TD_DWT_CTRL_CYCCNTENA (1u << 0)
#define TD_DWT_CTRL_CPIEVTENA (1u << 17)
#define TD_DWT_CTRL_EXCEVTENA (1u << 18)
#define TD_DWT_CTRL_SLEEPEVTENA (1u << 19)
#define TD_DWT_CTRL_LSUEVTENA (1u << 20)
#define TD_DWT_CTRL_FOLDEVTENA (1u << 21)

/* SysTick: 24-bit down-counter on the core clock. */
#define TD_SYST_CSR TD_REG(0xE000E010u)
#define TD_SYST_RVR TD_REG(0xE000E014u)
#define TD_SYST_CVR TD_REG(0xE000E018u)
#define TD_SYST_CSR_ENABLE (1u << 0)
#define TD_SYST_CSR_TICKINT (1u << 1)
#define TD_SYST_CSR_CLKSOURCE (1u << 2) /* 1: processor clock */
#define TD_SYST_CSR_COUNTFLAG (1u << 16)

/* Interrupt Control and State: SysTick pending bit, to read a consistent
 * (wraps, CVR) pair with interrupts masked. */
#define TD_SCB_ICSR TD_REG(0xE000ED04u)
#define TD_ICSR_PENDSTSET (1u << 26)
#define TD_ICSR_PENDSTCLR (1u << 25)

static inline void td_dsb_isb(void) { __asm volatile("dsb\n\tisb" ::: "memory"); }
static inline uint32_t td_irq_save(void) {
  uint32_t primask;
  __asm volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
  return primask;
}
static inline void td_irq_restore(uint32_t primask) {
  __asm volatile("msr primask, %0" ::"r"(primask) : "memory");
}

#endif
