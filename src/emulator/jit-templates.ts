// Inline JavaScript for the hottest simple executors (jit.ts). Each template
// restates its executor with the instruction's fields as constants, so the
// compiled block does the operation without a call; anything without a
// template is called. The JIT differential test runs every snippet of the
// emulator tests compiled and interpreted and compares the machine state,
// which is what keeps these in step with the executors.

import * as A from './exec-alu.ts';
import * as C from './exec-ctrl.ts';
import * as D from './exec-dsp.ts';
import * as M from './exec-mem.ts';
import type { Exec, Insn } from './insn.ts';

type Template = (d: Insn, k: number) => string | null;

const R = (n: number): string => `r[${n}]`;

const addFlags = (a: string, b: string, res: string): string =>
  `c.nf = ${res}; c.zf = ${res}; c.cf = (${a} >>> 0) + (${b} >>> 0) > 0xffffffff ? 1 : 0; c.vf = ((${a} ^ ${res}) & (${b} ^ ${res})) >>> 31;`;
const subFlags = (a: string, b: string, res: string): string =>
  `c.nf = ${res}; c.zf = ${res}; c.cf = ${a} >>> 0 >= ${b} >>> 0 ? 1 : 0; c.vf = ((${a} ^ ${b}) & (${a} ^ ${res})) >>> 31;`;
const nz = (v: string): string => `c.nf = ${v}; c.zf = ${v};`;

/** A shift by a constant amount (exec-alu shImm: no carry out). */
function shImm(v: string, type: number, n: number): string {
  switch (type) {
    case 0:
      return n === 32 ? '0' : `(${v} << ${n})`;
    case 1:
      return n === 32 ? '0' : `((${v} >>> ${n}) | 0)`;
    case 2:
      return `(${v} >> ${n === 32 ? 31 : n})`;
    default:
      return `((${v} >>> ${n}) | (${v} << ${32 - n}))`;
  }
}

/** Taken-branch cost: the refill is computed on first use and kept in imm2 (exec-ctrl refillDirect). */
const takeBranch = (d: Insn, k: number): string =>
  `c.pc = ${d.target >>> 0}; { const p = i${k}.imm2; c.cycles += p !== 0 ? p : (i${k}.imm2 = c.refill(${d.target >>> 0}, false)); }`;

const COND = [
  'c.zf === 0',
  'c.zf !== 0',
  'c.cf !== 0',
  'c.cf === 0',
  'c.nf < 0',
  'c.nf >= 0',
  'c.vf !== 0',
  'c.vf === 0',
  '(c.cf !== 0 && c.zf !== 0)',
  '(c.cf === 0 || c.zf === 0)',
  '((c.nf < 0) === (c.vf !== 0))',
  '((c.nf < 0) !== (c.vf !== 0))',
  '(c.zf !== 0 && (c.nf < 0) === (c.vf !== 0))',
  '(c.zf === 0 || (c.nf < 0) !== (c.vf !== 0))',
];

/** Rotation then optional accumulate, as the extend executors do (i.ra = rotation, i.rn < 0: none). */
function extend(d: Insn, body: (v: string) => string): string {
  const rot = d.ra === 0 ? R(d.rm) : `((${R(d.rm)} >>> ${d.ra}) | (${R(d.rm)} << ${32 - d.ra}))`;
  const v = body(rot);
  return d.rn < 0 ? `${R(d.rd)} = ${v};` : `${R(d.rd)} = (${R(d.rn)} + ${v}) | 0;`;
}

