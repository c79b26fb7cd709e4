// Control flow and the system level: conditional branches against the ARM
// ARM condition table, IT blocks, calls, special registers, exceptions (SVC,
// PendSV, SysTick with WFI, HardFault stacking), typed fault reports,
// self-modifying code and spot checks of the cycle model.

import { beforeAll, describe, expect, test } from 'vitest';
import { Exc } from '../../src/emulator/nvic.ts';
import { RAM, SKIP_REASON, Snippets, armToolchain, snippetSource } from '../emulator/toolchain.ts';

const CONDS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le'];

/** The ARM ARM's ConditionPassed table, written out per mnemonic. */
function passes(cond: string, n: number, z: number, c: number, v: number): boolean {
  const t: Record<string, boolean> = {
    eq: z === 1,
    ne: z === 0,
    cs: c === 1,
    cc: c === 0,
    mi: n === 1,
    pl: n === 0,
    vs: v === 1,
    vc: v === 0,
    hi: c === 1 && z === 0,
    ls: c === 0 || z === 1,
    ge: n === v,
    lt: n !== v,
    gt: z === 0 && n === v,
    le: z === 1 || n !== v,
  };
  return t[cond]!;
}

const inverse = (c: string): string => CONDS[CONDS.indexOf(c) ^ 1]!;

const branches = CONDS.flatMap((c) => [
  [`b_${c}`, `msr APSR_nzcvq, r1; b${c} 1f; movs r0, #0; bkpt 0; 1: movs r0, #1`] as const,
  [`bw_${c}`, `msr APSR_nzcvq, r1; b${c}.w 1f; movs r0, #0; bkpt 0; 1: movs r0, #1`] as const,
  [
    `it_${c}`,
    `movs r0, #0; msr APSR_nzcvq, r1; ite ${c}; add${c} r0, #1; add${inverse(c)} r0, #2; itt ${c}; add${c} r0, r0, r0; lsl${c} r0, r0, #3`,
  ] as const,
]);

