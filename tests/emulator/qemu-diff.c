/* Differential workload: the same image runs on QEMU (mps2-an386) and on our
 * emulator; every line it prints over semihosting must match. Each line is
 * one instruction applied to a grid of edge-case operands: the result(s) and
 * the status it leaves (APSR for integer ops, FPSCR for VFP ops, under seven
 * FPSCR modes). Data starts at "BEGIN" and ends at "END". */
#include <stdint.h>

static void sh_write0(const char *s) {
  register uint32_t r0 __asm("r0") = 4; /* SYS_WRITE0 */
  register const char *r1 __asm("r1") = s;
  __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
}

static void sh_exit(void) {
  register uint32_t r0 __asm("r0") = 0x18; /* SYS_EXIT, ADP_Stopped_ApplicationExit */
  register uint32_t r1 __asm("r1") = 0x20026;
  __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
}

static char line[8192];
static unsigned pos;
static void hex(uint32_t v) {
  for (int i = 0; i < 8; i++) line[pos++] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
  line[pos++] = ' ';
}
static void flush_line(const char *name) {
  unsigned n = 0;
  while (name[n]) n++;
  line[pos++] = '\n';
  line[pos] = 0;
  sh_write0(name);
  sh_write0(": ");
  sh_write0(line);
  pos = 0;
}

/* ---- integer and DSP ---- */
static inline void clear_apsr(void) { __asm volatile("msr APSR_nzcvqg, %0" ::"r"(0x20000000u)); }
static inline uint32_t apsr(void) {
  uint32_t v;
  __asm volatile("mrs %0, apsr" : "=r"(v));
  return v;
}
#define OP2(insn) \
  static void i_##insn(uint32_t a, uint32_t b, uint32_t d) { \
    uint32_t r; \
    (void)d; \
    clear_apsr(); \
    __asm volatile(#insn " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); \
    uint32_t p = apsr(); \
    hex(r); \
    hex(p); \
  }
#define OP3(insn) \
  static void i_##insn(uint32_t a, uint32_t b, uint32_t d) { \
    uint32_t r; \
    clear_apsr(); \
    __asm volatile(#insn " %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(d)); \
    uint32_t p = apsr(); \
    hex(r); \
    hex(p); \
  }
#define OPL(insn) \
  static void i_##insn(uint32_t a, uint32_t b, uint32_t d) { \
    uint32_t lo = d, hi = a ^ b; \
    clear_apsr(); \
    __asm volatile(#insn " %0, %1, %2, %3" : "+r"(lo), "+r"(hi) : "r"(a), "r"(b)); \
    uint32_t p = apsr(); \
    hex(lo); \
    hex(hi); \
    hex(p); \
  }
#define OP1(name, text) \
  static void i_##name(uint32_t a, uint32_t b, uint32_t d) { \
    uint32_t r; \
    (void)b; \
    (void)d; \
    clear_apsr(); \
    __asm volatile(text : "=r"(r) : "r"(a) : "cc"); \
    uint32_t p = apsr(); \
    hex(r); \
    hex(p); \
  }

#define INT2(X) \
  X(sadd16) X(sasx) X(ssax) X(ssub16) X(sadd8) X(ssub8) X(qadd16) X(qasx) X(qsax) X(qsub16) \
  X(qadd8) X(qsub8) X(shadd16) X(shasx) X(shsax) X(shsub16) X(shadd8) X(shsub8) X(uadd16) \
  X(uasx) X(usax) X(usub16) X(uadd8) X(usub8) X(uqadd16) X(uqasx) X(uqsax) X(uqsub16) \
  X(uqadd8) X(uqsub8) X(uhadd16) X(uhasx) X(uhsax) X(uhsub16) X(uhadd8) X(uhsub8) X(qadd) \
  X(qsub) X(qdadd) X(qdsub) X(smuad) X(smuadx) X(smusd) X(smusdx) X(smulbb) X(smulbt) \
  X(smultb) X(smultt) X(smulwb) X(smulwt) X(smmul) X(smmulr) X(usad8) X(sel) X(sdiv) X(udiv) \
  X(adcs) X(sbcs) X(rors) X(asrs) X(lsls) X(lsrs)