const T = new Map<Exec, Template>([
  // ---- moves and arithmetic ----
  [A.x_mov_imm, (d) => `${R(d.rd)} = ${d.imm};`],
  [
    A.x_movs_imm,
    (d) =>
      `${R(d.rd)} = ${d.imm}; ${nz(String(d.imm))}${d.list !== 0 ? ` c.cf = ${d.list - 1};` : ''}`,
  ],
  [A.x_mov_reg, (d) => `${R(d.rd)} = ${R(d.rm)};`],
  [A.x_movs_reg, (d) => `{ const v = ${R(d.rm)}; ${R(d.rd)} = v; ${nz('v')} }`],
  [A.x_movt, (d) => `${R(d.rd)} = (${R(d.rd)} & 0xffff) | ${d.imm << 16};`],
  [A.x_add_imm, (d) => `${R(d.rd)} = (${R(d.rn)} + ${d.imm}) | 0;`],
  [A.x_sub_imm, (d) => `${R(d.rd)} = (${R(d.rn)} - ${d.imm}) | 0;`],
  [
    A.x_adds_imm,
    (d) =>
      `{ const a = ${R(d.rn)}; const res = (a + ${d.imm}) | 0; ${R(d.rd)} = res; ${addFlags('a', String(d.imm), 'res')} }`,
  ],
  [
    A.x_subs_imm,
    (d) =>
      `{ const a = ${R(d.rn)}; const res = (a - ${d.imm}) | 0; ${R(d.rd)} = res; ${subFlags('a', String(d.imm), 'res')} }`,
  ],
  [
    A.x_cmp_imm,
    (d) =>
      `{ const a = ${R(d.rn)}; const res = (a - ${d.imm}) | 0; ${subFlags('a', String(d.imm), 'res')} }`,
  ],
  [
    A.x_cmn_imm,
    (d) =>
      `{ const a = ${R(d.rn)}; const res = (a + ${d.imm}) | 0; ${addFlags('a', String(d.imm), 'res')} }`,
  ],
  [A.x_add_reg, (d) => `${R(d.rd)} = (${R(d.rn)} + ${R(d.rm)}) | 0;`],
  [A.x_sub_reg, (d) => `${R(d.rd)} = (${R(d.rn)} - ${R(d.rm)}) | 0;`],
  [
    A.x_adds_reg,
    (d) =>
      `{ const a = ${R(d.rn)}, b = ${R(d.rm)}; const res = (a + b) | 0; ${R(d.rd)} = res; ${addFlags('a', 'b', 'res')} }`,
  ],
  [
    A.x_subs_reg,
    (d) =>
      `{ const a = ${R(d.rn)}, b = ${R(d.rm)}; const res = (a - b) | 0; ${R(d.rd)} = res; ${subFlags('a', 'b', 'res')} }`,
  ],
  [
    A.x_cmp_reg,
    (d) =>
      `{ const a = ${R(d.rn)}, b = ${R(d.rm)}; const res = (a - b) | 0; ${subFlags('a', 'b', 'res')} }`,
  ],
  [
    A.x_cmn_reg,
    (d) =>
      `{ const a = ${R(d.rn)}, b = ${R(d.rm)}; const res = (a + b) | 0; ${addFlags('a', 'b', 'res')} }`,
  ],
  [A.x_add_lsl, (d) => `${R(d.rd)} = (${R(d.rn)} + (${R(d.rm)} << ${d.ra})) | 0;`],
  [A.x_sub_lsl, (d) => `${R(d.rd)} = (${R(d.rn)} - (${R(d.rm)} << ${d.ra})) | 0;`],
  // ---- logical ----
  [A.x_and_reg, (d) => `${R(d.rd)} = ${R(d.rn)} & ${R(d.rm)};`],
  [A.x_orr_reg, (d) => `${R(d.rd)} = ${R(d.rn)} | ${R(d.rm)};`],
  [A.x_eor_reg, (d) => `${R(d.rd)} = ${R(d.rn)} ^ ${R(d.rm)};`],
  [A.x_and_imm, (d) => `${R(d.rd)} = ${R(d.rn)} & ${d.imm};`],
  [A.x_orr_imm, (d) => `${R(d.rd)} = ${R(d.rn)} | ${d.imm};`],
  [A.x_eor_imm, (d) => `${R(d.rd)} = ${R(d.rn)} ^ ${d.imm};`],
  [A.x_bic_imm, (d) => `${R(d.rd)} = ${R(d.rn)} & ${~d.imm};`],
  [A.x_ands_reg, (d) => `{ const v = ${R(d.rn)} & ${R(d.rm)}; ${R(d.rd)} = v; ${nz('v')} }`],
  [A.x_eors_reg, (d) => `{ const v = ${R(d.rn)} ^ ${R(d.rm)}; ${R(d.rd)} = v; ${nz('v')} }`],
  [A.x_orrs_reg, (d) => `{ const v = ${R(d.rn)} | ${R(d.rm)}; ${R(d.rd)} = v; ${nz('v')} }`],
  [A.x_bics_reg, (d) => `{ const v = ${R(d.rn)} & ~${R(d.rm)}; ${R(d.rd)} = v; ${nz('v')} }`],
  [A.x_tst_reg, (d) => `{ const v = ${R(d.rn)} & ${R(d.rm)}; ${nz('v')} }`],
  [
    A.x_dp_sh,
    (d) => {
      const b = shImm(R(d.rm), d.sh, d.ra);
      const a = R(d.rn);
      const ops: Record<number, string> = {
        [A.Op.AND]: `${a} & ${b}`,
        [A.Op.BIC]: `${a} & ~${b}`,
        [A.Op.ORR]: `${a} | ${b}`,
        [A.Op.ORN]: `${a} | ~${b}`,
        [A.Op.EOR]: `${a} ^ ${b}`,
        [A.Op.ADD]: `(${a} + ${b}) | 0`,
        [A.Op.SUB]: `(${a} - ${b}) | 0`,
        [A.Op.RSB]: `(${b} - ${a}) | 0`,
        [A.Op.MVN]: `~${b}`,
      };
      return `${R(d.rd)} = ${ops[d.imm2] ?? '0'};`;
    },
  ],
  // ---- shifts ----
  [A.x_lsl_imm, (d) => `${R(d.rd)} = ${R(d.rm)} << ${d.ra};`],
  [A.x_lsr_imm, (d) => `${R(d.rd)} = ${d.ra === 32 ? '0' : `(${R(d.rm)} >>> ${d.ra}) | 0`};`],
  [A.x_asr_imm, (d) => `${R(d.rd)} = ${R(d.rm)} >> ${d.ra === 32 ? 31 : d.ra};`],
  [
    A.x_shift_imm_s,
    (d) => {
      // The common forms (LSL/LSR/ASR by 1..31); others call the executor.
      const n = d.ra;
      if (d.sh > 2 || n < 1 || n > 31) return null;
      const res = ['v << N', '(v >>> N) | 0', 'v >> N'][d.sh]!.replace('N', String(n));
      const carry = [`(v >>> ${32 - n}) & 1`, `(v >>> ${n - 1}) & 1`, `(v >> ${n - 1}) & 1`][d.sh]!;
      return `{ const v = ${R(d.rm)}; const res = ${res}; ${R(d.rd)} = res; ${nz('res')} c.cf = ${carry}; }`;
    },
  ],
  // ---- multiply, bit fields, extends ----
  [
    A.x_mul,
    (d) =>
      d.s
        ? `{ const v = Math.imul(${R(d.rn)}, ${R(d.rm)}); ${R(d.rd)} = v; ${nz('v')} }`
        : `${R(d.rd)} = Math.imul(${R(d.rn)}, ${R(d.rm)});`,
  ],
  [A.x_mla, (d) => `${R(d.rd)} = (Math.imul(${R(d.rn)}, ${R(d.rm)}) + ${R(d.ra)}) | 0;`],
  [A.x_mls, (d) => `${R(d.rd)} = (${R(d.ra)} - Math.imul(${R(d.rn)}, ${R(d.rm)})) | 0;`],
  [
    A.x_ubfx,
    (d) =>
      d.imm2 === 32
        ? `${R(d.rd)} = (${R(d.rn)} >>> ${d.imm}) | 0;`
        : `${R(d.rd)} = (${R(d.rn)} >>> ${d.imm}) & ${(1 << d.imm2) - 1};`,
  ],
  [A.x_sbfx, (d) => `${R(d.rd)} = (${R(d.rn)} << ${32 - d.imm - d.imm2}) >> ${32 - d.imm2};`],
  [A.x_sxtb, (d) => extend(d, (v) => `((${v} << 24) >> 24)`)],
  [A.x_sxth, (d) => extend(d, (v) => `((${v} << 16) >> 16)`)],
  [A.x_uxtb, (d) => extend(d, (v) => `(${v} & 0xff)`)],
  [A.x_uxth, (d) => extend(d, (v) => `(${v} & 0xffff)`)],
  [
    D.x_smlad,
    (d) => {
      const [a, b] = [R(d.rn), R(d.rm)];
      const lo = (x: string): string => `((${x} << 16) >> 16)`;
      const hi = (x: string): string => `(${x} >> 16)`;
      const [p1, p2] = d.imm
        ? [`${lo(a)} * ${hi(b)}`, `${hi(a)} * ${lo(b)}`]
        : [`${lo(a)} * ${lo(b)}`, `${hi(a)} * ${hi(b)}`];
      const acc = d.ra < 0 ? '' : ` + ${R(d.ra)}`;
      return `{ const sum = ${p1} + ${p2}${acc}; const res = sum | 0; if (res !== sum) c.qf = 1; ${R(d.rd)} = res; }`;
    },
  ],
  // ---- branches (direct) ----
  [C.x_b, (d, k) => takeBranch(d, k)],
  [C.x_bl, (d, k) => `r[14] = ${(d.addr + 4) | 1}; ${takeBranch(d, k)}`],
  [C.x_cbz, (d, k) => `if ((${R(d.rn)} !== 0 ? 1 : 0) === ${d.imm}) { ${takeBranch(d, k)} }`],
  ...C.bcondExec.map((e, cond): [Exec, Template] => [
    e,
    (d, k) => `if (${COND[cond]}) { ${takeBranch(d, k)} }`,
  ]),
  // ---- single loads and stores ----
  [M.x_ldr_lit, (d) => `${R(d.rd)} = mem.read32(${d.target >>> 0});`],
]);