const SRC = `
${snippetSource([
  ...branches,
  ['it_noflags', 'msr APSR_nzcvq, r1; it eq; addeq r0, r0, r0'],
  [
    'itete',
    'movs r0, #0; msr APSR_nzcvq, r1; itete eq; addeq r0, #1; addne r0, #2; addeq r0, #4; addne r0, #8',
  ],
  ['cbz', 'movs r0, #0; cbz r1, 1f; movs r0, #1; 1: nop'],
  ['cbnz', 'movs r0, #0; cbnz r1, 1f; movs r0, #1; 1: nop'],
  ['call', 'bl func; adds r0, r0, #1'],
  ['blx', 'adr r2, func2; adds r2, #1; blx r2; adds r0, r0, #2'],
  ['ge_bits', 'msr APSR_g, r1; mrs r0, apsr'],
  ['primask', 'cpsid i; mrs r0, primask; cpsie i; mrs r1, primask'],
  ['basepri', 'msr basepri, r1; mrs r0, basepri; msr basepri_max, r2; mrs r3, basepri'],
  [
    'psp',
    'mrs r4, msp; msr psp, r1; movs r2, #2; msr control, r2; isb; mov r3, sp; mrs r0, msp; movs r2, #0; msr control, r2; mov r5, sp',
  ],
  ['cyc_loads', 'ldr r0, [r1]; ldr r2, [r1]; ldr r3, [r1, #4]'],
  ['cyc_alu', 'adds r0, r1, r2; muls r0, r0, r1; mla r0, r1, r2, r0; smlad r0, r1, r2, r0'],
  ['cyc_div', 'sdiv r0, r1, r2'],
  ['cyc_vdiv', 'vdiv.f32 s0, s1, s2; vsqrt.f32 s3, s4; vmla.f32 s5, s6, s7'],
  ['udf', 'udf #7'],
  ['rom_write', 'movs r1, #0; str r0, [r1]'],
  ['vfp_op', 'vadd.f32 s0, s1, s2'],
  ['jump_unmapped', 'ldr r1, =0x30000001; bx r1'],
  ['sleep_forever', 'wfi'],
  ['sev_wfe', 'sev; wfe; yield; nop; movs r0, #1'],
  ['steps', 'movs r0, #1; movs r0, #2; movs r0, #3'],
  ['semihost', 'movs r0, #5; bkpt 0xab; movs r1, #7'],
  [
    'dwt',
    'ldr r4, =0xE0001000; ldr r6, =0xE000EDFC; mov r5, #0x01000000; str r5, [r6]; movs r5, #1; str r5, [r4]; ldr r0, [r4, #4]; adds r1, r1, #1; adds r1, r1, #1; mul r1, r1, r1; ldr r2, [r4, #4]; subs r0, r2, r0',
  ],
])}
.align 2
func:
  movs r0, #41
  bx lr
.align 2
func2:
  movs r0, #40
  bx lr

.global fault_test
fault_test:
  ldr r1, =0x30000000
.global fault_insn
fault_insn:
  ldr r0, [r1]
  bkpt 1

.global svc_test
svc_test:
  movs r0, #5
  movs r1, #6
  svc #3
.global after_svc
after_svc:
  mrs r2, ipsr
  bkpt 0

.global pendsv_test
pendsv_test:
  ldr r0, =0xE000ED04
  mov r1, #0x10000000
  str r1, [r0]
  dsb
  movs r0, #1
  bkpt 0

.global systick_test
systick_test:
  ldr r0, =0xE000E010
  movs r1, #0
  str r1, [r0, #8]
  movs r1, #199
  str r1, [r0, #4]
  movs r1, #7
  str r1, [r0]
  movs r7, #0
1: wfi
  cmp r7, #3
  blt 1b
  movs r1, #0
  str r1, [r0]
  bkpt 0

.global smc_test
smc_test:
  ldr r1, =0x20000400
  str r2, [r1]
  adds r1, #1
  bx r1

svc_handler:
  mrs r4, ipsr
  ldr r5, [sp, #24]
  mov r6, lr
  str r1, [sp]
  bx lr
pendsv_handler:
  movs r6, #42
  bx lr
systick_handler:
  adds r7, #1
  bx lr
hardfault:
  ldr r4, [sp, #24]
  ldr r5, =0xE000ED28
  ldr r5, [r5]
  ldr r6, =0xE000ED38
  ldr r6, [r6]
  ldr r1, =0x30000000
  ldr r0, [r1]
  bkpt 2
.ltorg

.align 7
.global vtable
vtable:
  .word 0, 0, 0
  .word hardfault + 1
  .word 0, 0, 0, 0, 0, 0, 0
  .word svc_handler + 1
  .word 0, 0
  .word pendsv_handler + 1
  .word systick_handler + 1
`;

