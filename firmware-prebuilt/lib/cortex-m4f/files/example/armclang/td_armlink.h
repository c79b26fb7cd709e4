/*
 * Force-included (-include) by the Arm Compiler build: the board start-up
 * code (src/board/td_start.c, board.c) names the symbols a GNU linker script
 * defines; armlink defines the same addresses as region symbols of
 * scatter.sct. RW_RAM holds .data and .bss, ARM_LIB_STACK the stack.
 */
#ifndef TD_ARMLINK_H
#define TD_ARMLINK_H

#define __data_load Load$$RW_RAM$$RW$$Base
#define __data_start Image$$RW_RAM$$RW$$Base
#define __data_end Image$$RW_RAM$$RW$$Limit
#define __bss_start Image$$RW_RAM$$ZI$$Base
#define __bss_end Image$$RW_RAM$$ZI$$Limit
#define __stack_limit Image$$ARM_LIB_STACK$$ZI$$Base
#define __stack_top Image$$ARM_LIB_STACK$$ZI$$Limit

#endif
