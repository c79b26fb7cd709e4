// Decoder entry point: picks the 16-bit, 32-bit or VFP table, builds the
// decoded instruction, and for IT-sensitive 16-bit encodings also the variant
// used inside IT blocks. Anything unmatched decodes to 'undefined', which
// raises a UsageFault (UNDEFINSTR) when executed; coprocessor encodings other
// than CP10/CP11 raise NOCP.

import { type Ctx, match, mk } from './decode-util.ts';
import { T16, itSensitive16 } from './decode-t16.ts';
import { T32 } from './decode-t32.ts';
import { VFP } from './decode-vfp.ts';
import { AccessFault } from './faults.ts';
import type { Exec, Insn } from './insn.ts';
import { classify } from './timing.ts';

const x_undefined: Exec = (c) => c.undefinedInstruction();
const x_nocp: Exec = (c) => {
  throw new AccessFault('nocp', (c.r[15]! - 4) >>> 0, 'none', 0);
};

export function isWide(hw1: number): boolean {
  return hw1 >>> 11 >= 0x1d;
}

function decodeWith(hw1: number, hw2: number, addr: number, inIT: boolean): Insn {
  if (!isWide(hw1)) {
    const x: Ctx = { addr, raw: hw1, size: 2, inIT };
    return match(T16, hw1, x) ?? mk(x, 'undefined', x_undefined, 1);
  }
  const word = ((hw1 << 16) | hw2) >>> 0;
  const x: Ctx = { addr, raw: word, size: 4, inIT };
  // Coprocessor space: 111x 11xx xxxx xxxx.
  if ((hw1 & 0xec00) === 0xec00) {
    if ((hw2 & 0x0e00) === 0x0a00 && (hw1 & 0x1000) === 0) {
      return match(VFP, word, x) ?? mk(x, 'undefined', x_undefined, 1);
    }
    return mk(x, 'undefined', x_nocp, 1);
  }
  return match(T32, word, x) ?? mk(x, 'undefined', x_undefined, 1);
}

/** Decodes the instruction at addr (hw2 is ignored for 16-bit encodings). */
export function decode(hw1: number, hw2: number, addr: number): Insn {
  const insn = decodeWith(hw1, hw2, addr, false);
  classify(insn);
  if (!isWide(hw1) && itSensitive16(hw1)) {
    insn.alt = decodeWith(hw1, hw2, addr, true);
    classify(insn.alt);
  }
  return insn;
}
