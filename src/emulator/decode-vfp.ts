// FPv4-SP encodings (ARMv7-M ARM, A6): extension register load/store, core <->
// extension register transfers, and the VFP data-processing group. Single
// registers are Vx:X (Sd = Vd:D), doubles X:Vx; executors take S indices.

import { type Build, type Ctx, type Fields, alignPc, mk, rows } from './decode-util.ts';
import * as V from './exec-vfp.ts';
import { vfpExpandImm } from './fpu.ts';
import type { Exec, Insn } from './insn.ts';

const set = (i: Insn, v: Partial<Insn>): Insn => Object.assign(i, v);
const sreg = (v: number, x: number): number => (v << 1) | x;
const dreg = (v: number, x: number): number => 2 * ((x << 4) | v);

function three(name: string, exec: Exec, cycles: number, imm = 0): Build {
  return (f: Fields, x: Ctx) =>
    set(mk(x, name, exec, cycles), {
      rd: sreg(f.d!, f.D!),
      rn: sreg(f.n!, f.N!),
      rm: sreg(f.m!, f.M!),
      imm,
    });
}

function two(name: string, exec: Exec, cycles: number, imm = 0): Build {
  return (f: Fields, x: Ctx) =>
    set(mk(x, name, exec, cycles), { rd: sreg(f.d!, f.D!), rm: sreg(f.m!, f.M!), imm });
}

const loadStoreMultiple: Build = (f, x) => {
  const { p, u, w } = f as { p: number; u: number; w: number };
  const ok = (p === 0 && u === 1) || (p === 1 && u === 0 && w === 1);
  if (!ok) return null;
  const double = f.z === 1;
  const words = double ? f.i! & ~1 : f.i!;
  const first = double ? dreg(f.d!, f.D!) : sreg(f.d!, f.D!);
  const load = f.L === 1;
  let name = load ? (p ? 'vldmdb' : 'vldmia') : p ? 'vstmdb' : 'vstmia';
  if (f.n === 13 && w === 1 && !load && p === 1) name = 'vpush';
  if (f.n === 13 && w === 1 && load && p === 0) name = 'vpop';
  return set(mk(x, name, V.x_vldstm, 1 + words), {
    rd: first,
    rn: f.n!,
    list: words,
    imm: p,
    imm2: w,
    ra: load ? 0 : 1,
  });
};

const loadStoreSingle: Build = (f, x) => {
  const double = f.z === 1;
  const off = (f.u ? 1 : -1) * f.i! * 4;
  const load = f.L === 1;
  const v: Partial<Insn> = {
    rd: double ? dreg(f.d!, f.D!) : sreg(f.d!, f.D!),
    rn: f.n!,
    imm: off,
    list: double ? 2 : 1,
  };
  if (load && f.n === 15) v.target = (alignPc(x) + off) >>> 0;
  return set(mk(x, load ? 'vldr' : 'vstr', load ? V.x_vldr : V.x_vstr, 2), v);
};

