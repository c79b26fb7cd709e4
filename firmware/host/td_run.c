/*
 * td-run: the runtime on the host, for tests and the CLI.
 *
 *   td-run [--layers FILE] [--fill BYTE] [--arena BYTES] [--range FIRST:LAST]
 *          PACKAGE INPUTS OUTPUTS
 *       INPUTS holds N samples back to back, each the model's inputs'
 *       bytes in input order; OUTPUTS receives N samples of the outputs.
 *       --layers also writes, per sample, every layer's outputs in order.
 *       --fill sets every arena byte before loading (catches kernels that
 *       read what they never wrote); --arena overrides the arena size.
 *       --range runs td_invoke_range: layers 0..FIRST-1 (no hooks, when
 *       FIRST > 0), then FIRST..LAST with the hooks, and stops; --layers
 *       then holds layers FIRST..LAST only.
 *   td-run --info PACKAGE     one line per layer: index source_op kernel
 *   td-run --check PACKAGE... one line per package: the td_load status
 *   td-run --check-stream FILE  the same for packages stored back to back
 *                             in FILE, each preceded by its u32 LE length
 *   td-run --kernels          one line per compiled kernel: id name
 *
 * Exit status: 0 ok, 1 usage or file error, 2 runtime error, reported on
 * stderr as "td-run: <stage>: <TD_ERR_...> layer <n>".
 */
#define _POSIX_C_SOURCE 200112L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_runtime.h"

/* The runtime never allocates; the runner's own buffers live until exit,
 * so leak reports from the sanitizer build would only be noise. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "detect_leaks=0"; }

typedef struct {
  uint8_t *data;
  size_t len;
} blob;

static int read_file(const char *path, blob *b) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return -1;
  size_t cap = 1 << 16;
  void *mem = NULL;
  b->len = 0;
  /* 16-byte aligned, as td_load requires of a package. */
  if (posix_memalign(&mem, TD_ALIGN, cap) != 0) return fclose(f), -1;
  b->data = mem;
  for (;;) {
    b->len += fread(b->data + b->len, 1, cap - b->len, f);
    if (b->len < cap) break;
    void *bigger = NULL;
    if (posix_memalign(&bigger, TD_ALIGN, cap * 2) != 0) return fclose(f), -1;
    memcpy(bigger, b->data, b->len);
    free(b->data);
    b->data = bigger;
    cap *= 2;
  }
  int bad = ferror(f);
  fclose(f);
  return bad ? -1 : 0;
}

static int fail(const char *stage, td_status s, const td_model *m) {
  fprintf(stderr, "td-run: %s: %s", stage, td_status_name(s));
  if (m != NULL && m->failed_layer != UINT32_MAX) fprintf(stderr, " layer %u", m->failed_layer);
  fputc('\n', stderr);
  return 2;
}

static int usage(void) {
  fputs("usage: td-run [--layers FILE] [--fill BYTE] [--arena BYTES] [--range FIRST:LAST]\n"
        "              PACKAGE INPUTS OUTPUTS\n"
        "       td-run --info PACKAGE\n"
        "       td-run --check PACKAGE...\n"
        "       td-run --check-stream FILE\n"
        "       td-run --kernels\n",
        stderr);
  return 1;
}

static size_t input_bytes(const td_model *m) {
  size_t total = 0;
  for (uint32_t i = 0; i < td_num_inputs(m); i++) {
    td_tensor t;
    td_input(m, i, &t);
    total += t.bytes;
  }
  return total;
}

typedef struct {
  const td_model *model;
  FILE *out;
  int failed;
} layer_dump;

/* After-layer hook: the layer's outputs, as the next layer will see them. */
static void dump_layer(void *user, uint32_t layer) {
  layer_dump *d = user;
  td_layer_info info;
  if (td_layer(d->model, layer, &info) != TD_OK) return;
  for (uint32_t i = 0; i < info.num_outputs; i++) {
    td_tensor t;
    td_tensor_at(d->model, (uint32_t)info.outputs[i], &t);
    if (fwrite(t.data, 1, t.bytes, d->out) != t.bytes) d->failed = 1;
  }
}

