/* Minimal Cortex-M4F startup for emulator tests: vector table, FPU enable,
 * .data copy, .bss clear, then run_all() into `results` and BKPT #0. */
#include <stdint.h>

extern uint32_t __data_start, __data_end, __data_load, __bss_start, __bss_end, __stack_top;
void run_all(uint32_t *out);
void Reset_Handler(void);
void SysTick_Handler(void);

volatile uint32_t results[32];
volatile uint32_t ticks;
volatile float tick_acc;

static void HardFault_Handler(void) { __asm volatile("bkpt 0xff"); }

__attribute__((weak)) void SysTick_Handler(void) {
  ticks++;
  /* Uses the FPU inside the handler so an FP context frame is exercised. */
  tick_acc = tick_acc * 0.5f + 1.0f;
}

__attribute__((section(".vectors"), used)) const void *vectors[16] = {
    &__stack_top, (void *)Reset_Handler, (void *)HardFault_Handler, (void *)HardFault_Handler,
    (void *)HardFault_Handler, (void *)HardFault_Handler, (void *)HardFault_Handler, 0, 0, 0, 0,
    (void *)HardFault_Handler, 0, 0, (void *)HardFault_Handler, (void *)SysTick_Handler,
};

#define REG(a) (*(volatile uint32_t *)(a))

void Reset_Handler(void) {
  REG(0xE000ED88) |= 0xFu << 20; /* CPACR: CP10, CP11 full access */
  __asm volatile("dsb\n isb");
  for (uint32_t *s = &__data_load, *d = &__data_start; d < &__data_end;) *d++ = *s++;
  for (uint32_t *d = &__bss_start; d < &__bss_end;) *d++ = 0;
#ifdef WITH_SYSTICK
  REG(0xE000E014) = 997;   /* reload: an odd period so ticks land all over the code */
  REG(0xE000E018) = 0;
  REG(0xE000E010) = 7;     /* enable, interrupt, core clock */
#endif
  run_all((uint32_t *)results);
  REG(0xE000E010) = 0;
  __asm volatile("bkpt 0");
  for (;;) {
  }
}
