// 32-bit Thumb-2 encodings of ARMv7E-M (ARMv7-M ARM, A5.3), without the
// coprocessor space (decode-vfp.ts). Letters name fields; see pattern.ts.

import { SRType, decodeImmShift, signExtend, thumbExpandImm } from './alu.ts';
import { type Build, type Ctx, type Fields, alignPc, mk, popcount, rows } from './decode-util.ts';
import * as A from './exec-alu.ts';
import * as C from './exec-ctrl.ts';
import * as D from './exec-dsp.ts';
import * as M from './exec-mem.ts';
import type { Exec, Insn } from './insn.ts';

const { Op } = A;
const set = (i: Insn, v: Partial<Insn>): Insn => Object.assign(i, v);

// ---- data processing ----

const dpNames: Record<number, [string, number]> = {
  0: ['and', Op.AND],
  1: ['bic', Op.BIC],
  2: ['orr', Op.ORR],
  3: ['orn', Op.ORN],
  4: ['eor', Op.EOR],
  8: ['add', Op.ADD],
  10: ['adc', Op.ADC],
  11: ['sbc', Op.SBC],
  13: ['sub', Op.SUB],
  14: ['rsb', Op.RSB],
};

/** Resolves the aliases: TST/TEQ/CMN/CMP when Rd = PC with S; MOV/MVN when Rn = PC. */
function dpAlias(o: number, s: number, d: number, n: number): [string, number] | null {
  const base = dpNames[o];
  if (!base) return null;
  let [name, op] = base;
  if (d === 15 && s === 1) {
    if (op === Op.AND) [name, op] = ['tst', Op.TST];
    else if (op === Op.EOR) [name, op] = ['teq', Op.TEQ];
    else if (op === Op.ADD) [name, op] = ['cmn', Op.CMN];
    else if (op === Op.SUB) [name, op] = ['cmp', Op.CMP];
  }
  if (n === 15) {
    if (op === Op.ORR) [name, op] = ['mov', Op.MOV];
    else if (op === Op.ORN) [name, op] = ['mvn', Op.MVN];
  }
  return [name, op];
}

const dpShiftedReg: Build = (f, x) => {
  const alias = dpAlias(f.o!, f.s!, f.d!, f.n!);
  if (!alias) return null;
  const [name0, op] = alias;
  const s = f.s === 1;
  const [type, amount] = decodeImmShift(f.t!, f.i!);
  const plain = type === SRType.LSL && amount === 0;
  const v: Partial<Insn> = {
    rd: f.d!,
    rn: f.n!,
    rm: f.m!,
    sh: type,
    ra: amount,
    imm2: op,
    s,
    list: 0,
  };
  let name = name0;
  let exec: Exec = A.x_dp_reg;
  if (op === Op.MOV) {
    if (!plain) name = ['lsl', 'lsr', 'asr', 'ror', 'rrx'][type]!;
    if (plain) exec = s ? A.x_movs_reg : A.x_mov_reg;
    else if (s) exec = A.x_shift_imm_s;
    else
      exec =
        type === 0
          ? A.x_lsl_imm
          : type === 1
            ? A.x_lsr_imm
            : type === 2
              ? A.x_asr_imm
              : A.x_shift_imm;
  } else if (plain) {
    const fast: Partial<Record<number, Exec>> = s
      ? { [Op.ADD]: A.x_adds_reg, [Op.SUB]: A.x_subs_reg, [Op.CMP]: A.x_cmp_reg }
      : {
          [Op.ADD]: A.x_add_reg,
          [Op.SUB]: A.x_sub_reg,
          [Op.AND]: A.x_and_reg,
          [Op.ORR]: A.x_orr_reg,
          [Op.EOR]: A.x_eor_reg,
        };
    exec = fast[op] ?? exec;
  } else if (!s && type === SRType.LSL && (op === Op.ADD || op === Op.SUB)) {
    exec = op === Op.ADD ? A.x_add_lsl : A.x_sub_lsl;
  } else if (type !== SRType.RRX && (op === Op.CMP || op === Op.CMN)) {
    exec = A.x_cmp_sh;
  } else if (!s && type !== SRType.RRX && op !== Op.ADC && op !== Op.SBC) {
    exec = A.x_dp_sh;
  }
  return set(mk(x, name, exec, 1), v);
};

