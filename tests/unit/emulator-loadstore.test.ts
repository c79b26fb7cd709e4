// Loads and stores in every addressing form, dual and multiple transfers,
// exclusives and table branches, checked against a byte-level model of RAM.

import { beforeAll, describe, expect, test } from 'vitest';
import {
  RAM,
  SKIP_REASON,
  Snippets,
  armToolchain,
  s32,
  snippetSource,
  u32,
} from '../emulator/toolchain.ts';

const BASE = RAM + 0x100;
const pattern = (k: number): number => (k * 37 + 11) & 0xff;
const memByte = (addr: number): number => pattern(addr - RAM);
const word = (addr: number): number =>
  u32(
    memByte(addr) |
      (memByte(addr + 1) << 8) |
      (memByte(addr + 2) << 16) |
      (memByte(addr + 3) << 24),
  );
const half = (addr: number): number => memByte(addr) | (memByte(addr + 1) << 8);

interface Case {
  label: string;
  asm: string;
  regs?: Record<number, number>;
  want: Record<number, number>;
}

const LOADS: Case[] = [
  { label: 'ldr_imm5', asm: 'ldr r0, [r1, #12]', want: { 0: word(BASE + 12), 1: BASE } },
  { label: 'ldr_sp', asm: 'mov sp, r1; ldr r0, [sp, #1020]', want: { 0: word(BASE + 1020) } },
  { label: 'ldr_reg', asm: 'ldr r0, [r1, r2]', regs: { 2: 5 }, want: { 0: word(BASE + 5) } },
  {
    label: 'ldr_reg_lsl',
    asm: 'ldr.w r0, [r1, r2, lsl #2]',
    regs: { 2: 3 },
    want: { 0: word(BASE + 12) },
  },
  { label: 'ldr_imm12', asm: 'ldr.w r0, [r1, #4095]', want: { 0: word(BASE + 4095) } },
  { label: 'ldr_neg', asm: 'ldr r0, [r1, #-255]', want: { 0: word(BASE - 255), 1: BASE } },
  { label: 'ldr_pre', asm: 'ldr r0, [r1, #8]!', want: { 0: word(BASE + 8), 1: BASE + 8 } },
  { label: 'ldr_post', asm: 'ldr r0, [r1], #-4', want: { 0: word(BASE), 1: BASE - 4 } },
  { label: 'ldrt', asm: 'ldrt r0, [r1, #3]', want: { 0: word(BASE + 3) } },
  { label: 'ldrb', asm: 'ldrb r0, [r1, #31]', want: { 0: memByte(BASE + 31) } },
  { label: 'ldrb_post', asm: 'ldrb r0, [r1], #1', want: { 0: memByte(BASE), 1: BASE + 1 } },
  {
    label: 'ldrsb_reg',
    asm: 'ldrsb r0, [r1, r2]',
    regs: { 2: 3 },
    want: { 0: u32((memByte(BASE + 3) << 24) >> 24) },
  },
  {
    label: 'ldrsb_pre',
    asm: 'ldrsb r0, [r1, #-1]!',
    want: { 0: u32((memByte(BASE - 1) << 24) >> 24), 1: BASE - 1 },
  },
  { label: 'ldrh', asm: 'ldrh r0, [r1, #62]', want: { 0: half(BASE + 62) } },
  { label: 'ldrh_odd', asm: 'ldrh.w r0, [r1, #1]', want: { 0: half(BASE + 1) } },
  {
    label: 'ldrsh',
    asm: 'ldrsh.w r0, [r1, r2, lsl #1]',
    regs: { 2: 7 },
    want: { 0: u32((half(BASE + 14) << 16) >> 16) },
  },
  {
    label: 'ldrsh_post',
    asm: 'ldrsh r0, [r1], #2',
    want: { 0: u32((half(BASE) << 16) >> 16), 1: BASE + 2 },
  },
  { label: 'ldrd', asm: 'ldrd r2, r3, [r1, #8]', want: { 2: word(BASE + 8), 3: word(BASE + 12) } },
  {
    label: 'ldrd_pre',
    asm: 'ldrd r2, r3, [r1, #-16]!',
    want: { 2: word(BASE - 16), 3: word(BASE - 12), 1: BASE - 16 },
  },
  {
    label: 'ldrd_post',
    asm: 'ldrd r2, r3, [r1], #24',
    want: { 2: word(BASE), 3: word(BASE + 4), 1: BASE + 24 },
  },
  {
    label: 'ldm',
    asm: 'ldmia r1!, {r2, r3, r5}',
    want: { 2: word(BASE), 3: word(BASE + 4), 5: word(BASE + 8), 1: BASE + 12 },
  },
  {
    label: 'ldm_base_in_list',
    asm: 'ldmia r1, {r1, r2}',
    want: { 1: word(BASE), 2: word(BASE + 4) },
  },
  {
    label: 'ldmdb',
    asm: 'ldmdb r1!, {r2, r3}',
    want: { 2: word(BASE - 8), 3: word(BASE - 4), 1: BASE - 8 },
  },
  {
    label: 'ldmw',
    asm: 'ldmia.w r1, {r2, r8, r9}',
    want: { 2: word(BASE), 8: word(BASE + 4), 9: word(BASE + 8), 1: BASE },
  },
];

