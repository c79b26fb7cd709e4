/*
 * The buffers the validator works in, placed by the board's linker script
 * (td_sections.ld): the model package buffer and the activation arena.
 */
#ifndef TD_MEMORY_H
#define TD_MEMORY_H

#include <stdint.h>

extern uint8_t __td_package_start[], __td_package_end[];
extern uint8_t __td_arena_start[], __td_arena_end[];

static inline uint8_t *td_package_buffer(void) { return __td_package_start; }
static inline uint32_t td_package_capacity(void) {
  return (uint32_t)(__td_package_end - __td_package_start);
}
static inline uint8_t *td_arena_buffer(void) { return __td_arena_start; }
static inline uint32_t td_arena_capacity(void) {
  return (uint32_t)(__td_arena_end - __td_arena_start);
}

#endif