#define INT3(X) \
  X(smlad) X(smladx) X(smlsd) X(smlsdx) X(smlabb) X(smlabt) X(smlatb) X(smlatt) X(smlawb) \
  X(smlawt) X(smmla) X(smmlar) X(smmls) X(smmlsr) X(usada8) X(mla) X(mls)
#define INTL(X) \
  X(smull) X(umull) X(smlal) X(umlal) X(umaal) X(smlalbb) X(smlalbt) X(smlaltb) X(smlaltt) \
  X(smlald) X(smlaldx) X(smlsld) X(smlsldx)
INT2(OP2)
INT3(OP3)
INTL(OPL)
OP1(ssat1, "ssat %0, #1, %1")
OP1(ssat8, "ssat %0, #8, %1, lsl #4")
OP1(ssat32, "ssat %0, #32, %1, asr #1")
OP1(usat0, "usat %0, #0, %1")
OP1(usat31, "usat %0, #31, %1, asr #31")
OP1(ssat16, "ssat16 %0, #5, %1")
OP1(usat16, "usat16 %0, #9, %1")
OP1(clz, "clz %0, %1")
OP1(rbit, "rbit %0, %1")
OP1(rev, "rev %0, %1")
OP1(rev16, "rev16 %0, %1")
OP1(revsh, "revsh %0, %1")
OP1(sxtb16, "sxtb16 %0, %1, ror #8")
OP1(uxtb16, "uxtb16 %0, %1, ror #24")
OP1(sbfx, "sbfx %0, %1, #3, #17")
OP1(ubfx, "ubfx %0, %1, #31, #1")
OP1(rrxs, "rrxs %0, %1")
OP1(asrs32, "asrs %0, %1, #32")
OP1(mvns, "mvns %0, %1")
OP1(negs, "negs %0, %1")

typedef void (*int_fn)(uint32_t, uint32_t, uint32_t);
struct int_op {
  const char *name;
  int_fn fn;
};
#define ENTRY(insn) {#insn, i_##insn},
static const struct int_op int_ops[] = {
    INT2(ENTRY) INT3(ENTRY) INTL(ENTRY) ENTRY(ssat1) ENTRY(ssat8) ENTRY(ssat32) ENTRY(usat0)
        ENTRY(usat31) ENTRY(ssat16) ENTRY(usat16) ENTRY(clz) ENTRY(rbit) ENTRY(rev) ENTRY(rev16)
            ENTRY(revsh) ENTRY(sxtb16) ENTRY(uxtb16) ENTRY(sbfx) ENTRY(ubfx) ENTRY(rrxs)
                ENTRY(asrs32) ENTRY(mvns) ENTRY(negs)};
static const uint32_t ints[] = {0,          1,          0xffffffff, 0x7fffffff, 0x80000000,
                                0x8000,     0x7fff,     0xffff,     0x80,       0x7f,
                                0x80008000, 0x7fff7fff, 0x12345678, 0xfedcba98, 0x00ff00ff,
                                0x80807f7f, 0x0001ffff, 0xc0000021};
#define NI (sizeof ints / sizeof ints[0])

/* ---- VFP ---- */
static inline void set_fpscr(uint32_t v) { __asm volatile("vmsr fpscr, %0" ::"r"(v)); }
static inline uint32_t get_fpscr(void) {
  uint32_t v;
  __asm volatile("vmrs %0, fpscr" : "=r"(v));
  return v;
}
#define FOP3(name, insn) \
  static uint32_t f_##name(uint32_t d, uint32_t n, uint32_t m) { \
    uint32_t r; \
    __asm volatile("vmov s0, %1\n vmov s1, %2\n vmov s2, %3\n " insn " s0, s1, s2\n vmov %0, s0" \
                   : "=r"(r) \
                   : "r"(d), "r"(n), "r"(m) \
                   : "s0", "s1", "s2"); \
    return r; \
  }