/* One sample: the whole model, or (with a range) the layers before it and
 * then the range, in two calls, so the second resumes where the first stopped. */
static td_status run_sample(td_model *m, const td_hooks *hooks, long first, long last) {
  if (first < 0) return td_invoke(m, hooks);
  if (first > 0) {
    td_status s = td_invoke_range(m, 0, (uint32_t)first - 1u, NULL);
    if (s != TD_OK) return s;
  }
  return td_invoke_range(m, (uint32_t)first, (uint32_t)last, hooks);
}

static int list_kernels(void) {
  for (uint32_t i = 0; i < td_kernel_count(); i++) {
    const td_kernel *k = td_kernel_at(i);
    printf("%u %s\n", (unsigned)k->id, k->name);
  }
  return 0;
}

static int load_package(const char *path, blob *pkg, td_model *m, long fill, long arena_override,
                        void **arena) {
  if (read_file(path, pkg) != 0) return perror(path), 1;
  size_t need = 0;
  td_status s = td_arena_required(pkg->data, pkg->len, &need);
  if (s != TD_OK) return fail("load", s, NULL);
  size_t size = arena_override >= 0 ? (size_t)arena_override : need;
  if (posix_memalign(arena, TD_ALIGN, size > 0 ? size : 1) != 0) return perror("arena"), 1;
  memset(*arena, (int)fill, size);
  s = td_load(pkg->data, pkg->len, *arena, size, m);
  return s == TD_OK ? 0 : fail("load", s, m);
}

/* The td_load verdict for one package, printed on its own line. The
 * arena is capped: a header asking for more gets ARENA_TOO_SMALL. */
static int check_one(const uint8_t *data, size_t len) {
  size_t need = 0;
  td_status s = td_arena_required(data, len, &need);
  if (s == TD_OK) {
    size_t size = need < ((size_t)256 << 20) ? need : ((size_t)256 << 20);
    void *arena = NULL;
    if (posix_memalign(&arena, TD_ALIGN, size > 0 ? size : 1) != 0) return perror("arena"), 1;
    td_model m;
    s = td_load(data, len, arena, size, &m);
    free(arena);
  }
  printf("%s\n", td_status_name(s));
  return 0;
}

/* Load verdicts for many packages in one process (differential tests). */
static int check(int n, char **paths) {
  for (int i = 0; i < n; i++) {
    blob pkg;
    if (read_file(paths[i], &pkg) != 0) return perror(paths[i]), 1;
    int rc = check_one(pkg.data, pkg.len);
    free(pkg.data);
    if (rc != 0) return rc;
  }
  return 0;
}

static int check_stream(const char *path) {
  blob all;
  if (read_file(path, &all) != 0) return perror(path), 1;
  for (size_t pos = 0; pos < all.len;) {
    if (all.len - pos < 4) return fputs("td-run: stream truncated\n", stderr), 1;
    const uint8_t *p = all.data + pos;
    size_t len = (size_t)p[0] | ((size_t)p[1] << 8) | ((size_t)p[2] << 16) | ((size_t)p[3] << 24);
    if (len > all.len - pos - 4) return fputs("td-run: stream truncated\n", stderr), 1;
    /* Each package gets its own exact-size, aligned buffer: reads past it are caught. */
    void *pkg = NULL;
    if (posix_memalign(&pkg, TD_ALIGN, len > 0 ? len : 1) != 0) return perror("package"), 1;
    memcpy(pkg, p + 4, len);
    int rc = check_one(pkg, len);
    free(pkg);
    if (rc != 0) return rc;
    pos += 4 + len;
  }
  return 0;
}

