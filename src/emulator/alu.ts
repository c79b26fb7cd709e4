// Integer building blocks shared by the executors and the decoder: condition
// codes, the barrel shifter, Thumb modified immediates, 32x32->64 products
// and saturation. Values are int32 (as stored in the Int32Array register file)
// unless a name says unsigned.

import type { Cpu } from './cpu.ts';

export const SRType = { LSL: 0, LSR: 1, ASR: 2, ROR: 3, RRX: 4 } as const;

/** ConditionPassed for the 4-bit condition field (14 = always; 15 treated as always). */
export function condPassed(c: Cpu, cond: number): boolean {
  switch (cond) {
    case 0:
      return c.zf === 0;
    case 1:
      return c.zf !== 0;
    case 2:
      return c.cf !== 0;
    case 3:
      return c.cf === 0;
    case 4:
      return c.nf < 0;
    case 5:
      return c.nf >= 0;
    case 6:
      return c.vf !== 0;
    case 7:
      return c.vf === 0;
    case 8:
      return c.cf !== 0 && c.zf !== 0;
    case 9:
      return c.cf === 0 || c.zf === 0;
    case 10:
      return c.nf < 0 === (c.vf !== 0);
    case 11:
      return c.nf < 0 !== (c.vf !== 0);
    case 12:
      return c.zf !== 0 && c.nf < 0 === (c.vf !== 0);
    case 13:
      return c.zf === 0 || c.nf < 0 !== (c.vf !== 0);
    default:
      return true;
  }
}

/** Carry out of the last shiftC call (module slot: avoids allocating a pair). */
export let shiftCarry = 0;

/** Shift_C(value, type, amount, carry_in) for immediate and register shifts. */
export function shiftC(value: number, type: number, amount: number, carryIn: number): number {
  if (type === SRType.RRX) {
    shiftCarry = value & 1;
    return (carryIn << 31) | (value >>> 1) | 0;
  }
  if (amount === 0) {
    shiftCarry = carryIn;
    return value;
  }
  switch (type) {
    case SRType.LSL:
      if (amount < 32) {
        shiftCarry = (value >>> (32 - amount)) & 1;
        return value << amount;
      }
      shiftCarry = amount === 32 ? value & 1 : 0;
      return 0;
    case SRType.LSR:
      if (amount < 32) {
        shiftCarry = (value >>> (amount - 1)) & 1;
        return (value >>> amount) | 0;
      }
      shiftCarry = amount === 32 ? value >>> 31 : 0;
      return 0;
    case SRType.ASR:
      if (amount < 32) {
        shiftCarry = (value >> (amount - 1)) & 1;
        return value >> amount;
      }
      shiftCarry = value >>> 31;
      return value >> 31;
    default: {
      // ROR: amount taken mod 32; a multiple of 32 leaves the value, carry = bit 31.
      const m = amount & 31;
      const res = m === 0 ? value : (value >>> m) | (value << (32 - m));
      shiftCarry = res >>> 31;
      return res;
    }
  }
}

/** DecodeImmShift: (type, imm5) -> [SRType, amount]. */
export function decodeImmShift(type: number, imm5: number): [number, number] {
  switch (type) {
    case 0:
      return [SRType.LSL, imm5];
    case 1:
      return [SRType.LSR, imm5 === 0 ? 32 : imm5];
    case 2:
      return [SRType.ASR, imm5 === 0 ? 32 : imm5];
    default:
      return imm5 === 0 ? [SRType.RRX, 1] : [SRType.ROR, imm5];
  }
}

/**
 * ThumbExpandImm_C. Returns [imm32 (int32), carry] where carry is -1 when the
 * encoding leaves the carry flag unchanged.
 */
export function thumbExpandImm(imm12: number): [number, number] {
  if (imm12 >>> 10 === 0) {
    const b = imm12 & 0xff;
    switch ((imm12 >>> 8) & 3) {
      case 0:
        return [b, -1];
      case 1:
        return [(b << 16) | b, -1];
      case 2:
        return [(b << 24) | (b << 8), -1];
      default:
        return [(b << 24) | (b << 16) | (b << 8) | b, -1];
    }
  }
  const unrot = 0x80 | (imm12 & 0x7f);
  const rot = imm12 >>> 7;
  const v = (unrot >>> rot) | (unrot << (32 - rot));
  return [v, v >>> 31];
}

export function signExtend(value: number, bits: number): number {
  const s = 32 - bits;
  return (value << s) >> s;
}

// ---- 64-bit products (exact, without BigInt) ----

/** High word of the last mul64 call. */
export let hi32 = 0;

/**
 * Signed 32x32 -> 64. Returns the low word (int32); the high word is in hi32.
 * The double product is within 2^11 of the exact one, so rounding (p - lo)/2^32
 * recovers the exact high word.
 */
export function smul64(a: number, b: number): number {
  const lo = Math.imul(a, b);
  hi32 = Math.round((a * b - (lo >>> 0)) / 4294967296) | 0;
  return lo;
}

export function umul64(a: number, b: number): number {
  const ua = a >>> 0;
  const ub = b >>> 0;
  const lo = Math.imul(a, b);
  hi32 = Math.round((ua * ub - (lo >>> 0)) / 4294967296) | 0;
  return lo;
}

/** (hi:lo) + (hi2:lo2) as 64-bit; returns low word, high word in hi32. */
export function add64(lo: number, hi: number, lo2: number, hi2: number): number {
  const l = (lo >>> 0) + (lo2 >>> 0);
  hi32 = (hi + hi2 + (l > 0xffffffff ? 1 : 0)) | 0;
  return l | 0;
}

/** (hi:lo) - (hi2:lo2) as 64-bit. */
export function sub64(lo: number, hi: number, lo2: number, hi2: number): number {
  const l = (lo >>> 0) - (lo2 >>> 0);
  hi32 = (hi - hi2 - (l < 0 ? 1 : 0)) | 0;
  return l | 0;
}

// ---- saturation ----

/** Set by the saturating helpers when they clamp. */
export let saturated = false;

export function clearSaturated(): void {
  saturated = false;
}

/** SignedSatQ(x, n) for an exact integer x (a JS number). */
export function ssat(x: number, n: number): number {
  const max = 2 ** (n - 1) - 1;
  if (x > max) {
    saturated = true;
    return max;
  }
  if (x < -max - 1) {
    saturated = true;
    return -max - 1;
  }
  return x;
}

/** UnsignedSatQ(x, n). */
export function usat(x: number, n: number): number {
  const max = 2 ** n - 1;
  if (x > max) {
    saturated = true;
    return max;
  }
  if (x < 0) {
    saturated = true;
    return 0;
  }
  return x;
}
