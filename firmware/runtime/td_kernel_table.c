/* The table of kernels compiled into this runtime, from an X-macro list so
 * that a firmware for one model links only the kernels that model uses. */
#include "td_runtime.h"

#ifdef TD_KERNEL_LIST
#define TD_LIST_FILE TD_KERNEL_LIST
#else
#define TD_LIST_FILE "td_kernel_list.h"
#endif

#define TD_KERNEL(name) extern const td_kernel td_kernel_##name;
#include TD_LIST_FILE
#undef TD_KERNEL

#define TD_KERNEL(name) &td_kernel_##name,
static const td_kernel *const table[] = {
#include TD_LIST_FILE
    NULL /* keeps the array non-empty when the list is */
};
#undef TD_KERNEL

uint32_t td_kernel_count(void) { return (uint32_t)(sizeof table / sizeof table[0]) - 1u; }

const td_kernel *td_kernel_at(uint32_t index) {
  return index < td_kernel_count() ? table[index] : NULL;
}

/* Linear search: a few dozen entries, once per layer. Cheap next to any
 * kernel, and it keeps the table free of an id-indexed layout to maintain. */
const td_kernel *td_find_kernel(uint16_t id) {
  for (uint32_t i = 0; i < td_kernel_count(); i++) {
    if (table[i]->id == id) return table[i];
  }
  return NULL;
}
