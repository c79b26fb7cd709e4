/*
 * A TCG plugin for QEMU 7.2 that counts executed guest instructions, for the
 * differential test between QEMU and TinyDeploy's emulator
 * (tests/unit/qemu-diff-insn-count.test.ts, docs/emulator.md).
 *
 *   -plugin insn_count.so,out=FILE[,marks=A:B:..][,pauses=A:..]
 *                         [,resumes=S-E:..][,skips=S-E:..]
 *
 *   out=FILE    where the report goes (required); one line per event, each
 *               flushed as it happens, so the host reads the file while
 *               QEMU keeps running;
 *   marks=      instruction addresses (hex or decimal, ':'-separated) whose
 *               every execution writes "M <addr> <count> <paused>": the
 *               number of visible instructions executed before that one, and
 *               1 if a pause was in progress when it ran;
 *   pauses=     marks that start a pause: from there on instructions are
 *               executed but hidden from the count, until
 *   resumes=    ranges [start, end): the first instruction executed in one
 *               of them ends the pause (a call from the code in these
 *               ranges to a pause mark is hidden up to its return);
 *   skips=      ranges [start, end) never counted (interrupt handlers); they
 *               add up in a separate total.
 * At exit: "E <visible> <hidden> <skipped>".
 *
 * Counting is per instruction (an inline add emitted before each one), not
 * per translation block: a block that stops part way (an I/O access QEMU
 * replays under -icount, an exception) then counts exactly the
 * instructions that ran. Marks and the instructions of resume ranges call
 * back instead, and count themselves after their bookkeeping, so the order
 * in which QEMU runs inline ops and callbacks does not matter.
 *
 * QEMU installs no plugin header; the declarations below are written from
 * the documented plugin API of QEMU 7.2 (API version 1), only what is used.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the QEMU 7.2 plugin API (the subset this plugin uses) ---- */

#define TD_PLUGIN_EXPORT __attribute__((visibility("default")))

typedef uint64_t qemu_plugin_id_t;

typedef struct {
  const char *target_name;
  struct {
    int min;
    int cur;
  } version;
  bool system_emulation;
  union {
    struct {
      int smp_vcpus;
      int max_vcpus;
    } system;
  } u; /* anonymous in QEMU's header; same layout */
} qemu_info_t;

struct qemu_plugin_tb;
struct qemu_plugin_insn;

enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };

typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
                                            qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn,
                                                enum qemu_plugin_op op, void *ptr, uint64_t imm);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);

TD_PLUGIN_EXPORT int qemu_plugin_version = 1;
TD_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
                                         char **argv);

/* ---- state ---- */

#define MAX_MARKS 256
#define MAX_RANGES 64

typedef struct {
  uint64_t start, end;
} range_t;

/* What an instrumented instruction does besides counting itself. */
typedef struct {
  uint64_t addr;
  bool mark, pause, resume;
} point_t;

static uint64_t total;   /* instructions executed outside the skip ranges */
static uint64_t hidden;  /* of those, inside pauses */
static uint64_t skipped; /* instructions executed inside the skip ranges */
static bool paused;
static uint64_t pause_start; /* `total` when the pause began */

static point_t marks[MAX_MARKS];
static size_t num_marks;
static point_t resume_point = {0, false, false, true};
static range_t skips[MAX_RANGES], resumes[MAX_RANGES];
static size_t num_skips, num_resumes;
static FILE *out;

static bool in_ranges(const range_t *r, size_t n, uint64_t addr) {
  for (size_t i = 0; i < n; i++)
    if (addr >= r[i].start && addr < r[i].end) return true;
  return false;
}

static point_t *mark_at(uint64_t addr) {
  for (size_t i = 0; i < num_marks; i++)
    if (marks[i].addr == addr) return &marks[i];
  return NULL;
}

/* ---- callbacks ---- */