#define FOP2(name, insn) \
  static uint32_t f_##name(uint32_t d, uint32_t n, uint32_t m) { \
    uint32_t r; \
    (void)n; \
    __asm volatile("vmov s0, %1\n vmov s2, %2\n " insn " s0, s2\n vmov %0, s0" \
                   : "=r"(r) \
                   : "r"(d), "r"(m) \
                   : "s0", "s2"); \
    return r; \
  }
#define FPOPS(X3, X2) \
  X3(vadd, "vadd.f32") X3(vsub, "vsub.f32") X3(vmul, "vmul.f32") X3(vnmul, "vnmul.f32") \
  X3(vdiv, "vdiv.f32") X3(vmla, "vmla.f32") X3(vmls, "vmls.f32") X3(vnmla, "vnmla.f32") \
  X3(vnmls, "vnmls.f32") X3(vfma, "vfma.f32") X3(vfms, "vfms.f32") X3(vfnma, "vfnma.f32") \
  X3(vfnms, "vfnms.f32") X2(vsqrt, "vsqrt.f32") X2(vcvt_s32, "vcvt.s32.f32") \
  X2(vcvtr_s32, "vcvtr.s32.f32") X2(vcvt_u32, "vcvt.u32.f32") X2(vcvtr_u32, "vcvtr.u32.f32") \
  X2(vcvt_f_s32, "vcvt.f32.s32") X2(vcvt_f_u32, "vcvt.f32.u32") X2(vcvtb_f16, "vcvtb.f16.f32") \
  X2(vcvtt_f16, "vcvtt.f16.f32") X2(vcvtb_f32, "vcvtb.f32.f16") X2(vcvtt_f32, "vcvtt.f32.f16") \
  X2(vabs, "vabs.f32") X2(vneg, "vneg.f32") X2(vcmp, "vcmp.f32") X2(vcmpe, "vcmpe.f32")
FPOPS(FOP3, FOP2)
typedef uint32_t (*fp_fn)(uint32_t, uint32_t, uint32_t);
struct fp_op {
  const char *name;
  fp_fn fn;
};
#define FENTRY(name, insn) {#name, f_##name},
static const struct fp_op fp_ops[] = {FPOPS(FENTRY, FENTRY)};
static const uint32_t floats[] = {0x00000000, 0x80000000, 0x3f800000, 0xbfc00000, 0x7f800000,
                                  0xff800000, 0x7fc00001, 0xffc00002, 0x7f800003, 0xff800004,
                                  0x00000007, 0x80400000, 0x7f7fffff, 0x00800000, 0x4b7fffff,
                                  0x3eaaaaab, 0x4f000000, 0xcf000001, 0x477fe000, 0x33800001};
#define NF (sizeof floats / sizeof floats[0])
/* RN, RP, RM, RZ, FZ, DN, AHP */
static const uint32_t modes[] = {0, 1u << 22, 2u << 22, 3u << 22, 1u << 24, 1u << 25, 1u << 26};

void Reset_Handler(void) {
  *(volatile uint32_t *)0xE000ED88 |= 0xFu << 20; /* CPACR: enable the FPU */
  __asm volatile("dsb\n isb");
  sh_write0("BEGIN\n");
  for (unsigned o = 0; o < sizeof int_ops / sizeof int_ops[0]; o++) {
    for (unsigned i = 0; i < NI; i++)
      for (unsigned j = 0; j < NI; j += 2) int_ops[o].fn(ints[i], ints[j], ints[(i * 5 + j * 3) % NI]);
    flush_line(int_ops[o].name);
  }
  for (unsigned mi = 0; mi < sizeof modes / sizeof modes[0]; mi++)
    for (unsigned o = 0; o < sizeof fp_ops / sizeof fp_ops[0]; o++) {
      for (unsigned i = 0; i < NF; i++)
        for (unsigned j = 0; j < NF; j += 3) {
          set_fpscr(modes[mi]);
          hex(fp_ops[o].fn(floats[(i * 7 + j) % NF], floats[i], floats[j]));
          hex(get_fpscr());
        }
      flush_line(fp_ops[o].name);
    }
  sh_write0("END\n");
  sh_exit();
  for (;;) {
  }
}

extern uint32_t __stack_top;
__attribute__((section(".vectors"), used)) const void *vectors[2] = {&__stack_top, (void *)Reset_Handler};
