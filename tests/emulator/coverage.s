@ Representative encodings of every ARMv7E-M + FPv4-SP instruction class.
@ The decode-coverage test assembles this, disassembles it with objdump and
@ checks our decoder names each instruction the way objdump does.
.global cov
cov:
@ 16-bit shift/add/sub/move/compare
  lsls r0, r1, #3
  lsrs r2, r3, #31
  asrs r4, r5, #1
  movs r0, r1
  adds r0, r1, r2
  subs r3, r4, r5
  adds r0, r1, #7
  subs r0, r1, #1
  movs r7, #255
  cmp r2, #10
  adds r3, #200
  subs r6, #13
@ 16-bit data processing
  ands r0, r1
  eors r0, r1
  lsls r0, r1
  lsrs r0, r1
  asrs r0, r1
  adcs r0, r1
  sbcs r0, r1
  rors r0, r1
  tst r0, r1
  negs r0, r1
  cmp r0, r1
  cmn r0, r1
  orrs r0, r1
  muls r0, r1, r0
  bics r0, r1
  mvns r0, r1
@ special data, branch exchange
  add r8, r9
  add r0, sp
  cmp r8, r0
  mov r10, r11
  mov r0, sp
  bx lr
  blx r3
@ loads/stores 16-bit
  ldr r0, [pc, #8]
  str r0, [r1, r2]
  strh r0, [r1, r2]
  strb r0, [r1, r2]
  ldrsb r0, [r1, r2]
  ldr r0, [r1, r2]
  ldrh r0, [r1, r2]
  ldrb r0, [r1, r2]
  ldrsh r0, [r1, r2]
  str r0, [r1, #4]
  ldr r0, [r1, #124]
  strb r0, [r1, #31]
  ldrb r0, [r1, #1]
  strh r0, [r1, #2]
  ldrh r0, [r1, #62]
  str r0, [sp, #8]
  ldr r0, [sp, #1020]
  adr r0, cov_lit
  add r0, sp, #16
@ misc 16-bit
  add sp, #16
  sub sp, #16
  cbz r0, cov_fwd
  cbnz r1, cov_fwd
  sxth r0, r1
  sxtb r0, r1
  uxth r0, r1
  uxtb r0, r1
  push {r4-r7, lr}
  pop {r4-r7, pc}
  cpsid i
  cpsie i
  rev r0, r1
  rev16 r0, r1
  revsh r0, r1
  bkpt 0x12
  ite eq
  moveq r0, r1
  movne r0, r2
  nop
  yield
  wfe
  wfi
  sev
  stmia r0!, {r1, r2}
  ldmia r0!, {r1, r2}
  ldmia r0, {r0, r1}
cov_fwd:
  beq cov_fwd
  bne cov
  udf #3
  svc #1
  b cov_fwd
.align 2
cov_lit:
  nop
  nop
@ 32-bit load/store multiple, dual, exclusive, table branch
  stmia.w r0!, {r1, r2, r8}
  ldmia.w r0!, {r1, r2, r8}
  stmdb r0!, {r1, r2}
  ldmdb r0, {r1, r2}
  push.w {r4-r11, lr}
  pop.w {r4-r11, pc}
  strex r0, r1, [r2, #4]
  ldrex r0, [r1, #8]
  strexb r0, r1, [r2]
  strexh r0, r1, [r2]
  ldrexb r0, [r1]
  ldrexh r0, [r1]
  tbb [r0, r1]
  tbh [r0, r1, lsl #1]
  strd r0, r1, [r2, #8]
  strd r0, r1, [r2, #-8]!
  strd r0, r1, [r2], #16
  ldrd r0, r1, [r2, #8]
  ldrd r0, r1, [r2], #-8
  ldrd r0, r1, cov_lit
@ 32-bit data processing, shifted register
  and.w r0, r1, r2, lsl #3
  ands.w r0, r1, r2
  tst.w r0, r1, lsr #2
  bic.w r0, r1, r2, asr #5
  orr.w r0, r1, r2, ror #7
  mov.w r0, r1
  movs.w r0, r1
  lsl.w r0, r1, #4
  lsr.w r0, r1, #4
  asrs.w r0, r1, #31
  ror.w r0, r1, #9
  rrx r0, r1
  orn r0, r1, r2
  mvn.w r0, r1, lsl #1
  eor.w r0, r1, r2
  teq.w r0, r1
  pkhbt r0, r1, r2, lsl #16
  pkhtb r0, r1, r2, asr #16
  add.w r0, r1, r2, lsl #2
  adds.w r0, r1, r2
  cmn.w r0, r1
  adc.w r0, r1, r2
  sbc.w r0, r1, r2
  sub.w r0, r1, r2, lsl #1
  subs.w r0, r1, r2
  cmp.w r0, r1, lsl #1
  rsb r0, r1, r2
@ 32-bit modified immediate
  and r0, r1, #0xff00ff00
  tst r0, #0x80000000
  bic r0, r1, #255
  orr r0, r1, #0x10000
  mov.w r0, #0x55555555
  movs.w r0, #0x3fc00
  orn r0, r1, #1
  mvn r0, #7
  eor r0, r1, #0xff
  teq r0, #1
  add.w r0, r1, #4096
  cmn r0, #1
  adc r0, r1, #1
  sbc r0, r1, #1
  sub.w r0, r1, #1020
  cmp.w r0, #0x100
  rsb r0, r1, #0
@ plain binary immediate
  addw r0, r1, #4095
  movw r0, #0x1234
  subw r0, r1, #4095
  movt r0, #0xabcd
  ssat r0, #8, r1
  ssat r0, #16, r1, asr #3
  ssat16 r0, #8, r1
  sbfx r0, r1, #3, #5
  bfi r0, r1, #8, #4
  bfc r0, #4, #8
  usat r0, #8, r1, lsl #2
  usat16 r0, #7, r1
  ubfx r0, r1, #30, #2
  adr.w r0, cov_lit
@ branches and misc control
  beq.w cov
  b.w cov
  bl cov
  msr APSR_nzcvq, r0
  msr APSR_g, r0
  msr BASEPRI, r0
  msr CONTROL, r0
  msr PRIMASK, r0
  msr FAULTMASK, r0
  msr MSP, r0
  msr PSP, r0
  mrs r0, APSR
  mrs r0, IPSR
  mrs r0, PRIMASK
  mrs r0, CONTROL
  mrs r0, MSP
  nop.w
  wfi.w
  clrex
  dsb sy
  dmb sy
  isb sy
  udf.w #1000
@ store single
  strb.w r0, [r1, #4095]
  strb r0, [r1, #-4]
  strb r0, [r1], #1
  strb r0, [r1, #1]!
  strbt r0, [r1, #2]
  strb.w r0, [r1, r2, lsl #3]
  strh.w r0, [r1, #2]
  strh r0, [r1, #-2]!
  strh.w r0, [r1, r2, lsl #1]
  str.w r0, [r1, #4092]
  str r0, [r1], #-4
  str.w r0, [r1, r2, lsl #2]
  str r0, [sp, #-4]!
@ loads
  ldr.w r0, cov_lit
  ldr.w r0, [r1, #4092]
  ldr r0, [r1, #-4]
  ldr r0, [r1], #4
  ldr r0, [r1, #4]!
  ldrt r0, [r1, #4]
  ldr.w r0, [r1, r2, lsl #2]
  ldr.w pc, [r1, #4]
  ldrb.w r0, [r1, #4095]
  ldrb r0, [r1, #-1]
  ldrb.w r0, [r1, r2]
  ldrsb.w r0, [r1, #12]
  ldrsb r0, [r1], #1
  ldrsb.w r0, [r1, r2, lsl #1]
  ldrh.w r0, [r1, #12]
  ldrh r0, [r1, #-2]
  ldrh.w r0, [r1, r2]
  ldrsh.w r0, [r1, #2]
  ldrsh r0, [r1, #2]!
  ldrsh.w r0, [r1, r2, lsl #1]
  ldrb.w r0, cov_lit
  ldrsh.w r0, cov_lit
  pld [r0, #4]
  pld [r0, #-4]
  pld [r0, r1]
  pli [r0, #4]
@ data processing (register)
  lsl.w r0, r1, r2
  lsrs.w r0, r1, r2
  asr.w r0, r1, r2
  ror.w r0, r1, r2
  sxtah r0, r1, r2
  sxth.w r0, r1, ror #8
  uxtah r0, r1, r2, ror #16
  uxth.w r0, r1
  sxtab16 r0, r1, r2
  sxtb16 r0, r1, ror #8
  uxtab16 r0, r1, r2
  uxtb16 r0, r1
  sxtab r0, r1, r2, ror #24
  sxtb.w r0, r1
  uxtab r0, r1, r2
  uxtb.w r0, r1
  sadd16 r0, r1, r2
  sasx r0, r1, r2
  ssax r0, r1, r2
  ssub16 r0, r1, r2
  sadd8 r0, r1, r2
  ssub8 r0, r1, r2
  qadd16 r0, r1, r2
  qasx r0, r1, r2
  qsax r0, r1, r2
  qsub16 r0, r1, r2
  qadd8 r0, r1, r2
  qsub8 r0, r1, r2
  shadd16 r0, r1, r2
  shasx r0, r1, r2
  shsax r0, r1, r2
  shsub16 r0, r1, r2
  shadd8 r0, r1, r2
  shsub8 r0, r1, r2
  uadd16 r0, r1, r2
  uasx r0, r1, r2
  usax r0, r1, r2
  usub16 r0, r1, r2
  uadd8 r0, r1, r2
  usub8 r0, r1, r2
  uqadd16 r0, r1, r2
  uqasx r0, r1, r2
  uqsax r0, r1, r2
  uqsub16 r0, r1, r2
  uqadd8 r0, r1, r2
  uqsub8 r0, r1, r2
  uhadd16 r0, r1, r2
  uhasx r0, r1, r2
  uhsax r0, r1, r2
  uhsub16 r0, r1, r2
  uhadd8 r0, r1, r2
  uhsub8 r0, r1, r2
  qadd r0, r1, r2
  qdadd r0, r1, r2
  qsub r0, r1, r2
  qdsub r0, r1, r2
  rev.w r0, r1
  rev16.w r0, r1
  rbit r0, r1
  revsh.w r0, r1
  sel r0, r1, r2
  clz r0, r1
@ multiply, accumulate, absolute difference
  mla r0, r1, r2, r3
  mul.w r0, r1, r2
  mls r0, r1, r2, r3
  smlabb r0, r1, r2, r3
  smlabt r0, r1, r2, r3
  smlatb r0, r1, r2, r3
  smlatt r0, r1, r2, r3
  smulbb r0, r1, r2
  smulbt r0, r1, r2
  smultb r0, r1, r2
  smultt r0, r1, r2
  smlad r0, r1, r2, r3
  smladx r0, r1, r2, r3
  smuad r0, r1, r2
  smuadx r0, r1, r2
  smlawb r0, r1, r2, r3
  smlawt r0, r1, r2, r3
  smulwb r0, r1, r2
  smulwt r0, r1, r2
  smlsd r0, r1, r2, r3
  smlsdx r0, r1, r2, r3
  smusd r0, r1, r2
  smusdx r0, r1, r2
  smmla r0, r1, r2, r3
  smmlar r0, r1, r2, r3
  smmul r0, r1, r2
  smmulr r0, r1, r2
  smmls r0, r1, r2, r3
  smmlsr r0, r1, r2, r3
  usad8 r0, r1, r2
  usada8 r0, r1, r2, r3
@ long multiply, divide
  smull r0, r1, r2, r3
  sdiv r0, r1, r2
  umull r0, r1, r2, r3
  udiv r0, r1, r2
  smlal r0, r1, r2, r3
  smlalbb r0, r1, r2, r3
  smlalbt r0, r1, r2, r3
  smlaltb r0, r1, r2, r3
  smlaltt r0, r1, r2, r3
  smlald r0, r1, r2, r3
  smlaldx r0, r1, r2, r3
  smlsld r0, r1, r2, r3
  smlsldx r0, r1, r2, r3
  umlal r0, r1, r2, r3
  umaal r0, r1, r2, r3
@ VFP load/store
  vldr s0, [r0, #4]
  vldr s31, [r0, #-1020]
  vldr s1, cov_lit
  vstr s2, [r1, #8]
  vldr d1, [r0, #8]
  vstr d15, [r1]
  vldmia r0, {s0-s3}
  vldmia r0!, {s4-s7}
  vldmdb r0!, {s8-s9}
  vstmia r0, {s0-s15}
  vstmia r0!, {d0-d3}
  vstmdb r0!, {s1}
  vpush {s16-s31}
  vpop {s16-s31}
  vpush {d8-d15}
  vpop {d8}
@ VFP transfers
  vmov s0, r1
  vmov r1, s31
  vmov s0, s1, r2, r3
  vmov r2, r3, s4, s5
  vmov d0, r2, r3
  vmov r2, r3, d15
  vmrs r0, fpscr
  vmrs APSR_nzcv, fpscr
  vmsr fpscr, r0
@ VFP data processing
  vmla.f32 s0, s1, s2
  vmls.f32 s0, s1, s2
  vnmla.f32 s0, s1, s2
  vnmls.f32 s0, s1, s2
  vmul.f32 s0, s1, s2
  vnmul.f32 s0, s1, s2
  vadd.f32 s0, s1, s2
  vsub.f32 s31, s30, s29
  vdiv.f32 s0, s1, s2
  vfma.f32 s0, s1, s2
  vfms.f32 s0, s1, s2
  vfnma.f32 s0, s1, s2
  vfnms.f32 s0, s1, s2
  vmov.f32 s0, #1.0
  vmov.f32 s3, #-0.125
  vmov.f32 s0, s1
  vabs.f32 s0, s1
  vneg.f32 s0, s1
  vsqrt.f32 s0, s1
  vcvtb.f32.f16 s0, s1
  vcvtt.f32.f16 s0, s1
  vcvtb.f16.f32 s0, s1
  vcvtt.f16.f32 s0, s1
  vcmp.f32 s0, s1
  vcmpe.f32 s0, s1
  vcmp.f32 s0, #0
  vcmpe.f32 s0, #0
  vcvt.f32.s32 s0, s1
  vcvt.f32.u32 s0, s1
  vcvt.s32.f32 s0, s1
  vcvt.u32.f32 s0, s1
  vcvtr.s32.f32 s0, s1
  vcvtr.u32.f32 s0, s1
  vcvt.s16.f32 s0, s0, #8
  vcvt.u16.f32 s0, s0, #16
  vcvt.s32.f32 s0, s0, #1
  vcvt.u32.f32 s0, s0, #32
  vcvt.f32.s16 s0, s0, #8
  vcvt.f32.u16 s0, s0, #4
  vcvt.f32.s32 s0, s0, #31
  vcvt.f32.u32 s0, s0, #2