static void on_point(unsigned int vcpu_index, void *userdata) {
  (void)vcpu_index;
  const point_t *p = userdata;
  if (p->resume && paused) {
    hidden += total - pause_start;
    paused = false;
  }
  if (p->mark) {
    fprintf(out, "M 0x%08" PRIx64 " %" PRIu64 " %d\n", p->addr, total - hidden, paused ? 1 : 0);
    fflush(out);
  }
  if (p->pause && !paused) {
    paused = true;
    pause_start = total;
  }
  total++;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  for (size_t i = 0; i < n; i++) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    uint64_t addr = qemu_plugin_insn_vaddr(insn);
    point_t *p = mark_at(addr);
    if (in_ranges(skips, num_skips, addr))
      qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &skipped, 1);
    else if (p != NULL)
      qemu_plugin_register_vcpu_insn_exec_cb(insn, on_point, QEMU_PLUGIN_CB_NO_REGS, p);
    else if (in_ranges(resumes, num_resumes, addr))
      qemu_plugin_register_vcpu_insn_exec_cb(insn, on_point, QEMU_PLUGIN_CB_NO_REGS,
                                             &resume_point);
    else
      qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &total, 1);
  }
}

static void on_qemu_exit(qemu_plugin_id_t id, void *userdata) {
  (void)id;
  (void)userdata;
  fprintf(out, "E %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", total - hidden, hidden, skipped);
  fclose(out);
  out = NULL;
}

/* ---- arguments ---- */

static bool parse_u64(const char *s, char **end, uint64_t *v) {
  errno = 0;
  unsigned long long x = strtoull(s, end, 0);
  if (errno != 0 || *end == s) return false;
  *v = (uint64_t)x;
  return true;
}

/* A ':'-separated list of addresses, each marked (and pausing if asked). */
static bool parse_marks(const char *s, bool pause) {
  while (*s != '\0') {
    char *end;
    uint64_t addr;
    if (!parse_u64(s, &end, &addr)) return false;
    point_t *p = mark_at(addr);
    if (p == NULL) {
      if (num_marks == MAX_MARKS) return false;
      p = &marks[num_marks++];
      *p = (point_t){addr, true, false, false};
    }
    p->pause = p->pause || pause;
    if (*end == ':') end++;
    else if (*end != '\0') return false;
    s = end;
  }
  return true;
}

/* A ':'-separated list of START-END ranges. */
static bool parse_ranges(const char *s, range_t *r, size_t *n) {
  while (*s != '\0') {
    char *end;
    range_t x;
    if (*n == MAX_RANGES || !parse_u64(s, &end, &x.start) || *end != '-') return false;
    if (!parse_u64(end + 1, &end, &x.end) || x.end <= x.start) return false;
    r[(*n)++] = x;
    if (*end == ':') end++;
    else if (*end != '\0') return false;
    s = end;
  }
  return true;
}

/* On stderr: qemu_plugin_outs() writes to QEMU's log, which is off by default. */
static int fail(const char *what, const char *arg) {
  fprintf(stderr, "insn_count: %s: %s\n", what, arg);
  return -1;
}

int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv) {
  (void)info;
  const char *path = NULL;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    const char *v = strchr(a, '=');
    size_t k = v == NULL ? 0 : (size_t)(v - a);
    bool ok = true;
    if (v == NULL) return fail("unknown argument", a);
    v++;
    if (k == 3 && strncmp(a, "out", k) == 0) path = v;
    else if (k == 5 && strncmp(a, "marks", k) == 0) ok = parse_marks(v, false);
    else if (k == 6 && strncmp(a, "pauses", k) == 0) ok = parse_marks(v, true);
    else if (k == 7 && strncmp(a, "resumes", k) == 0) ok = parse_ranges(v, resumes, &num_resumes);
    else if (k == 5 && strncmp(a, "skips", k) == 0) ok = parse_ranges(v, skips, &num_skips);
    else return fail("unknown argument", a);
    if (!ok) return fail("bad list", a);
  }
  if (path == NULL) return fail("missing argument", "out=FILE");
  for (size_t i = 0; i < num_marks; i++) {
    if (in_ranges(skips, num_skips, marks[i].addr)) return fail("mark in a skipped range", "marks");
    marks[i].resume = in_ranges(resumes, num_resumes, marks[i].addr);
  }
  for (size_t i = 0; i < num_resumes; i++)
    for (size_t j = 0; j < num_skips; j++)
      if (resumes[i].start < skips[j].end && skips[j].start < resumes[i].end)
        return fail("a resume range overlaps a skipped range", "resumes");
  out = fopen(path, "w");
  if (out == NULL) return fail("cannot open", path);
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
  return 0;
}