describe.skipIf(!armToolchain)('control flow, exceptions and faults', () => {
  let s: Snippets;
  beforeAll(() => {
    s = new Snippets(SRC);
    s.cpu.vtor = s.m.symbol('vtable');
  });

  test.each(CONDS)(
    'B%s (16- and 32-bit) and IT follow the condition table for all NZCV',
    (cond) => {
      for (let nzcv = 0; nzcv < 16; nzcv++) {
        const [n, z, c, v] = [(nzcv >> 3) & 1, (nzcv >> 2) & 1, (nzcv >> 1) & 1, nzcv & 1];
        const want = passes(cond, n, z, c, v);
        s.run(`b_${cond}`, { 1: nzcv << 28 });
        expect(s.reg(0), `b${cond} nzcv=${nzcv}`).toBe(want ? 1 : 0);
        s.run(`bw_${cond}`, { 1: nzcv << 28 });
        expect(s.reg(0), `b${cond}.w nzcv=${nzcv}`).toBe(want ? 1 : 0);
        s.run(`it_${cond}`, { 1: nzcv << 28 });
        // Then-slots: +1, double, shift by 3 = 16; the else-slot adds 2.
        expect(s.reg(0), `it ${cond} nzcv=${nzcv}`).toBe(want ? 16 : 2);
        expect(s.reg(12) >>> 28, 'IT blocks leave the flags alone').toBe(nzcv);
      }
    },
  );

  test('ITETE executes the then/else slots by the base condition', () => {
    s.run('itete', { 1: 0x40000000 });
    expect(s.reg(0)).toBe(5);
    s.run('itete', { 1: 0 });
    expect(s.reg(0)).toBe(10);
  });

  test('16-bit flag-setting encodings do not set flags inside an IT block', () => {
    s.run('it_noflags', { 0: 0x80000000, 1: 0x40000000 });
    expect(s.reg(0)).toBe(0);
    expect(s.reg(12) >>> 28).toBe(4);
  });

  test('CBZ/CBNZ, BL/BX and BLX', () => {
    s.run('cbz', { 1: 0 });
    expect(s.reg(0)).toBe(0);
    s.run('cbz', { 1: 5 });
    expect(s.reg(0)).toBe(1);
    s.run('cbnz', { 1: 5 });
    expect(s.reg(0)).toBe(0);
    s.run('call');
    expect(s.reg(0)).toBe(42);
    expect(s.reg(14)).toBe((s.m.symbol('call') + 4) | 1);
    s.run('blx');
    expect(s.reg(0)).toBe(42);
  });

  test('special registers: GE, PRIMASK, BASEPRI (3 priority bits), MSP/PSP switch', () => {
    s.run('ge_bits', { 1: 0xa0000 });
    expect((s.reg(0) >>> 16) & 15).toBe(0xa);
    s.run('primask');
    expect([s.reg(0), s.reg(1)]).toEqual([1, 0]);
    s.run('basepri', { 1: 0xff, 2: 0x40 });
    expect(s.reg(0)).toBe(0xe0);
    expect(s.reg(3)).toBe(0x40);
    s.run('psp', { 1: RAM + 0x800 });
    expect(s.reg(3)).toBe(RAM + 0x800);
    expect(s.reg(0)).toBe(s.reg(4));
    expect(s.reg(5)).toBe(s.reg(4));
  });

  test('SVC stacks a frame, runs the handler in handler mode and returns through EXC_RETURN', () => {
    s.run('svc_test');
    expect(s.reg(4)).toBe(Exc.SVCall);
    expect(s.reg(5)).toBe(s.m.symbol('after_svc'));
    expect(s.reg(6)).toBe(0xfffffff9);
    expect(s.reg(0)).toBe(6); // r0 restored from the frame the handler edited
    expect(s.reg(2)).toBe(0); // back in thread mode
    expect(s.reg(13)).toBe(RAM + 0x10000);
  });

  test('PendSV set through ICSR is taken before the next instruction completes', () => {
    s.run('pendsv_test');
    expect(s.reg(6)).toBe(42);
  });

  test('SysTick wakes WFI; cycles pass in sleep and the handler runs once per period', () => {
    const before = s.cpu.counters();
    const r = s.run('systick_test', {}, 10_000);
    const after = s.cpu.counters();
    expect(s.reg(7)).toBe(3);
    expect(r.cycles).toBeGreaterThanOrEqual(3 * 200);
    expect(r.cycles).toBeLessThan(4 * 200 + 100);
    expect(after.sleep - before.sleep).toBeGreaterThan(3 * 150);
    expect(after.exc - before.exc).toBe(3 * (12 + 10));
  });

  test('a bad access stops the run with a typed fault naming the symbol', () => {
    const r = s.start('fault_test');
    expect(r.reason).toBe('fault');
    expect(r.fault).toMatchObject({
      kind: 'unmapped',
      access: 'read',
      size: 4,
      address: 0x30000000,
      pc: s.m.symbol('fault_insn'),
      pcSymbol: 'fault_insn',
    });
    expect(r.fault!.message).toContain('0x30000000');
    expect(s.start('rom_write').fault).toMatchObject({
      kind: 'readonly',
      access: 'write',
      address: 0,
    });
    expect(s.start('udf').fault).toMatchObject({ kind: 'undefined', pc: s.m.symbol('udf') });
    expect(s.start('jump_unmapped').fault).toMatchObject({
      kind: 'unmapped',
      access: 'exec',
      address: 0x30000000,
    });
  });

  test('with the FPU off (CPACR reset value) a VFP instruction is a NOCP fault', () => {
    const off = new Snippets(SRC, {});
    expect(off.start('vfp_op').fault).toMatchObject({ kind: 'nocp', pc: off.m.symbol('vfp_op') });
  });

  test('without trapping, a fault enters HardFault with a stacked PC; a fault there locks up', () => {
    const h = new Snippets(SRC, { trapFaults: false, fpuEnabled: true });
    h.cpu.vtor = h.m.symbol('vtable');
    const r = h.start('fault_test');
    expect(r.reason).toBe('lockup');
    expect(h.reg(4)).toBe(h.m.symbol('fault_insn'));
    expect(h.reg(5) & 0x8200).toBe(0x8200); // PRECISERR | BFARVALID
    expect(h.reg(6)).toBe(0x30000000);
  });

  test('WFI with nothing that can wake it stops as asleep', () => {
    expect(s.start('sleep_forever').reason).toBe('sleep');
  });

  test('SEV sets the event register so the next WFE does not sleep', () => {
    expect(s.run('sev_wfe').reason).toBe('bkpt');
    expect(s.reg(0)).toBe(1);
  });

  test('step() executes exactly one instruction', () => {
    const c = s.cpu;
    c.pc = s.m.symbol('steps');
    c.sleeping = false;
    const before = c.counters().instructions;
    c.step();
    expect(c.r[0]).toBe(1);
    c.step();
    expect(c.r[0]).toBe(2);
    expect(c.counters().instructions - before).toBe(2);
    expect(c.pc).toBe(s.m.symbol('steps') + 4);
  });

  test('a BKPT hook that returns true continues after the BKPT (semihosting)', () => {
    const seen: number[] = [];
    const h = new Snippets(SRC, {
      fpuEnabled: true,
      onBkpt: (imm, c) => {
        seen.push(imm, c.r[0]!);
        return imm === 0xab;
      },
    });
    const r = h.run('semihost');
    expect(seen).toEqual([0xab, 5, 0, 5]);
    expect(r.bkpt).toBe(0);
    expect(h.reg(1)).toBe(7);
  });

  test('DWT CYCCNT counts the emulated cycles between two reads', () => {
    s.run('dwt', { 1: 3 });
    // Reads see the count at the start of the LDR: the first LDR (2 cycles: nothing
    // pipelines behind a store) and three 1-cycle ALU instructions lie between them.
    expect(s.reg(0)).toBe(2 + 1 + 1 + 1);
  });

  test('code rewritten in RAM is re-decoded (cache invalidation)', () => {
    s.run('smc_test', { 2: 0xbe002007 }); // movs r0, #7; bkpt 0
    expect(s.reg(0)).toBe(7);
    s.run('smc_test', { 2: 0xbe002009 }); // movs r0, #9; bkpt 0
    expect(s.reg(0)).toBe(9);
  });

  test('cycle model: pipelined loads, single-cycle MAC, data-dependent divide, VFP latencies', () => {
    // +1 for the MRS the snippet appends; BKPT costs nothing.
    expect(s.run('cyc_loads', { 1: RAM }).cycles).toBe(2 + 1 + 1 + 1);
    expect(s.run('cyc_alu', { 1: 3, 2: 5 }).cycles).toBe(4 + 1);
    expect(s.run('cyc_div', { 1: 7, 2: 9 }).cycles).toBe(2 + 1);
    const long = s.run('cyc_div', { 1: 0x7fffffff, 2: 3 }).cycles;
    expect(long).toBeGreaterThan(3);
    expect(long).toBeLessThanOrEqual(12 + 1);
    expect(s.run('cyc_vdiv').cycles).toBe(14 + 14 + 3 + 1);
  });
});

if (!armToolchain) test.skip(`control flow: ${SKIP_REASON}`, () => {});