const dpModifiedImm: Build = (f, x) => {
  const alias = dpAlias(f.o!, f.s!, f.d!, f.n!);
  if (!alias) return null;
  const [name, op] = alias;
  const s = f.s === 1;
  const [imm, carry] = thumbExpandImm(f.i!);
  const v: Partial<Insn> = { rd: f.d!, rn: f.n!, imm, imm2: op, s, list: carry + 1 };
  let exec: Exec = A.x_dp_imm;
  if (op === Op.MOV) exec = s ? A.x_movs_imm : A.x_mov_imm;
  else if (op === Op.MVN) {
    v.imm = ~imm;
    exec = s ? A.x_movs_imm : A.x_mov_imm;
  } else if (op === Op.CMP) exec = A.x_cmp_imm;
  else if (op === Op.CMN) exec = A.x_cmn_imm;
  else if (op === Op.ADD) exec = s ? A.x_adds_imm : A.x_add_imm;
  else if (op === Op.SUB) exec = s ? A.x_subs_imm : A.x_sub_imm;
  else if (!s) {
    const fast: Partial<Record<number, Exec>> = {
      [Op.AND]: A.x_and_imm,
      [Op.ORR]: A.x_orr_imm,
      [Op.EOR]: A.x_eor_imm,
      [Op.BIC]: A.x_bic_imm,
    };
    exec = fast[op] ?? exec;
  }
  return set(mk(x, name, exec, 1), v);
};

// ---- loads and stores ----

const ldstNames = M.KIND_NAMES;
const immExec = M.IMM_FORMS;
const regExec = M.REG_FORMS;

function ldrPc(x: Ctx, v: Partial<Insn>): Insn {
  return set(mk(x, 'ldr', M.x_ldr_pc, 2), { rm: -1, imm2: 0, ...v });
}

const imm12 =
  (kind: number): Build =>
  (f, x) => {
    if (kind === M.Kind.LDR && f.t === 15) return ldrPc(x, { rn: f.n!, imm: f.i! });
    return set(mk(x, ldstNames[kind]!, immExec[kind]!, 1), { rd: f.t!, rn: f.n!, imm: f.i! });
  };

const imm8 =
  (kind: number): Build =>
  (f, x) => {
    const p = f.p!;
    const w = f.w!;
    if (p === 0 && w === 0) return null;
    const off = f.u ? f.i! : -f.i!;
    const mode = p === 0 ? 2 : w === 1 ? 1 : 0;
    let name = ldstNames[kind]!;
    if (p === 1 && f.u === 1 && w === 0) name += 't'; // unprivileged forms execute as normal accesses
    if (kind === M.Kind.LDR && f.t === 15) return ldrPc(x, { rn: f.n!, imm: off, imm2: mode });
    if (mode === 0) return set(mk(x, name, immExec[kind]!, 1), { rd: f.t!, rn: f.n!, imm: off });
    return set(mk(x, name, M.x_ldst_wb, 1), {
      rd: f.t!,
      rn: f.n!,
      imm: off,
      imm2: mode,
      list: kind,
    });
  };

const reg =
  (kind: number): Build =>
  (f, x) => {
    if (kind === M.Kind.LDR && f.t === 15) return ldrPc(x, { rn: f.n!, rm: f.m!, imm: f.h! });
    return set(mk(x, ldstNames[kind]!, regExec[kind]!, 1), {
      rd: f.t!,
      rn: f.n!,
      rm: f.m!,
      imm: f.h!,
    });
  };

const literal =
  (kind: number): Build =>
  (f, x) => {
    const target = (alignPc(x) + (f.u ? f.i! : -f.i!)) >>> 0;
    if (kind === M.Kind.LDR && f.t === 15) return ldrPc(x, { rn: 15, target });
    const exec = kind === M.Kind.LDR ? M.x_ldr_lit : M.x_ldst_lit;
    return set(mk(x, ldstNames[kind]!, exec, 1), { rd: f.t!, target, list: kind });
  };

const hint =
  (name: string): Build =>
  (_f, x) =>
    mk(x, name, C.x_nop, 1);

