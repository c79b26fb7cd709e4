/*
 * The model's C API (model.h) over the TinyDeploy runtime: loads the model
 * package compiled into the image (model_data.c) into an arena and runs it.
 * The arena is a static buffer of TD_MODEL_ARENA_BYTES unless the build
 * defines TD_MODEL_NO_STATIC_ARENA and calls model_init_with_arena() with
 * its own buffer (for example one placed in a faster memory); define
 * TD_MODEL_ARENA_SECTION to place the static one with a section name.
 */
#include "model.h"

#include <stddef.h>

static td_model model;

#ifndef TD_MODEL_NO_STATIC_ARENA
#ifdef TD_MODEL_ARENA_SECTION
#define TD_MODEL_ARENA_PLACE __attribute__((section(TD_MODEL_ARENA_SECTION)))
#else
#define TD_MODEL_ARENA_PLACE
#endif
static uint8_t model_arena[TD_MODEL_ARENA_BYTES] __attribute__((aligned(16))) TD_MODEL_ARENA_PLACE;

td_status model_init(void) { return model_init_with_arena(model_arena, sizeof model_arena); }
#endif

td_status model_init_with_arena(void *arena, size_t arena_bytes) {
  return td_load(model_package, TD_MODEL_PACKAGE_BYTES, arena, arena_bytes, &model);
}

td_status model_invoke(void) { return td_invoke(&model, NULL); }

td_status model_invoke_with_hooks(const td_hooks *hooks) { return td_invoke(&model, hooks); }

void *model_input(uint32_t index) {
  td_tensor t;
  return td_input(&model, index, &t) == TD_OK ? t.data : NULL;
}

const void *model_output(uint32_t index) {
  td_tensor t;
  return td_output(&model, index, &t) == TD_OK ? t.data : NULL;
}

td_model *model_handle(void) { return &model; }