static int info(const char *path) {
  blob pkg;
  td_model m;
  void *arena = NULL;
  int rc = load_package(path, &pkg, &m, 0, -1, &arena);
  if (rc != 0) return rc;
  for (uint32_t i = 0; i < td_num_layers(&m); i++) {
    td_layer_info l;
    td_layer(&m, i, &l);
    printf("%u %u %s\n", i, l.source_op, td_find_kernel(l.kernel_id)->name);
  }
  return 0;
}

int main(int argc, char **argv) {
  const char *layers_path = NULL;
  long fill = 0, arena_override = -1, first = -1, last = -1;
  int a = 1;
  if (argc == 2 && strcmp(argv[1], "--kernels") == 0) return list_kernels();
  if (argc == 3 && strcmp(argv[1], "--info") == 0) return info(argv[2]);
  if (argc >= 2 && strcmp(argv[1], "--check") == 0) return check(argc - 2, argv + 2);
  if (argc == 3 && strcmp(argv[1], "--check-stream") == 0) return check_stream(argv[2]);
  for (; a + 1 < argc && strncmp(argv[a], "--", 2) == 0; a += 2) {
    if (strcmp(argv[a], "--layers") == 0) layers_path = argv[a + 1];
    else if (strcmp(argv[a], "--fill") == 0) fill = strtol(argv[a + 1], NULL, 0);
    else if (strcmp(argv[a], "--arena") == 0) arena_override = strtol(argv[a + 1], NULL, 0);
    else if (strcmp(argv[a], "--range") == 0) {
      char *colon = NULL;
      first = strtol(argv[a + 1], &colon, 10);
      if (*colon != ':' || first < 0 || first > (long)UINT32_MAX) return usage();
      last = strtol(colon + 1, NULL, 10);
      if (last < 0 || last > (long)UINT32_MAX) return usage();
    } else return usage();
  }
  if (argc - a != 3) return usage();

  blob pkg, in;
  td_model m;
  void *arena = NULL;
  int rc = load_package(argv[a], &pkg, &m, fill, arena_override, &arena);
  if (rc != 0) return rc;
  if (read_file(argv[a + 1], &in) != 0) return perror(argv[a + 1]), 1;

  size_t in_bytes = input_bytes(&m);
  if (in_bytes == 0 ? in.len != 0 : in.len % in_bytes != 0) {
    fprintf(stderr, "td-run: inputs file holds %zu bytes, not a multiple of %zu\n", in.len, in_bytes);
    return 1;
  }
  size_t samples = in_bytes == 0 ? 1 : in.len / in_bytes;
  FILE *out = fopen(argv[a + 2], "wb");
  if (out == NULL) return perror(argv[a + 2]), 1;
  FILE *layers = layers_path != NULL ? fopen(layers_path, "wb") : NULL;
  if (layers_path != NULL && layers == NULL) return perror(layers_path), 1;
  layer_dump dump = {&m, layers, 0};
  td_hooks hooks = {NULL, dump_layer, &dump};

  for (size_t n = 0; n < samples; n++) {
    const uint8_t *src = in.data + n * in_bytes;
    for (uint32_t i = 0; i < td_num_inputs(&m); i++) {
      td_tensor t;
      td_input(&m, i, &t);
      memcpy(t.data, src, t.bytes);
      src += t.bytes;
    }
    td_status s = run_sample(&m, layers != NULL ? &hooks : NULL, first, last);
    if (s != TD_OK) return fail("invoke", s, &m);
    for (uint32_t i = 0; i < td_num_outputs(&m); i++) {
      td_tensor t;
      td_output(&m, i, &t);
      if (fwrite(t.data, 1, t.bytes, out) != t.bytes) return perror(argv[a + 2]), 1;
    }
  }
  if (fclose(out) != 0 || dump.failed || (layers != NULL && fclose(layers) != 0)) {
    fputs("td-run: write failed\n", stderr);
    return 1;
  }
  free(arena);
  free(in.data);
  free(pkg.data);
  return 0;
}