/** Rows for one load kind (byte/halfword, signed or not) incl. the preload hints at Rt = PC. */
function loadRows(bits: string, kind: number, hintName: string): [string, Build][] {
  const [s, sz] = [bits[0], bits.slice(1)];
  return [
    [`1111100 ${s} - ${sz} 1111 1111 ------------`, hint(hintName)],
    [`1111100 ${s} 1 ${sz} nnnn 1111 ------------`, hint(hintName)],
    [`1111100 ${s} 0 ${sz} nnnn 1111 1100 --------`, hint(hintName)],
    [`1111100 ${s} 0 ${sz} nnnn 1111 000000 -- ----`, hint(hintName)],
    [`1111100 ${s} u ${sz} 1111 tttt iiiiiiiiiiii`, literal(kind)],
    [`1111100 ${s} 1 ${sz} nnnn tttt iiiiiiiiiiii`, imm12(kind)],
    [`1111100 ${s} 0 ${sz} nnnn tttt 1 p u w iiiiiiii`, imm8(kind)],
    [`1111100 ${s} 0 ${sz} nnnn tttt 000000 hh mmmm`, reg(kind)],
  ];
}

// ---- multiple, dual, exclusive ----

function multiple(x: Ctx, load: boolean, db: boolean, w: number, n: number, list: number): Insn {
  const count = popcount(list);
  let name = (load ? 'ldm' : 'stm') + (db ? 'db' : 'ia');
  if (w === 1 && n === 13 && db && !load) name = 'push';
  if (w === 1 && n === 13 && !db && load) name = 'pop';
  return set(mk(x, name, load ? M.x_ldm : M.x_stm, 1 + count), {
    rn: n,
    list,
    ra: count,
    imm: db ? 1 : 0,
    imm2: w,
  });
}

const dual =
  (load: boolean): Build =>
  (f, x) => {
    if (f.p === 0 && f.w === 0) return null;
    const off = f.u ? f.i! * 4 : -f.i! * 4;
    const mode = f.p === 0 ? 2 : f.w === 1 ? 1 : 0;
    const v: Partial<Insn> = { rd: f.t!, ra: f.T!, rn: f.n!, imm: off, imm2: mode };
    if (load && f.n === 15) {
      v.target = (alignPc(x) + off) >>> 0;
      v.imm2 = 0;
    }
    return set(mk(x, load ? 'ldrd' : 'strd', load ? M.x_ldrd : M.x_strd, 3), v);
  };

// ---- DSP ----

const parallelOps: Record<number, [string, number]> = {
  1: ['add16', 0],
  2: ['asx', 1],
  6: ['sax', 2],
  5: ['sub16', 3],
  0: ['add8', 4],
  4: ['sub8', 5],
};

const extendRow = (ops: string, name: string, exec: Exec): [string, Build] => [
  `11111010 0 ${ops} nnnn 1111 dddd 10 rr mmmm`,
  (f, x) =>
    set(mk(x, f.n === 15 ? name.replace('a', '') : name, exec, 1), {
      rd: f.d!,
      rn: f.n === 15 ? -1 : f.n!,
      rm: f.m!,
      ra: f.r! * 8,
    }),
];

function mul(x: Ctx, name: string, exec: Exec, f: Fields, v: Partial<Insn> = {}): Insn {
  return set(mk(x, name, exec, 1), {
    rd: f.d!,
    rn: f.n!,
    rm: f.m!,
    ra: f.a === 15 ? -1 : f.a!,
    ...v,
  });
}

const xy = (n: number, m: number): string => (n ? 't' : 'b') + (m ? 't' : 'b');

// ---- branches ----

function bT4(f: Fields, x: Ctx): number {
  const s = f.s!;
  const i1 = 1 - (f.j! ^ s);
  const i2 = 1 - (f.k! ^ s);
  const off = signExtend((s << 24) | (i1 << 23) | (i2 << 22) | (f.i! << 1), 25);
  return (x.addr + 4 + off) >>> 0;
}

