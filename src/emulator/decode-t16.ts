// 16-bit Thumb encodings (ARMv7-M ARM, A5.2). Rows are tried in order; a build
// returning null falls through (e.g. the IT row leaves mask == 0 to the hints).
// Flag setting of the 16-bit ALU forms depends on being inside an IT block:
// `s` below is !x.inIT.

import { signExtend } from './alu.ts';
import { type Build, type Ctx, alignPc, mk, popcount, rows } from './decode-util.ts';
import * as A from './exec-alu.ts';
import * as C from './exec-ctrl.ts';
import * as M from './exec-mem.ts';
import type { Exec, Insn } from './insn.ts';

const { Op } = A;

function dp(
  x: Ctx,
  name: string,
  op: number,
  rd: number,
  rn: number,
  rm: number,
  s: boolean,
): Insn {
  const i = mk(x, name, A.x_dp_reg, 1);
  i.rd = rd;
  i.rn = rn;
  i.rm = rm;
  i.imm2 = op;
  i.s = s;
  i.list = 0;
  return i;
}

function shiftImm(x: Ctx, name: string, type: number, imm5: number, rm: number, rd: number): Insn {
  const s = !x.inIT;
  const amount = type !== 0 && imm5 === 0 ? 32 : imm5;
  let exec = s
    ? A.x_shift_imm_s
    : type === 0
      ? A.x_lsl_imm
      : type === 1
        ? A.x_lsr_imm
        : A.x_asr_imm;
  if (type === 0 && imm5 === 0) exec = A.x_movs_reg; // MOVS Rd, Rm (T2)
  const i = mk(x, type === 0 && imm5 === 0 ? 'mov' : name, exec, 1);
  i.rd = rd;
  i.rm = rm;
  i.sh = type;
  i.ra = amount;
  i.s = s;
  return i;
}

function ldst(x: Ctx, kind: number, rt: number, rn: number, imm: number): Insn {
  const i = mk(x, M.KIND_NAMES[kind]!, M.IMM_FORMS[kind]!, 1);
  i.rd = rt;
  i.rn = rn;
  i.imm = imm;
  return i;
}

function ldstReg(x: Ctx, kind: number, rt: number, rn: number, rm: number): Insn {
  const i = mk(x, M.KIND_NAMES[kind]!, M.REG_FORMS[kind]!, 1);
  i.rd = rt;
  i.rn = rn;
  i.rm = rm;
  i.imm = 0;
  return i;
}

const regKinds = [
  M.Kind.STR,
  M.Kind.STRH,
  M.Kind.STRB,
  M.Kind.LDRSB,
  M.Kind.LDR,
  M.Kind.LDRH,
  M.Kind.LDRB,
  M.Kind.LDRSH,
];

const dpOps: ReadonlyArray<readonly [string, number]> = [
  ['and', Op.AND],
  ['eor', Op.EOR],
  ['lsl', -1],
  ['lsr', -1],
  ['asr', -1],
  ['adc', Op.ADC],
  ['sbc', Op.SBC],
  ['ror', -1],
  ['tst', Op.TST],
  ['rsb', Op.RSB],
  ['cmp', Op.CMP],
  ['cmn', Op.CMN],
  ['orr', Op.ORR],
  ['mul', -2],
  ['bic', Op.BIC],
  ['mvn', Op.MVN],
];

const dataProcessing: Build = (f, x) => {
  const [name, op] = dpOps[f.o!]!;
  const rdn = f.d!;
  const rm = f.m!;
  const compare = op === Op.TST || op === Op.CMP || op === Op.CMN;
  const s = compare || !x.inIT;
  if (op === -1) {
    const i = mk(x, name, A.x_shift_reg, 1);
    i.rd = rdn;
    i.rn = rdn;
    i.rm = rm;
    i.sh = [0, 0, 0, 1, 2, 0, 0, 3][f.o!]!;
    i.s = s;
    return i;
  }
  if (op === -2) {
    const i = mk(x, 'mul', A.x_mul, 1);
    i.rd = rdn;
    i.rn = rm;
    i.rm = rdn;
    i.s = s;
    return i;
  }
  if (op === Op.RSB) {
    // RSBS Rd, Rn, #0
    const i = mk(x, 'rsb', A.x_dp_imm, 1);
    i.rd = rdn;
    i.rn = rm;
    i.imm = 0;
    i.imm2 = Op.RSB;
    i.s = s;
    return i;
  }
  if (op === Op.MVN) return dp(x, name, op, rdn, 0, rm, s);
  const i = dp(x, name, op, rdn, rdn, rm, s);
  const fast: Partial<Record<number, Exec>> = s
    ? {
        [Op.AND]: A.x_ands_reg,
        [Op.EOR]: A.x_eors_reg,
        [Op.ORR]: A.x_orrs_reg,
        [Op.BIC]: A.x_bics_reg,
        [Op.TST]: A.x_tst_reg,
        [Op.CMP]: A.x_cmp_reg,
        [Op.CMN]: A.x_cmn_reg,
        [Op.ADC]: A.x_adcs_reg,
        [Op.SBC]: A.x_sbcs_reg,
      }
    : { [Op.AND]: A.x_and_reg, [Op.EOR]: A.x_eor_reg, [Op.ORR]: A.x_orr_reg };
  i.exec = fast[op] ?? i.exec;
  return i;
};