// [Rn, #imm] and [Rn, Rm, LSL #imm] forms of every width, and the base-updating forms.
const LOAD_EXPR = [
  (a: string) => `mem.read32(${a})`,
  (a: string) => `mem.read16(${a})`,
  (a: string) => `((mem.read16(${a}) << 16) >> 16)`,
  (a: string) => `mem.read8(${a})`,
  (a: string) => `((mem.read8(${a}) << 24) >> 24)`,
];
const STORE_FN = ['write32', 'write16', 'write8'];

function transfer(kind: number, addr: string, rt: number): string {
  if (kind < M.Kind.STR) return `${R(rt)} = ${LOAD_EXPR[kind]!(addr)};`;
  return `mem.${STORE_FN[kind - M.Kind.STR]}(${addr}, ${R(rt)});`;
}

for (let kind = 0; kind < 8; kind++) {
  T.set(M.IMM_FORMS[kind]!, (d) => transfer(kind, `${R(d.rn)} + ${d.imm}`, d.rd));
  T.set(M.REG_FORMS[kind]!, (d) => transfer(kind, `${R(d.rn)} + (${R(d.rm)} << ${d.imm})`, d.rd));
}
T.set(M.x_ldst_wb, (d) => {
  // Transfer first, then write the base back (the executor's order).
  const addr = d.imm2 === 2 ? 'base' : 'next';
  const wb = d.imm2 !== 0 ? ` ${R(d.rn)} = next;` : '';
  return `{ const base = ${R(d.rn)}; const next = (base + ${d.imm}) | 0; ${transfer(d.list, addr, d.rd)}${wb} }`;
});

/** Inline code for the instruction (k: its index in the block, for i<k>), or null to call its executor. */
export function templateFor(d: Insn, k: number): string | null {
  const t = T.get(d.exec);
  return t === undefined ? null : t(d, k);
}