export const T32 = rows([
  // Load/store multiple
  [
    '1110100 01 0 w 0 nnnn llllllllllllllll',
    (f, x) => multiple(x, false, false, f.w!, f.n!, f.l! & 0x5fff),
  ],
  [
    '1110100 01 0 w 1 nnnn llllllllllllllll',
    (f, x) => multiple(x, true, false, f.w!, f.n!, f.l! & 0xdfff),
  ],
  [
    '1110100 10 0 w 0 nnnn llllllllllllllll',
    (f, x) => multiple(x, false, true, f.w!, f.n!, f.l! & 0x5fff),
  ],
  [
    '1110100 10 0 w 1 nnnn llllllllllllllll',
    (f, x) => multiple(x, true, true, f.w!, f.n!, f.l! & 0xdfff),
  ],
  // Exclusive, table branch, dual
  [
    '111010000100 nnnn tttt dddd iiiiiiii',
    (f, x) =>
      set(mk(x, 'strex', M.x_strex, 2), { rn: f.n!, rd: f.t!, ra: f.d!, imm: f.i! * 4, list: 4 }),
  ],
  [
    '111010000101 nnnn tttt ---- iiiiiiii',
    (f, x) => set(mk(x, 'ldrex', M.x_ldrex, 2), { rn: f.n!, rd: f.t!, imm: f.i! * 4, list: 4 }),
  ],
  [
    '111010001100 nnnn tttt ---- 0100 dddd',
    (f, x) => set(mk(x, 'strexb', M.x_strex, 2), { rn: f.n!, rd: f.t!, ra: f.d!, imm: 0, list: 1 }),
  ],
  [
    '111010001100 nnnn tttt ---- 0101 dddd',
    (f, x) => set(mk(x, 'strexh', M.x_strex, 2), { rn: f.n!, rd: f.t!, ra: f.d!, imm: 0, list: 2 }),
  ],
  [
    '111010001101 nnnn ---- ---- 000 h mmmm',
    (f, x) => set(mk(x, f.h ? 'tbh' : 'tbb', M.x_tb, 2), { rn: f.n!, rm: f.m!, imm: f.h! }),
  ],
  [
    '111010001101 nnnn tttt ---- 0100 ----',
    (f, x) => set(mk(x, 'ldrexb', M.x_ldrex, 2), { rn: f.n!, rd: f.t!, imm: 0, list: 1 }),
  ],
  [
    '111010001101 nnnn tttt ---- 0101 ----',
    (f, x) => set(mk(x, 'ldrexh', M.x_ldrex, 2), { rn: f.n!, rd: f.t!, imm: 0, list: 2 }),
  ],
  ['1110100 p u 1 w 0 nnnn tttt TTTT iiiiiiii', dual(false)],
  ['1110100 p u 1 w 1 nnnn tttt TTTT iiiiiiii', dual(true)],
  // Data processing (shifted register), PKHBT/PKHTB
  [
    '1110101 0110 0 nnnn - iii dddd ii T 0 mmmm',
    (f, x) => {
      const amount = f.T && f.i === 0 ? 32 : f.i!;
      return set(mk(x, f.T ? 'pkhtb' : 'pkhbt', D.x_pkh, 1), {
        rd: f.d!,
        rn: f.n!,
        rm: f.m!,
        ra: amount,
        imm2: f.T!,
      });
    },
  ],
  ['1110101 oooo s nnnn - iii dddd ii tt mmmm', dpShiftedReg],
  // Data processing (modified immediate)
  ['11110 i 0 oooo s nnnn 0 iii dddd iiiiiiii', dpModifiedImm],
  // Data processing (plain binary immediate)
  [
    '11110 i 1 0000 0 nnnn 0 iii dddd iiiiiiii',
    (f, x) =>
      f.n === 15
        ? set(mk(x, 'addw', A.x_mov_imm, 1), { rd: f.d!, imm: (alignPc(x) + f.i!) | 0 })
        : set(mk(x, 'addw', A.x_add_imm, 1), { rd: f.d!, rn: f.n!, imm: f.i! }),
  ],
  [
    '11110 i 1 0010 0 kkkk 0 iii dddd iiiiiiii',
    (f, x) => set(mk(x, 'movw', A.x_mov_imm, 1), { rd: f.d!, imm: (f.k! << 12) | f.i! }),
  ],
  [
    '11110 i 1 0101 0 nnnn 0 iii dddd iiiiiiii',
    (f, x) =>
      f.n === 15
        ? set(mk(x, 'subw', A.x_mov_imm, 1), { rd: f.d!, imm: (alignPc(x) - f.i!) | 0 })
        : set(mk(x, 'subw', A.x_sub_imm, 1), { rd: f.d!, rn: f.n!, imm: f.i! }),
  ],
  [
    '11110 i 1 0110 0 kkkk 0 iii dddd iiiiiiii',
    (f, x) => set(mk(x, 'movt', A.x_movt, 1), { rd: f.d!, imm: (f.k! << 12) | f.i! }),
  ],
  [
    '11110 0 1 100 h 0 nnnn 0 iii dddd ii 0 aaaaa',
    (f, x) => {
      if (f.h === 1 && f.i === 0)
        return set(mk(x, 'ssat16', D.x_ssat16, 1), { rd: f.d!, rn: f.n!, imm: (f.a! & 15) + 1 });
      const [sh, amount] = decodeImmShift(f.h! << 1, f.i!);
      return set(mk(x, 'ssat', D.x_ssat, 1), { rd: f.d!, rn: f.n!, imm: f.a! + 1, sh, ra: amount });
    },
  ],
  [
    '11110 0 1 110 h 0 nnnn 0 iii dddd ii 0 aaaaa',
    (f, x) => {
      if (f.h === 1 && f.i === 0)
        return set(mk(x, 'usat16', D.x_usat16, 1), { rd: f.d!, rn: f.n!, imm: f.a! & 15 });
      const [sh, amount] = decodeImmShift(f.h! << 1, f.i!);
      return set(mk(x, 'usat', D.x_usat, 1), { rd: f.d!, rn: f.n!, imm: f.a!, sh, ra: amount });
    },
  ],
  [
    '11110 0 1 10100 nnnn 0 iii dddd ii 0 wwwww',
    (f, x) => set(mk(x, 'sbfx', A.x_sbfx, 1), { rd: f.d!, rn: f.n!, imm: f.i!, imm2: f.w! + 1 }),
  ],
  [
    '11110 0 1 11100 nnnn 0 iii dddd ii 0 wwwww',
    (f, x) => set(mk(x, 'ubfx', A.x_ubfx, 1), { rd: f.d!, rn: f.n!, imm: f.i!, imm2: f.w! + 1 }),
  ],
  [
    '11110 0 1 10110 nnnn 0 iii dddd ii 0 mmmmm',
    (f, x) =>
      set(mk(x, f.n === 15 ? 'bfc' : 'bfi', A.x_bfi, 1), {
        rd: f.d!,
        rn: f.n === 15 ? -1 : f.n!,
        imm: f.i!,
        imm2: f.m!,
      }),
  ],
  // Branches and miscellaneous control
  [
    '11110 0 1110 0 - nnnn 10 - 0 mm 00 ssssssss',
    (f, x) => set(mk(x, 'msr', C.x_msr, 1), { rn: f.n!, imm: f.s!, imm2: f.s! < 4 ? f.m! : 2 }),
  ],
  [
    '11110 0 1110 1 - 1111 10 - 0 - 000 oooooooo',
    (f, x) => {
      const names: Record<number, [string, Exec]> = {
        0: ['nop', C.x_nop],
        1: ['yield', C.x_nop],
        2: ['wfe', C.x_wfe],
        3: ['wfi', C.x_wfi],
        4: ['sev', C.x_sev],
      };
      const [name, exec] = names[f.o!] ?? [f.o! >= 0xf0 ? 'dbg' : 'nop', C.x_nop];
      return mk(x, name, exec, 1);
    },
  ],
  [
    '11110 0 1110 1 1 1111 10 - 0 ---- oooo ----',
    (f, x) => {
      switch (f.o) {
        case 2:
          return mk(x, 'clrex', M.x_clrex, 1);
        case 4:
          return mk(x, 'dsb', C.x_nop, 1);
        case 5:
          return mk(x, 'dmb', C.x_nop, 1);
        case 6:
          return mk(x, 'isb', C.x_isb, 1);
        default:
          return null;
      }
    },
  ],
  [
    '11110 0 1111 1 - 1111 10 - 0 dddd ssssssss',
    (f, x) => set(mk(x, 'mrs', C.x_mrs, 1), { rd: f.d!, imm: f.s! }),
  ],
  ['11110 1111111 iiii 1010 iiiiiiiiiiii', (f, x) => set(mk(x, 'udf', C.x_udf, 1), { imm: f.i! })],
  [
    '11110 s cccc iiiiii 10 j 0 k iiiiiiiiiii',
    (f, x) => {
      if (f.c! >= 14) return null;
      const off = signExtend((f.s! << 20) | (f.k! << 19) | (f.j! << 18) | (f.i! << 1), 21);
      return set(mk(x, 'b', C.bcondExec[f.c!]!, 1), {
        cond: f.c!,
        target: (x.addr + 4 + off) >>> 0,
      });
    },
  ],
  [
    '11110 s iiiiiiiiii 10 j 1 k iiiiiiiiiii',
    (f, x) => set(mk(x, 'b', C.x_b, 1), { target: bT4(f, x) }),
  ],
  [
    '11110 s iiiiiiiiii 11 j 1 k iiiiiiiiiii',
    (f, x) => set(mk(x, 'bl', C.x_bl, 1), { target: bT4(f, x) }),
  ],
  // Store single data item
  ...(
    [
      ['00', M.Kind.STRB],
      ['01', M.Kind.STRH],
      ['10', M.Kind.STR],
    ] as const
  ).flatMap(([sz, kind]): [string, Build][] => [
    [`111110001 ${sz} 0 nnnn tttt iiiiiiiiiiii`, imm12(kind)],
    [`111110000 ${sz} 0 nnnn tttt 1 p u w iiiiiiii`, imm8(kind)],
    [`111110000 ${sz} 0 nnnn tttt 000000 hh mmmm`, reg(kind)],
  ]),
  // Loads (word; byte and halfword with their preload/unallocated hints)
  ['11111000 u 101 1111 tttt iiiiiiiiiiii', literal(M.Kind.LDR)],
  ['111110001101 nnnn tttt iiiiiiiiiiii', imm12(M.Kind.LDR)],
  ['111110000101 nnnn tttt 1 p u w iiiiiiii', imm8(M.Kind.LDR)],
  ['111110000101 nnnn tttt 000000 hh mmmm', reg(M.Kind.LDR)],
  ...loadRows('0001', M.Kind.LDRB, 'pld'),
  ...loadRows('1001', M.Kind.LDRSB, 'pli'),
  ...loadRows('0011', M.Kind.LDRH, 'nop'),
  ...loadRows('1011', M.Kind.LDRSH, 'nop'),
  // Data processing (register)
  [
    '11111010 0 tt s nnnn 1111 dddd 0000 mmmm',
    (f, x) =>
      set(mk(x, ['lsl', 'lsr', 'asr', 'ror'][f.t!]!, A.x_shift_reg, 1), {
        rd: f.d!,
        rn: f.n!,
        rm: f.m!,
        sh: f.t!,
        s: f.s === 1,
      }),
  ],
  extendRow('000', 'sxtah', A.x_sxth),
  extendRow('001', 'uxtah', A.x_uxth),
  extendRow('010', 'sxtab16', A.x_sxtb16),
  extendRow('011', 'uxtab16', A.x_uxtb16),
  extendRow('100', 'sxtab', A.x_sxtb),
  extendRow('101', 'uxtab', A.x_uxtb),
  [
    '11111010 1 ooo nnnn 1111 dddd 0 u pp mmmm',
    (f, x) => {
      const op = parallelOps[f.o!];
      if (!op || f.p === 3) return null;
      const variant = f.u! * 3 + f.p!;
      const prefix = ['s', 'q', 'sh', 'u', 'uq', 'uh'][variant]!;
      return set(mk(x, prefix + op[0], D.x_parallel, 1), {
        rd: f.d!,
        rn: f.n!,
        rm: f.m!,
        imm: variant,
        imm2: op[1],
      });
    },
  ],
  [
    '11111010 10 00 nnnn 1111 dddd 10 pp mmmm',
    (f, x) =>
      set(mk(x, ['qadd', 'qdadd', 'qsub', 'qdsub'][f.p!]!, D.x_qaddsub, 1), {
        rd: f.d!,
        rn: f.n!,
        rm: f.m!,
        imm: [0, 2, 1, 3][f.p!]!,
      }),
  ],
  [
    '11111010 10 01 nnnn 1111 dddd 10 pp mmmm',
    (f, x) =>
      set(
        mk(
          x,
          ['rev', 'rev16', 'rbit', 'revsh'][f.p!]!,
          [A.x_rev, A.x_rev16, A.x_rbit, A.x_revsh][f.p!]!,
          1,
        ),
        { rd: f.d!, rm: f.m! },
      ),
  ],
  [
    '11111010 10 10 nnnn 1111 dddd 10 00 mmmm',
    (f, x) => set(mk(x, 'sel', D.x_sel, 1), { rd: f.d!, rn: f.n!, rm: f.m! }),
  ],
  [
    '11111010 10 11 nnnn 1111 dddd 10 00 mmmm',
    (f, x) => set(mk(x, 'clz', A.x_clz, 1), { rd: f.d!, rm: f.m! }),
  ],
  // Multiply, multiply accumulate, absolute difference
  [
    '111110110 000 nnnn aaaa dddd 00 pp mmmm',
    (f, x) => {
      if (f.p === 0)
        return f.a === 15 ? mul(x, 'mul', A.x_mul, f, { s: false }) : mul(x, 'mla', A.x_mla, f);
      if (f.p === 1) return mul(x, 'mls', A.x_mls, f);
      return null;
    },
  ],
  [
    '111110110 001 nnnn aaaa dddd 00 NM mmmm',
    (f, x) =>
      f.a === 15
        ? mul(x, 'smul' + xy(f.N!, f.M!), D.x_smulxy, f, { imm: f.N!, imm2: f.M! })
        : mul(x, 'smla' + xy(f.N!, f.M!), D.x_smlaxy, f, { imm: f.N!, imm2: f.M! }),
  ],
  [
    '111110110 010 nnnn aaaa dddd 000 X mmmm',
    (f, x) =>
      mul(x, (f.a === 15 ? 'smuad' : 'smlad') + (f.X ? 'x' : ''), D.x_smlad, f, { imm: f.X! }),
  ],
  [
    '111110110 011 nnnn aaaa dddd 000 M mmmm',
    (f, x) =>
      f.a === 15
        ? mul(x, 'smulw' + (f.M ? 't' : 'b'), D.x_smulwy, f, { imm2: f.M! })
        : mul(x, 'smlaw' + (f.M ? 't' : 'b'), D.x_smlawy, f, { imm2: f.M! }),
  ],
  [
    '111110110 100 nnnn aaaa dddd 000 X mmmm',
    (f, x) =>
      mul(x, (f.a === 15 ? 'smusd' : 'smlsd') + (f.X ? 'x' : ''), D.x_smlsd, f, { imm: f.X! }),
  ],
  [
    '111110110 101 nnnn aaaa dddd 000 R mmmm',
    (f, x) =>
      mul(x, (f.a === 15 ? 'smmul' : 'smmla') + (f.R ? 'r' : ''), D.x_smmla, f, {
        imm: f.R!,
        imm2: 0,
      }),
  ],
  [
    '111110110 110 nnnn aaaa dddd 000 R mmmm',
    (f, x) => mul(x, 'smmls' + (f.R ? 'r' : ''), D.x_smmla, f, { imm: f.R!, imm2: 1 }),
  ],
  [
    '111110110 111 nnnn aaaa dddd 0000 mmmm',
    (f, x) => mul(x, f.a === 15 ? 'usad8' : 'usada8', D.x_usad8, f),
  ],
  // Long multiply, long multiply accumulate, divide (l = RdLo, h = RdHi)
  ...(
    [
      ['000', '0000', 'smull', D.x_smull],
      ['010', '0000', 'umull', D.x_umull],
      ['100', '0000', 'smlal', D.x_smlal],
      ['110', '0000', 'umlal', D.x_umlal],
      ['110', '0110', 'umaal', D.x_umaal],
    ] as const
  ).map(([o, p, name, exec]): [string, Build] => [
    `111110111 ${o} nnnn llll hhhh ${p} mmmm`,
    (f, x) => set(mk(x, name, exec, 1), { rd: f.l!, ra: f.h!, rn: f.n!, rm: f.m! }),
  ]),
  [
    '111110111 001 nnnn 1111 dddd 1111 mmmm',
    (f, x) => set(mk(x, 'sdiv', A.x_sdiv, 1), { rd: f.d!, rn: f.n!, rm: f.m! }),
  ],
  [
    '111110111 011 nnnn 1111 dddd 1111 mmmm',
    (f, x) => set(mk(x, 'udiv', A.x_udiv, 1), { rd: f.d!, rn: f.n!, rm: f.m! }),
  ],
  [
    '111110111 100 nnnn llll hhhh 10 NM mmmm',
    (f, x) =>
      set(mk(x, 'smlal' + xy(f.N!, f.M!), D.x_smlalxy, 1), {
        rd: f.l!,
        ra: f.h!,
        rn: f.n!,
        rm: f.m!,
        imm: f.N!,
        imm2: f.M!,
      }),
  ],
  [
    '111110111 10 S nnnn llll hhhh 110 X mmmm',
    (f, x) =>
      set(mk(x, (f.S ? 'smlsld' : 'smlald') + (f.X ? 'x' : ''), D.x_smlald, 1), {
        rd: f.l!,
        ra: f.h!,
        rn: f.n!,
        rm: f.m!,
        imm: f.X!,
        imm2: f.S!,
      }),
  ],
]);