interface StoreCase {
  label: string;
  asm: string;
  regs: Record<number, number>;
  /** Bytes expected at addresses (relative to BASE). */
  mem: Array<[number, number[]]>;
  want?: Record<number, number>;
}

const V = 0xa1b2c3d4;
const bytesOf = (v: number, n: number): number[] =>
  Array.from({ length: n }, (_, k) => (v >>> (8 * k)) & 0xff);

const STORES: StoreCase[] = [
  { label: 'str_imm', asm: 'str r0, [r1, #4]', regs: { 0: V }, mem: [[4, bytesOf(V, 4)]] },
  { label: 'str_unaligned', asm: 'str.w r0, [r1, #3]', regs: { 0: V }, mem: [[3, bytesOf(V, 4)]] },
  {
    label: 'str_pre',
    asm: 'str r0, [r1, #-8]!',
    regs: { 0: V },
    mem: [[-8, bytesOf(V, 4)]],
    want: { 1: BASE - 8 },
  },
  {
    label: 'str_post',
    asm: 'str r0, [r1], #12',
    regs: { 0: V },
    mem: [[0, bytesOf(V, 4)]],
    want: { 1: BASE + 12 },
  },
  {
    label: 'str_reg',
    asm: 'str.w r0, [r1, r2, lsl #3]',
    regs: { 0: V, 2: 2 },
    mem: [[16, bytesOf(V, 4)]],
  },
  {
    label: 'strb',
    asm: 'strb r0, [r1, #5]',
    regs: { 0: V },
    mem: [[4, [pattern(0x104), 0xd4, pattern(0x106)]]],
  },
  {
    label: 'strh',
    asm: 'strh.w r0, [r1, #-2]',
    regs: { 0: V },
    mem: [[-2, [0xd4, 0xc3, pattern(0x100)]]],
  },
  {
    label: 'strd',
    asm: 'strd r2, r3, [r1, #-4]!',
    regs: { 2: V, 3: 0x01020304 },
    mem: [[-4, [...bytesOf(V, 4), 4, 3, 2, 1]]],
    want: { 1: BASE - 4 },
  },
  {
    label: 'stm',
    asm: 'stmia r1!, {r2, r3}',
    regs: { 2: 7, 3: 9 },
    mem: [[0, [7, 0, 0, 0, 9, 0, 0, 0]]],
    want: { 1: BASE + 8 },
  },
  {
    label: 'push_pop',
    asm: 'mov sp, r1; push {r2, r3, lr}; pop {r4, r5, r6}',
    regs: { 2: 11, 3: 22, 14: 33 },
    mem: [[-12, [11, 0, 0, 0, 22, 0, 0, 0, 33, 0, 0, 0]]],
    want: { 4: 11, 5: 22, 6: 33, 13: BASE },
  },
  {
    label: 'push_w',
    asm: 'mov sp, r1; push.w {r2, r8, lr}; pop.w {r3, r9, r10}',
    regs: { 2: 1, 8: 2, 14: 3 },
    mem: [[-12, [1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]]],
    want: { 3: 1, 9: 2, 10: 3, 13: BASE },
  },
];

