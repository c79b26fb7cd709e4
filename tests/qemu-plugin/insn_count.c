/*
 * A TCG plugin for QEMU 7.2 that counts executed guest instructions, for the
 * differential test between QEMU and TinyDeploy's emulator
 * (tests/unit/qemu-diff-insn-count.test.ts, docs/emulator.md).
 *
 * Arguments (-plugin insn_count.so,out=FILE,marks=A:B:...,skips=S-E:...):
 *   out=FILE   where the report goes (required); one line per event, each
 *              flushed as it happens, so the host can read the file while
 *              QEMU keeps running;
 *   marks=...  instruction addresses (hex or decimal, ':'-separated) whose
 *              every execution writes "M <addr> <count>": the number of
 *              counted instructions executed before that one;
 *   skips=...  address ranges [start, end) whose instructions are not
 *              counted (code that differs between the boards compared:
 *              the counter reads, interrupt handlers); they add up in a
 *              separate total instead.
 * At exit: "E <counted> <skipped>".
 *
 * Counting is per instruction (an inline add emitted before each one), not
 * per translation block: a block that stops part way (an I/O access QEMU
 * replays under -icount, an exception) then counts exactly the
 * instructions that ran. A marked instruction is counted by its callback,
 * after recording, so the order of inline ops and callbacks inside QEMU
 * does not matter.
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
#define MAX_SKIPS 64

typedef struct {
  uint64_t start, end;
} range_t;

static uint64_t counted; /* instructions executed outside the skip ranges */
static uint64_t skipped; /* instructions executed inside them */
static uint64_t marks[MAX_MARKS];
static size_t num_marks;
static range_t skips[MAX_SKIPS];
static size_t num_skips;
static FILE *out;

static bool is_skipped(uint64_t addr) {
  for (size_t i = 0; i < num_skips; i++)
    if (addr >= skips[i].start && addr < skips[i].end) return true;
  return false;
}

/* Index of addr in marks, or -1. */
static long mark_index(uint64_t addr) {
  for (size_t i = 0; i < num_marks; i++)
    if (marks[i] == addr) return (long)i;
  return -1;
}

/* ---- callbacks ---- */

static void on_mark(unsigned int vcpu_index, void *userdata) {
  (void)vcpu_index;
  const uint64_t *addr = userdata;
  fprintf(out, "M 0x%08" PRIx64 " %" PRIu64 "\n", *addr, counted);
  fflush(out);
  counted++;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  for (size_t i = 0; i < n; i++) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    uint64_t addr = qemu_plugin_insn_vaddr(insn);
    if (is_skipped(addr)) {
      qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &skipped, 1);
      continue;
    }
    long m = mark_index(addr);
    if (m >= 0)
      qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark, QEMU_PLUGIN_CB_NO_REGS, &marks[m]);
    else
      qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &counted, 1);
  }
}

static void on_qemu_exit(qemu_plugin_id_t id, void *userdata) {
  (void)id;
  (void)userdata;
  fprintf(out, "E %" PRIu64 " %" PRIu64 "\n", counted, skipped);
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

static bool parse_marks(const char *s) {
  while (*s != '\0') {
    char *end;
    if (num_marks == MAX_MARKS || !parse_u64(s, &end, &marks[num_marks])) return false;
    num_marks++;
    if (*end == ':') end++;
    else if (*end != '\0') return false;
    s = end;
  }
  return true;
}

static bool parse_skips(const char *s) {
  while (*s != '\0') {
    char *end;
    range_t r;
    if (num_skips == MAX_SKIPS || !parse_u64(s, &end, &r.start) || *end != '-') return false;
    if (!parse_u64(end + 1, &end, &r.end) || r.end <= r.start) return false;
    skips[num_skips++] = r;
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
    if (strncmp(a, "out=", 4) == 0) path = a + 4;
    else if (strncmp(a, "marks=", 6) == 0) {
      if (!parse_marks(a + 6)) return fail("bad marks", a);
    } else if (strncmp(a, "skips=", 6) == 0) {
      if (!parse_skips(a + 6)) return fail("bad skips", a);
    } else return fail("unknown argument", a);
  }
  if (path == NULL) return fail("missing argument", "out=FILE");
  out = fopen(path, "w");
  if (out == NULL) return fail("cannot open", path);
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
  return 0;
}
