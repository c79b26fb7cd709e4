/* The table of kernels compiled into this runtime, from an X-macro list so
 * that a firmware for one model links only the kernels that model uses.
 *
 * With -DTD_KERNEL_TABLE_EXTERNAL the table is not defined here but by the
 * application: the prebuilt library (firmware/lib) holds this file once for
 * every model, and an exported project's generated td_kernels_used.c
 * defines `td_kernel_table` (the used kernels, then NULL) and
 * `td_kernel_table_count`. Its references are what pull those kernels, and
 * only those, out of the library. */
#include "td_runtime.h"

#ifdef TD_KERNEL_TABLE_EXTERNAL

extern const td_kernel *const td_kernel_table[];
extern const uint32_t td_kernel_table_count;

uint32_t td_kernel_count(void) { return td_kernel_table_count; }

#else

#ifdef TD_KERNEL_LIST
#define TD_LIST_FILE TD_KERNEL_LIST
#else
#define TD_LIST_FILE "td_kernel_list.h"
#endif

#define TD_KERNEL(name) extern const td_kernel td_kernel_##name;
#include TD_LIST_FILE
#undef TD_KERNEL

#define TD_KERNEL(name) &td_kernel_##name,
static const td_kernel *const td_kernel_table[] = {
#include TD_LIST_FILE
    NULL /* keeps the array non-empty when the list is */
};
#undef TD_KERNEL

uint32_t td_kernel_count(void) {
  return (uint32_t)(sizeof td_kernel_table / sizeof td_kernel_table[0]) - 1u;
}

#endif

const td_kernel *td_kernel_at(uint32_t index) {
  return index < td_kernel_count() ? td_kernel_table[index] : NULL;
}

/* Linear search: a few dozen entries, once per layer. Cheap next to any
 * kernel, and it keeps the table free of an id-indexed layout to maintain. */
const td_kernel *td_find_kernel(uint16_t id) {
  for (uint32_t i = 0; i < td_kernel_count(); i++) {
    if (td_kernel_table[i]->id == id) return td_kernel_table[i];
  }
  return NULL;
}
