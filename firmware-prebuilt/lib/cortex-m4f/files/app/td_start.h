/*
 * Start-up shared by the Cortex-M4 boards: each board's vector table points
 * its reset entry at td_reset and its fault entries at td_fault_handler.
 */
#ifndef TD_START_H
#define TD_START_H

#include <stdint.h>

/* Linker-script symbols (every board's script defines them). */
extern uint32_t __stack_top;
extern uint32_t __data_load, __data_start, __data_end, __bss_start, __bss_end;
extern uint32_t __stack_limit; /* lowest address the stack may reach */

void td_reset(void);
void td_fault_handler(void);
void td_default_handler(void);
void td_systick_handler(void);

/* The board's vector table: td_reset sets VTOR to it, since a bootloader
 * (Apollo4) may have left VTOR pointing at its own. */
extern const void *const td_vectors[];

/* Last fault seen, for a debugger or the emulator to read after a hang. */
typedef struct {
  uint32_t exception; /* IPSR: 3 HardFault, 4 MemManage, 5 BusFault, 6 UsageFault */
  uint32_t pc, lr, psr;
  uint32_t cfsr, hfsr, mmfar, bfar;
} td_fault_record;
extern volatile td_fault_record td_last_fault;

/* Highest stack use since reset (the stack is painted at start-up). */
uint32_t td_stack_used(void);

int main(void);

#endif