function branchTarget(x: Ctx, offset: number): number {
  return (x.addr + 4 + offset) >>> 0;
}

export const T16 = rows([
  // Shift (immediate), add, subtract, move, compare
  ['000 00 iiiii mmm ddd', (f, x) => shiftImm(x, 'lsl', 0, f.i!, f.m!, f.d!)],
  ['000 01 iiiii mmm ddd', (f, x) => shiftImm(x, 'lsr', 1, f.i!, f.m!, f.d!)],
  ['000 10 iiiii mmm ddd', (f, x) => shiftImm(x, 'asr', 2, f.i!, f.m!, f.d!)],
  [
    '000 11 0 0 mmm nnn ddd',
    (f, x) => {
      const i = mk(x, 'add', x.inIT ? A.x_add_reg : A.x_adds_reg, 1);
      Object.assign(i, { rd: f.d, rn: f.n, rm: f.m, s: !x.inIT });
      return i;
    },
  ],
  [
    '000 11 0 1 mmm nnn ddd',
    (f, x) => {
      const i = mk(x, 'sub', x.inIT ? A.x_sub_reg : A.x_subs_reg, 1);
      Object.assign(i, { rd: f.d, rn: f.n, rm: f.m, s: !x.inIT });
      return i;
    },
  ],
  [
    '000 11 1 0 iii nnn ddd',
    (f, x) => {
      const i = mk(x, 'add', x.inIT ? A.x_add_imm : A.x_adds_imm, 1);
      Object.assign(i, { rd: f.d, rn: f.n, imm: f.i, s: !x.inIT });
      return i;
    },
  ],
  [
    '000 11 1 1 iii nnn ddd',
    (f, x) => {
      const i = mk(x, 'sub', x.inIT ? A.x_sub_imm : A.x_subs_imm, 1);
      Object.assign(i, { rd: f.d, rn: f.n, imm: f.i, s: !x.inIT });
      return i;
    },
  ],
  [
    '001 00 ddd iiiiiiii',
    (f, x) => {
      const i = mk(x, 'mov', x.inIT ? A.x_mov_imm : A.x_movs_imm, 1);
      Object.assign(i, { rd: f.d, imm: f.i, s: !x.inIT, list: 0 });
      return i;
    },
  ],
  [
    '001 01 nnn iiiiiiii',
    (f, x) => {
      const i = mk(x, 'cmp', A.x_cmp_imm, 1);
      Object.assign(i, { rn: f.n, imm: f.i, s: true });
      return i;
    },
  ],
  [
    '001 10 ddd iiiiiiii',
    (f, x) => {
      const i = mk(x, 'add', x.inIT ? A.x_add_imm : A.x_adds_imm, 1);
      Object.assign(i, { rd: f.d, rn: f.d, imm: f.i, s: !x.inIT });
      return i;
    },
  ],
  [
    '001 11 ddd iiiiiiii',
    (f, x) => {
      const i = mk(x, 'sub', x.inIT ? A.x_sub_imm : A.x_subs_imm, 1);
      Object.assign(i, { rd: f.d, rn: f.d, imm: f.i, s: !x.inIT });
      return i;
    },
  ],
  // Data processing
  ['010000 oooo mmm ddd', dataProcessing],
  // Special data instructions and branch and exchange
  [
    '010001 00 D mmmm ddd',
    (f, x) => {
      const rd = (f.D! << 3) | f.d!;
      if (rd === 15) {
        const i = mk(x, 'add', A.x_mov_pc, 1);
        i.rm = f.m!;
        return i;
      }
      const i = mk(x, 'add', A.x_add_reg, 1);
      Object.assign(i, { rd, rn: rd, rm: f.m });
      return i;
    },
  ],
  [
    '010001 01 N mmmm nnn',
    (f, x) => {
      const i = mk(x, 'cmp', A.x_cmp_reg, 1);
      Object.assign(i, { rn: (f.N! << 3) | f.n!, rm: f.m, s: true });
      return i;
    },
  ],
  [
    '010001 10 D mmmm ddd',
    (f, x) => {
      const rd = (f.D! << 3) | f.d!;
      const i = mk(x, 'mov', rd === 15 ? A.x_mov_pc : A.x_mov_reg, 1);
      Object.assign(i, { rd, rm: f.m });
      return i;
    },
  ],
  [
    '010001 110 mmmm ---',
    (f, x) => {
      const i = mk(x, 'bx', C.x_bx, 1);
      i.rm = f.m!;
      return i;
    },
  ],
  [
    '010001 111 mmmm ---',
    (f, x) => {
      const i = mk(x, 'blx', C.x_blx, 1);
      i.rm = f.m!;
      return i;
    },
  ],
  // Load from literal pool
  [
    '01001 ttt iiiiiiii',
    (f, x) => {
      const i = mk(x, 'ldr', M.x_ldr_lit, 1);
      i.rd = f.t!;
      i.target = (alignPc(x) + f.i! * 4) >>> 0;
      return i;
    },
  ],
  // Load/store single data item
  ['0101 ooo mmm nnn ttt', (f, x) => ldstReg(x, regKinds[f.o!]!, f.t!, f.n!, f.m!)],
  ['011 0 0 iiiii nnn ttt', (f, x) => ldst(x, M.Kind.STR, f.t!, f.n!, f.i! * 4)],
  ['011 0 1 iiiii nnn ttt', (f, x) => ldst(x, M.Kind.LDR, f.t!, f.n!, f.i! * 4)],
  ['011 1 0 iiiii nnn ttt', (f, x) => ldst(x, M.Kind.STRB, f.t!, f.n!, f.i!)],
  ['011 1 1 iiiii nnn ttt', (f, x) => ldst(x, M.Kind.LDRB, f.t!, f.n!, f.i!)],
  ['1000 0 iiiii nnn ttt', (f, x) => ldst(x, M.Kind.STRH, f.t!, f.n!, f.i! * 2)],
  ['1000 1 iiiii nnn ttt', (f, x) => ldst(x, M.Kind.LDRH, f.t!, f.n!, f.i! * 2)],
  ['1001 0 ttt iiiiiiii', (f, x) => ldst(x, M.Kind.STR, f.t!, 13, f.i! * 4)],
  ['1001 1 ttt iiiiiiii', (f, x) => ldst(x, M.Kind.LDR, f.t!, 13, f.i! * 4)],
  // ADR and ADD (SP plus immediate)
  [
    '1010 0 ddd iiiiiiii',
    (f, x) => {
      const i = mk(x, 'add', A.x_mov_imm, 1); // objdump calls it add rd, pc, #imm
      i.rd = f.d!;
      i.imm = (alignPc(x) + f.i! * 4) | 0;
      return i;
    },
  ],
  [
    '1010 1 ddd iiiiiiii',
    (f, x) => {
      const i = mk(x, 'add', A.x_add_imm, 1);
      Object.assign(i, { rd: f.d, rn: 13, imm: f.i! * 4 });
      return i;
    },
  ],
  // Miscellaneous 16-bit instructions
  [
    '1011 0000 0 iiiiiii',
    (f, x) => {
      const i = mk(x, 'add', A.x_add_imm, 1);
      Object.assign(i, { rd: 13, rn: 13, imm: f.i! * 4 });
      return i;
    },
  ],
  [
    '1011 0000 1 iiiiiii',
    (f, x) => {
      const i = mk(x, 'sub', A.x_sub_imm, 1);
      Object.assign(i, { rd: 13, rn: 13, imm: f.i! * 4 });
      return i;
    },
  ],
  [
    '1011 o 0 i 1 iiiii nnn',
    (f, x) => {
      const i = mk(x, f.o ? 'cbnz' : 'cbz', C.x_cbz, 1);
      i.rn = f.n!;
      i.imm = f.o!;
      i.target = branchTarget(x, f.i! * 2);
      return i;
    },
  ],
  ...(
    [
      ['sxth', A.x_sxth],
      ['sxtb', A.x_sxtb],
      ['uxth', A.x_uxth],
      ['uxtb', A.x_uxtb],
    ] as const
  ).map(
    ([name, exec], k) =>
      [
        `1011 0010 ${k >> 1}${k & 1} mmm ddd`,
        (f: Record<string, number>, x: Ctx) => {
          const i = mk(x, name, exec, 1);
          Object.assign(i, { rd: f.d, rm: f.m, rn: -1, ra: 0 });
          return i;
        },
      ] as const,
  ),
  [
    '1011 010 M llllllll',
    (f, x) => {
      const list = (f.M! << 14) | f.l!;
      const i = mk(x, 'push', M.x_stm, 1 + popcount(list));
      Object.assign(i, { rn: 13, list, ra: popcount(list), imm: 1, imm2: 1 });
      return i;
    },
  ],
  [
    '1011 0110 011 m 0 0 i f',
    (f, x) => {
      const i = mk(x, f.m ? 'cpsid' : 'cpsie', C.x_cps, 1);
      i.imm = f.m!;
      i.imm2 = (f.i! << 1) | f.f!;
      return i;
    },
  ],
  ...(
    [
      ['rev', A.x_rev, '00'],
      ['rev16', A.x_rev16, '01'],
      ['revsh', A.x_revsh, '11'],
    ] as const
  ).map(
    ([name, exec, op]) =>
      [
        `1011 1010 ${op} mmm ddd`,
        (f: Record<string, number>, x: Ctx) => {
          const i = mk(x, name, exec, 1);
          Object.assign(i, { rd: f.d, rm: f.m });
          return i;
        },
      ] as const,
  ),
  [
    '1011 110 P llllllll',
    (f, x) => {
      const list = (f.P! << 15) | f.l!;
      const n = popcount(list);
      const i = mk(x, 'pop', M.x_ldm, 1 + n);
      Object.assign(i, { rn: 13, list, ra: n, imm: 0, imm2: 1 });
      return i;
    },
  ],
  [
    '1011 1110 iiiiiiii',
    (f, x) => {
      const i = mk(x, 'bkpt', C.x_bkpt, 0);
      i.imm = f.i!;
      return i;
    },
  ],
  [
    '1011 1111 cccc mmmm',
    (f, x) => {
      if (f.m === 0) return null;
      const i = mk(x, 'it', C.x_it, 0);
      i.imm = (f.c! << 4) | f.m!;
      return i;
    },
  ],
  [
    '1011 1111 oooo 0000',
    (f, x) => {
      switch (f.o) {
        case 1:
          return mk(x, 'yield', C.x_nop, 1);
        case 2:
          return mk(x, 'wfe', C.x_wfe, 1);
        case 3:
          return mk(x, 'wfi', C.x_wfi, 1);
        case 4:
          return mk(x, 'sev', C.x_sev, 1);
        default:
          return mk(x, 'nop', C.x_nop, 1);
      }
    },
  ],
  // Store/load multiple
  [
    '1100 0 nnn llllllll',
    (f, x) => {
      const n = popcount(f.l!);
      const i = mk(x, 'stmia', M.x_stm, 1 + n);
      Object.assign(i, { rn: f.n, list: f.l, ra: n, imm: 0, imm2: 1 });
      return i;
    },
  ],
  [
    '1100 1 nnn llllllll',
    (f, x) => {
      const n = popcount(f.l!);
      const i = mk(x, 'ldmia', M.x_ldm, 1 + n);
      Object.assign(i, { rn: f.n, list: f.l, ra: n, imm: 0, imm2: 1 });
      return i;
    },
  ],
  // Conditional branch, UDF, SVC
  [
    '1101 1110 iiiiiiii',
    (f, x) => {
      const i = mk(x, 'udf', C.x_udf, 1);
      i.imm = f.i!;
      return i;
    },
  ],
  [
    '1101 1111 iiiiiiii',
    (f, x) => {
      const i = mk(x, 'svc', C.x_svc, 1);
      i.imm = f.i!;
      return i;
    },
  ],
  [
    '1101 cccc iiiiiiii',
    (f, x) => {
      const i = mk(x, 'b', C.bcondExec[f.c!]!, 1);
      i.cond = f.c!;
      i.target = branchTarget(x, signExtend(f.i! << 1, 9));
      return i;
    },
  ],
  [
    '11100 iiiiiiiiiii',
    (f, x) => {
      const i = mk(x, 'b', C.x_b, 1);
      i.target = branchTarget(x, signExtend(f.i! << 1, 12));
      return i;
    },
  ],
]);

/** 16-bit encodings whose meaning changes inside an IT block (flag setting). */
export function itSensitive16(hw: number): boolean {
  const top = hw >>> 10;
  // 00xxxx shifts/add/sub/mov (not CMP imm), 010000 data processing (not TST/CMP/CMN)
  if (top < 0x10) return hw >>> 11 !== 0b00101;
  if (top === 0x10) {
    const op = (hw >>> 6) & 15;
    return op !== 8 && op !== 10 && op !== 11;
  }
  return false;
}