const EXTRA = `
.global excl
excl:
  ldrex r0, [r1]
  add r0, r0, #1
  strex r2, r0, [r1]
  ldrex r3, [r1]
  clrex
  strex r4, r0, [r1]
  ldrexb r5, [r1]
  strexb r6, r5, [r1, #0]
  bkpt 0
.global tbb_test
tbb_test:
  tbb [pc, r0]
tbb_table:
  .byte 2, 4, 6, 0
  movs r1, #10
  bkpt 0
  movs r1, #11
  bkpt 0
  movs r1, #12
  bkpt 0
.global tbh_test
tbh_test:
  tbh [pc, r0, lsl #1]
tbh_table:
  .hword 2, 4
  movs r1, #20
  bkpt 0
  movs r1, #21
  bkpt 0
.global literal
literal:
  ldr r0, =0xcafef00d
  ldr.w r1, lit_word
  ldrd r2, r3, lit_word
  ldrsb.w r4, lit_word
  ldrh.w r5, lit_word
  bkpt 0
.align 2
lit_word:
  .word 0x8182f3f4
  .word 0x12345678
.ltorg
.global ldr_pc
ldr_pc:
  adr r1, target_tbl
  ldr pc, [r1]
.align 2
target_tbl:
  .word landing + 1
landing:
  mov r0, #77
  bkpt 0
.global pop_pc
pop_pc:
  mov sp, r1
  adr r2, landing2
  add r2, r2, #1
  push {r2}
  pop {pc}
.align 2
landing2:
  mov r0, #88
  bkpt 0
`;

describe.skipIf(!armToolchain)('loads and stores', () => {
  let s: Snippets;
  const fill = (): void => {
    const bytes = new Uint8Array(0x2000).map((_, k) => pattern(k));
    s.m.mem.load(RAM, bytes);
  };
  beforeAll(() => {
    s = new Snippets(
      snippetSource([
        ...LOADS.map((c) => [c.label, c.asm] as const),
        ...STORES.map((c) => [c.label, c.asm] as const),
      ]) + EXTRA,
    );
  });

  test.each(LOADS.map((c) => [c.label, c] as const))('%s', (_l, c) => {
    fill();
    s.run(c.label, { 1: BASE, ...c.regs });
    for (const [r, v] of Object.entries(c.want)) expect(s.reg(Number(r)), `r${r}`).toBe(v >>> 0);
  });

  test.each(STORES.map((c) => [c.label, c] as const))('%s', (_l, c) => {
    fill();
    s.run(c.label, { 1: BASE, ...c.regs });
    for (const [off, bytes] of c.mem)
      expect([...s.m.mem.peek(BASE + off, bytes.length)]).toEqual(bytes);
    for (const [r, v] of Object.entries(c.want ?? {}))
      expect(s.reg(Number(r)), `r${r}`).toBe(v >>> 0);
  });

  test('LDREX/STREX succeed once and fail after CLREX', () => {
    fill();
    s.run('excl', { 1: BASE });
    expect(s.reg(2)).toBe(0);
    expect(s.reg(3)).toBe(u32(word(BASE) + 1));
    expect(s.reg(4)).toBe(1);
    expect(s.reg(6)).toBe(0);
  });

  test('TBB and TBH branch through their tables', () => {
    for (const [k, want] of [
      [0, 10],
      [1, 11],
      [2, 12],
    ]) {
      s.run('tbb_test', { 0: k! });
      expect(s.reg(1)).toBe(want);
    }
    for (const [k, want] of [
      [0, 20],
      [1, 21],
    ]) {
      s.run('tbh_test', { 0: k! });
      expect(s.reg(1)).toBe(want);
    }
  });

  test('literal loads of every width', () => {
    s.run('literal');
    expect(s.reg(0)).toBe(0xcafef00d);
    expect(s.reg(1)).toBe(0x8182f3f4);
    expect([s.reg(2), s.reg(3)]).toEqual([0x8182f3f4, 0x12345678]);
    expect(s.reg(4)).toBe(u32(s32(0xfffffff4)));
    expect(s.reg(5)).toBe(0xf3f4);
  });

  test('loads into PC interwork (LDR PC, POP {PC})', () => {
    s.run('ldr_pc');
    expect(s.reg(0)).toBe(77);
    s.run('pop_pc', { 1: BASE });
    expect(s.reg(0)).toBe(88);
  });

  test('LDM from an unaligned base is an alignment fault; LDR is not', () => {
    fill();
    const c = s.cpu;
    c.r[1] = BASE + 2;
    c.pc = s.m.symbol('ldm');
    const r = c.run(1000);
    expect(r.reason).toBe('fault');
    expect(r.fault).toMatchObject({ kind: 'unaligned', address: BASE + 2, pc: s.m.symbol('ldm') });
    s.run('ldr_imm5', { 1: BASE + 1 });
    expect(s.reg(0)).toBe(word(BASE + 13));
  });
});

if (!armToolchain) test.skip(`loads and stores: ${SKIP_REASON}`, () => {});