export const VFP = rows([
  // 64-bit transfers between two core registers and two S / one D register
  [
    '1110 1100 010 o TTTT tttt 1010 00 M 1 mmmm',
    (f, x) =>
      set(mk(x, 'vmov', V.x_vmov_pair, 2), { rd: f.t!, ra: f.T!, rm: sreg(f.m!, f.M!), imm: f.o! }),
  ],
  [
    '1110 1100 010 o TTTT tttt 1011 00 M 1 mmmm',
    (f, x) =>
      set(mk(x, 'vmov', V.x_vmov_pair, 2), { rd: f.t!, ra: f.T!, rm: dreg(f.m!, f.M!), imm: f.o! }),
  ],
  // Extension register load/store
  ['1110 110 p u D w L nnnn dddd 101 z iiiiiiii', loadStoreMultiple],
  ['1110 1101 u D 0 L nnnn dddd 101 z iiiiiiii', loadStoreSingle],
  // 32-bit transfers
  [
    '1110 1110 000 o nnnn tttt 1010 N -- 1 ----',
    (f, x) => set(mk(x, 'vmov', V.x_vmov_core, 1), { rd: f.t!, rn: sreg(f.n!, f.N!), imm: f.o! }),
  ],
  [
    '1110 1110 0 0 k 0 dddd tttt 1011 D 00 1 0000',
    (f, x) =>
      set(mk(x, 'vmov', V.x_vmov_core, 1), { rd: f.t!, rn: dreg(f.d!, f.D!) + f.k!, imm: 0 }),
  ],
  [
    '1110 1110 0 0 k 1 nnnn tttt 1011 N 00 1 0000',
    (f, x) =>
      set(mk(x, 'vmov', V.x_vmov_core, 1), { rd: f.t!, rn: dreg(f.n!, f.N!) + f.k!, imm: 1 }),
  ],
  [
    '1110 1110 1110 0001 tttt 1010 ---1 ----',
    (f, x) => set(mk(x, 'vmsr', V.x_vmsr, 1), { rd: f.t! }),
  ],
  [
    '1110 1110 1111 0001 tttt 1010 ---1 ----',
    (f, x) => set(mk(x, 'vmrs', V.x_vmrs, 1), { rd: f.t! }),
  ],
  // Data processing (single precision only: sz = 0)
  ['1110 1110 0 D 00 nnnn dddd 1010 N 0 M 0 mmmm', three('vmla', V.x_vmla, 3, 0)],
  ['1110 1110 0 D 00 nnnn dddd 1010 N 1 M 0 mmmm', three('vmls', V.x_vmla, 3, 1)],
  ['1110 1110 0 D 01 nnnn dddd 1010 N 0 M 0 mmmm', three('vnmls', V.x_vmla, 3, 2)],
  ['1110 1110 0 D 01 nnnn dddd 1010 N 1 M 0 mmmm', three('vnmla', V.x_vmla, 3, 3)],
  ['1110 1110 0 D 10 nnnn dddd 1010 N 0 M 0 mmmm', three('vmul', V.x_vmul, 1)],
  ['1110 1110 0 D 10 nnnn dddd 1010 N 1 M 0 mmmm', three('vnmul', V.x_vnmul, 1)],
  ['1110 1110 0 D 11 nnnn dddd 1010 N 0 M 0 mmmm', three('vadd', V.x_vadd, 1)],
  ['1110 1110 0 D 11 nnnn dddd 1010 N 1 M 0 mmmm', three('vsub', V.x_vsub, 1)],
  ['1110 1110 1 D 00 nnnn dddd 1010 N 0 M 0 mmmm', three('vdiv', V.x_vdiv, 14)],
  ['1110 1110 1 D 01 nnnn dddd 1010 N 0 M 0 mmmm', three('vfnms', V.x_vfma, 3, 2)],
  ['1110 1110 1 D 01 nnnn dddd 1010 N 1 M 0 mmmm', three('vfnma', V.x_vfma, 3, 3)],
  ['1110 1110 1 D 10 nnnn dddd 1010 N 0 M 0 mmmm', three('vfma', V.x_vfma, 3, 0)],
  ['1110 1110 1 D 10 nnnn dddd 1010 N 1 M 0 mmmm', three('vfms', V.x_vfma, 3, 1)],
  [
    '1110 1110 1 D 11 iiii dddd 1010 0000 iiii',
    (f, x) =>
      set(mk(x, 'vmov', V.x_vmov_imm, 1), { rd: sreg(f.d!, f.D!), imm: vfpExpandImm(f.i!) }),
  ],
  ['1110 1110 1 D 11 0000 dddd 1010 0 1 M 0 mmmm', two('vmov', V.x_vmov_reg, 1)],
  ['1110 1110 1 D 11 0000 dddd 1010 1 1 M 0 mmmm', two('vabs', V.x_vabs, 1)],
  ['1110 1110 1 D 11 0001 dddd 1010 0 1 M 0 mmmm', two('vneg', V.x_vneg, 1)],
  ['1110 1110 1 D 11 0001 dddd 1010 1 1 M 0 mmmm', two('vsqrt', V.x_vsqrt, 14)],
  [
    '1110 1110 1 D 11 001 o dddd 1010 T 1 M 0 mmmm',
    (f, x) => two(f.T ? 'vcvtt' : 'vcvtb', V.x_vcvt_f16, 1, f.o! | (f.T! << 1))(f, x),
  ],
  [
    '1110 1110 1 D 11 0100 dddd 1010 E 1 M 0 mmmm',
    (f, x) => two(f.E ? 'vcmpe' : 'vcmp', V.x_vcmp, 1, f.E!)(f, x),
  ],
  [
    '1110 1110 1 D 11 0101 dddd 1010 E 1 0 0 0000',
    (f, x) =>
      set(mk(x, f.E ? 'vcmpe' : 'vcmp', V.x_vcmp, 1), { rd: sreg(f.d!, f.D!), rm: -1, imm: f.E! }),
  ],
  [
    '1110 1110 1 D 11 1000 dddd 1010 s 1 M 0 mmmm',
    (f, x) => two('vcvt', V.x_vcvt_i2f, 1, f.s!)(f, x),
  ],
  [
    '1110 1110 1 D 11 110 s dddd 1010 r 1 M 0 mmmm',
    (f, x) => two(f.r ? 'vcvt' : 'vcvtr', V.x_vcvt_f2i, 1, f.s! | (f.r! << 1))(f, x),
  ],
  [
    '1110 1110 1 D 11 1 o 1 U dddd 1010 X 1 k 0 iiii',
    (f, x) => {
      const size = f.X ? 32 : 16;
      const fbits = size - ((f.i! << 1) | f.k!);
      if (fbits < 0) return null;
      return set(mk(x, 'vcvt', V.x_vcvt_fixed, 1), {
        rd: sreg(f.d!, f.D!),
        imm: f.o! | (f.U! << 1),
        imm2: size,
        list: fbits,
      });
    },
  ],
]);
