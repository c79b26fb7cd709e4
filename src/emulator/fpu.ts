// IEEE single precision with the ARMv7-M FPv4-SP semantics: FPSCR rounding
// modes, flush-to-zero, default NaN, NaN propagation order and cumulative
// exception flags. Values travel as uint32 bit patterns (NaN payloads survive;
// JS numbers would canonicalise them).
//
// Exactness: every operation forms its exact result as a double plus the sign
// of the residual (TwoSum / Dekker products), collapses that to a double with
// round-to-odd, then rounds to 24 (or 11) bits by the pseudocode's FPRound.
// Round-to-odd at 53 bits followed by rounding to <= 51 bits is exact for all
// rounding modes, so no double-rounding error can creep in.

export const FPSCR = {
  IOC: 1,
  DZC: 2,
  OFC: 4,
  UFC: 8,
  IXC: 16,
  IDC: 128,
  AHP: 1 << 26,
  DN: 1 << 25,
  FZ: 1 << 24,
} as const;

const DEFAULT_NAN = 0x7fc00000;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const w64 = new Uint32Array(f64.buffer);

export function bitsToFloat(b: number): number {
  u32[0] = b;
  return f32[0]!;
}

export function floatToBits(x: number): number {
  f32[0] = x;
  return u32[0]!;
}

export const isNaNBits = (b: number): boolean =>
  (b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0;
const isSNaN = (b: number): boolean => isNaNBits(b) && (b & 0x400000) === 0;
const isInf = (b: number): boolean => (b & 0x7fffffff) === 0x7f800000;
const isZero = (b: number): boolean => (b & 0x7fffffff) === 0;
const isDenormal = (b: number): boolean => (b & 0x7f800000) === 0 && (b & 0x7fffff) !== 0;
const signOf = (b: number): number => b >>> 31;

/** Exception flags raised by the last operation; the executor ORs them into FPSCR. */
export let flags = 0;

export function clearFlags(): void {
  flags = 0;
}

/** FPUnpack's flush-to-zero of denormal inputs (IDC). */
function flush(b: number, fpscr: number): number {
  if ((fpscr & FPSCR.FZ) !== 0 && isDenormal(b)) {
    flags |= FPSCR.IDC;
    return b & 0x80000000;
  }
  return b;
}

function processNaN(b: number, fpscr: number): number {
  let r = b;
  if (isSNaN(b)) {
    flags |= FPSCR.IOC;
    r = (b | 0x400000) >>> 0;
  }
  return (fpscr & FPSCR.DN) !== 0 ? DEFAULT_NAN : r;
}

/** FPProcessNaNs: SNaNs first in operand order, then QNaNs. Returns -1 when no NaN. */
function processNaNs(a: number, b: number, fpscr: number): number {
  if (isSNaN(a)) return processNaN(a, fpscr);
  if (isSNaN(b)) return processNaN(b, fpscr);
  if (isNaNBits(a)) return processNaN(a, fpscr);
  if (isNaNBits(b)) return processNaN(b, fpscr);
  return -1;
}

function processNaNs3(a: number, b: number, c: number, fpscr: number): number {
  if (isSNaN(a)) return processNaN(a, fpscr);
  if (isSNaN(b)) return processNaN(b, fpscr);
  if (isSNaN(c)) return processNaN(c, fpscr);
  if (isNaNBits(a)) return processNaN(a, fpscr);
  if (isNaNBits(b)) return processNaN(b, fpscr);
  if (isNaNBits(c)) return processNaN(c, fpscr);
  return -1;
}

function invalid(): number {
  flags |= FPSCR.IOC;
  return DEFAULT_NAN;
}

const inf = (sign: number): number => ((sign << 31) | 0x7f800000) >>> 0;
const zero = (sign: number): number => (sign << 31) >>> 0;

// ---- rounding ----

/** Moves s one double ulp toward the sign of err when err != 0 and s is even (round-to-odd). */
function toOdd(s: number, err: number): number {
  if (err === 0 || s === 0) return s;
  f64[0] = s;
  if ((w64[0]! & 1) !== 0) return s;
  const away = s > 0 === err > 0;
  // Step the 64-bit pattern: magnitude up when the residual points away from zero.
  let lo = w64[0]!;
  let hi = w64[1]!;
  if (away) {
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi = (hi + 1) >>> 0;
  } else {
    if (lo === 0) hi = (hi - 1) >>> 0;
    lo = (lo - 1) >>> 0;
  }
  w64[0] = lo;
  w64[1] = hi;
  return f64[0]!;
}

function doubleExponent(x: number): number {
  f64[0] = x;
  return ((w64[1]! >>> 20) & 0x7ff) - 1023;
}

/**
 * FPRound for N = 32 or 16 from a nonzero finite double v (already odd-rounded
 * when inexact). `rmode` 0 RN, 1 RP, 2 RM, 3 RZ.
 */
export function fpRound(v: number, fpscr: number, rmode: number, half = false): number {
  const sign = v < 0 ? 1 : 0;
  const mag = Math.abs(v);
  const E = half ? 5 : 8;
  const F = half ? 10 : 23;
  const minExp = 2 - (1 << (E - 1));
  const exponent = doubleExponent(mag);
  if (!half && (fpscr & FPSCR.FZ) !== 0 && exponent < minExp) {
    flags |= FPSCR.UFC;
    return zero(sign);
  }
  let biased = Math.max(exponent - minExp + 1, 0);
  const scaled = biased === 0 ? mag * 2 ** (F - minExp) : mag * 2 ** (F - exponent);
  let intMant = Math.floor(scaled);
  let error = scaled - intMant;
  if (biased === 0 && error !== 0) flags |= FPSCR.UFC;
  let up: boolean;
  let overflowToInf: boolean;
  switch (rmode) {
    case 0:
      up = error > 0.5 || (error === 0.5 && (intMant & 1) === 1);
      overflowToInf = true;
      break;
    case 1:
      up = error !== 0 && sign === 0;
      overflowToInf = sign === 0;
      break;
    case 2:
      up = error !== 0 && sign === 1;
      overflowToInf = sign === 1;
      break;
    default:
      up = false;
      overflowToInf = false;
  }
  if (up) {
    intMant++;
    if (intMant === 2 ** F) biased = 1; // denormal rounded up to the smallest normal
    if (intMant === 2 ** (F + 1)) {
      biased++;
      intMant /= 2;
    }
  }
  let result: number;
  if (!half || (fpscr & FPSCR.AHP) === 0) {
    if (biased >= 2 ** E - 1) {
      result = overflowToInf
        ? (sign << (half ? 15 : 31)) | ((2 ** E - 1) << F)
        : (sign << (half ? 15 : 31)) | ((2 ** E - 2) << F) | (2 ** F - 1);
      flags |= FPSCR.OFC;
      error = 1;
    } else result = (sign << (half ? 15 : 31)) | (biased << F) | (intMant & (2 ** F - 1));
  } else if (biased >= 2 ** E) {
    result = (sign << 15) | 0x7fff;
    flags |= FPSCR.IOC;
    error = 0;
  } else result = (sign << 15) | (biased << F) | (intMant & (2 ** F - 1));
  if (error !== 0) flags |= FPSCR.IXC;
  return result >>> 0;
}

const rmodeOf = (fpscr: number): number => (fpscr >>> 22) & 3;

/** Rounds the exact value s+err (err only by sign) under FPSCR; zero results take the mode's sign. */
function roundExact(s: number, err: number, fpscr: number): number {
  if (s === 0 && err === 0) return zero(rmodeOf(fpscr) === 2 ? 1 : 0);
  return fpRound(toOdd(s, err), fpscr, rmodeOf(fpscr));
}

/** Residual of a + b (TwoSum). */
function sumErr(a: number, b: number, s: number): number {
  const bb = s - a;
  return a - (s - bb) + (b - bb);
}

/** Sign-carrying residual of x*y - p (Dekker product; exact for our ranges). */
function prodErr(x: number, y: number, p: number): number {
  const SPLIT = 134217729; // 2^27 + 1
  let t = SPLIT * x;
  const xh = t - (t - x);
  const xl = x - xh;
  t = SPLIT * y;
  const yh = t - (t - y);
  const yl = y - yh;
  return xh * yh - p + xh * yl + xl * yh + xl * yl;
}

const TINY = 2 ** -126;

// ---- operations on bit patterns ----

export function fpAdd(a: number, b: number, fpscr: number): number {
  if (
    (fpscr & (FPSCR.FZ | 0x00c00000)) === 0 &&
    (a & 0x7f800000) !== 0x7f800000 &&
    (b & 0x7f800000) !== 0x7f800000
  ) {
    // Fast path: round-to-nearest, no flush, finite inputs. Double rounding is
    // innocuous for a single add (53 >= 2*24+2).
    const x = bitsToFloat(a);
    const y = bitsToFloat(b);
    const s = x + y;
    const r = Math.fround(s);
    if (r !== s || sumErr(x, y, s) !== 0) {
      flags |= FPSCR.IXC;
      if (r === Infinity || r === -Infinity) flags |= FPSCR.OFC;
      else if (Math.abs(s) < TINY) flags |= FPSCR.UFC;
    }
    return floatToBits(r);
  }
  a = flush(a, fpscr);
  b = flush(b, fpscr);
  const nan = processNaNs(a, b, fpscr);
  if (nan >= 0) return nan;
  const infA = isInf(a);
  const infB = isInf(b);
  const sA = signOf(a);
  const sB = signOf(b);
  if (infA && infB && sA !== sB) return invalid();
  if ((infA && sA === 0) || (infB && sB === 0)) return inf(0);
  if (infA || infB) return inf(1);
  if (isZero(a) && isZero(b) && sA === sB) return zero(sA);
  const x = bitsToFloat(a);
  const y = bitsToFloat(b);
  const s = x + y;
  return roundExact(s, sumErr(x, y, s), fpscr);
}

export const fpNeg = (b: number): number => (b ^ 0x80000000) >>> 0;
export const fpAbs = (b: number): number => (b & 0x7fffffff) >>> 0;

export function fpSub(a: number, b: number, fpscr: number): number {
  // NaNs propagate as they are: the subtrahend's sign flips only for numbers.
  if (isNaNBits(a) || isNaNBits(b)) return processNaNs(flush(a, fpscr), flush(b, fpscr), fpscr);
  return fpAdd(a, fpNeg(b), fpscr);
}

export function fpMul(a: number, b: number, fpscr: number): number {
  if (
    (fpscr & (FPSCR.FZ | 0x00c00000)) === 0 &&
    (a & 0x7f800000) !== 0x7f800000 &&
    (b & 0x7f800000) !== 0x7f800000
  ) {
    const p = bitsToFloat(a) * bitsToFloat(b); // exact in double
    const r = Math.fround(p);
    if (r !== p) {
      flags |= FPSCR.IXC;
      if (r === Infinity || r === -Infinity) flags |= FPSCR.OFC;
      else if (Math.abs(p) < TINY) flags |= FPSCR.UFC;
    }
    return floatToBits(r);
  }
  a = flush(a, fpscr);
  b = flush(b, fpscr);
  const nan = processNaNs(a, b, fpscr);
  if (nan >= 0) return nan;
  const sign = signOf(a) ^ signOf(b);
  const infA = isInf(a);
  const infB = isInf(b);
  const zA = isZero(a);
  const zB = isZero(b);
  if ((infA && zB) || (zA && infB)) return invalid();
  if (infA || infB) return inf(sign);
  if (zA || zB) return zero(sign);
  return fpRound(bitsToFloat(a) * bitsToFloat(b), fpscr, rmodeOf(fpscr));
}

export function fpDiv(a: number, b: number, fpscr: number): number {
  a = flush(a, fpscr);
  b = flush(b, fpscr);
  const nan = processNaNs(a, b, fpscr);
  if (nan >= 0) return nan;
  const sign = signOf(a) ^ signOf(b);
  const infA = isInf(a);
  const infB = isInf(b);
  const zA = isZero(a);
  const zB = isZero(b);
  if ((infA && infB) || (zA && zB)) return invalid();
  if (infA || zB) {
    if (!infA) flags |= FPSCR.DZC;
    return inf(sign);
  }
  if (zA || infB) return zero(sign);
  const x = bitsToFloat(a);
  const y = bitsToFloat(b);
  const q = x / y;
  if ((fpscr & 0x00c00000) === 0) {
    // Round to nearest: division through double is innocuous; r*y is exact, so it tells exactness.
    const r = Math.fround(q);
    if (r !== 0 && Math.abs(r) > TINY && r !== Infinity && r !== -Infinity) {
      if (r !== q || r * y !== x) flags |= FPSCR.IXC;
      return floatToBits(r);
    }
  }
  // Residual x - q*y decides which side of q the exact quotient lies.
  const p = q * y;
  const rem = x - p - prodErr(q, y, p);
  return fpRound(toOdd(q, rem === 0 ? 0 : rem > 0 === y > 0 ? 1 : -1), fpscr, rmodeOf(fpscr));
}

export function fpSqrt(a: number, fpscr: number): number {
  a = flush(a, fpscr);
  if (isNaNBits(a)) return processNaN(a, fpscr);
  if (isZero(a)) return a;
  if (signOf(a) === 1) return invalid();
  if (isInf(a)) return a;
  const x = bitsToFloat(a);
  const s = Math.sqrt(x);
  const p = s * s;
  const rem = x - p - prodErr(s, s, p);
  return fpRound(toOdd(s, rem), fpscr, rmodeOf(fpscr));
}

/** FPMulAdd(addend, op1, op2): fused, one rounding. */
export function fpMulAdd(addend: number, op1: number, op2: number, fpscr: number): number {
  addend = flush(addend, fpscr);
  op1 = flush(op1, fpscr);
  op2 = flush(op2, fpscr);
  const inf1 = isInf(op1);
  const inf2 = isInf(op2);
  const z1 = isZero(op1);
  const z2 = isZero(op2);
  const nan = processNaNs3(addend, op1, op2, fpscr);
  // A quiet-NaN addend does not hide an invalid product (inf * 0).
  if (isNaNBits(addend) && !isSNaN(addend) && ((inf1 && z2) || (z1 && inf2))) return invalid();
  if (nan >= 0) return nan;
  const sA = signOf(addend);
  const infA = isInf(addend);
  const zA = isZero(addend);
  const sP = signOf(op1) ^ signOf(op2);
  const infP = inf1 || inf2;
  const zP = z1 || z2;
  if ((inf1 && z2) || (z1 && inf2) || (infA && infP && sA !== sP)) return invalid();
  if ((infA && sA === 0) || (infP && sP === 0)) return inf(0);
  if (infA || infP) return inf(1);
  if (zA && zP && sA === sP) return zero(sA);
  const p = bitsToFloat(op1) * bitsToFloat(op2); // exact
  const c = bitsToFloat(addend);
  const s = p + c;
  return roundExact(s, sumErr(p, c, s), fpscr);
}

/** FPCompare: returns NZCV in bits 3..0; `signalAll` for VCMPE (IOC on any NaN). */
export function fpCompare(a: number, b: number, fpscr: number, signalAll: boolean): number {
  a = flush(a, fpscr);
  b = flush(b, fpscr);
  if (isNaNBits(a) || isNaNBits(b)) {
    if (signalAll || isSNaN(a) || isSNaN(b)) flags |= FPSCR.IOC;
    return 0b0011;
  }
  const x = bitsToFloat(a);
  const y = bitsToFloat(b);
  if (x === y) return 0b0110;
  return x < y ? 0b1000 : 0b0010;
}

/**
 * FPToFixed: float -> (un)signed `size`-bit integer scaled by 2^fbits, saturating.
 * `roundZero` forces round toward zero (VCVT), else FPSCR's mode (VCVTR).
 */
export function fpToFixed(
  a: number,
  size: number,
  fbits: number,
  unsigned: boolean,
  roundZero: boolean,
  fpscr: number,
): number {
  a = flush(a, fpscr);
  let value: number;
  if (isNaNBits(a)) {
    flags |= FPSCR.IOC;
    value = 0;
  } else if (isInf(a)) value = signOf(a) ? -(2 ** 200) : 2 ** 200;
  else value = bitsToFloat(a) * 2 ** fbits;
  let intRes = Math.floor(value);
  const error = value - intRes;
  const mode = roundZero ? 3 : rmodeOf(fpscr);
  let up: boolean;
  switch (mode) {
    case 0:
      up = error > 0.5 || (error === 0.5 && Math.abs(intRes % 2) === 1);
      break;
    case 1:
      up = error !== 0;
      break;
    case 2:
      up = false;
      break;
    default:
      up = error !== 0 && intRes < 0;
  }
  if (up) intRes++;
  const min = unsigned ? 0 : -(2 ** (size - 1));
  const max = unsigned ? 2 ** size - 1 : 2 ** (size - 1) - 1;
  if (intRes < min || intRes > max) {
    flags |= FPSCR.IOC;
    intRes = intRes < min ? min : max;
  } else if (error !== 0) flags |= FPSCR.IXC;
  return intRes >>> 0;
}

/** FixedToFP: (un)signed integer (already extended to a JS number) / 2^fbits -> float bits. */
export function fixedToFp(
  value: number,
  fbits: number,
  fpscr: number,
  roundNearest: boolean,
): number {
  const real = value / 2 ** fbits;
  if (real === 0) return 0;
  const mode = roundNearest ? 0 : rmodeOf(fpscr);
  if (mode === 0) {
    // Integers (scaled by a power of two) are exact doubles: one rounding, never tiny or huge.
    const r = Math.fround(real);
    if (r !== real) flags |= FPSCR.IXC;
    return floatToBits(r);
  }
  return fpRound(real, fpscr, mode);
}

// ---- half precision (VCVTB / VCVTT) ----

export function f32ToF16(a: number, fpscr: number): number {
  const sign = signOf(a);
  const ahp = (fpscr & FPSCR.AHP) !== 0;
  a = flush(a, fpscr);
  if (isNaNBits(a)) {
    if (ahp) {
      flags |= FPSCR.IOC;
      return sign << 15;
    }
    if (isSNaN(a)) flags |= FPSCR.IOC;
    if ((fpscr & FPSCR.DN) !== 0) return 0x7e00;
    return (sign << 15) | 0x7e00 | ((a >>> 13) & 0x1ff);
  }
  if (isInf(a)) {
    if (ahp) {
      flags |= FPSCR.IOC;
      return (sign << 15) | 0x7fff;
    }
    return (sign << 15) | 0x7c00;
  }
  if (isZero(a)) return sign << 15;
  return fpRound(bitsToFloat(a), fpscr, rmodeOf(fpscr), true);
}

export function f16ToF32(h: number, fpscr: number): number {
  const sign = (h >>> 15) & 1;
  const exp = (h >>> 10) & 0x1f;
  const frac = h & 0x3ff;
  const ahp = (fpscr & FPSCR.AHP) !== 0;
  if (exp === 0x1f && !ahp) {
    if (frac === 0) return inf(sign);
    if ((frac & 0x200) === 0) flags |= FPSCR.IOC;
    if ((fpscr & FPSCR.DN) !== 0) return DEFAULT_NAN;
    return ((sign << 31) | 0x7fc00000 | ((frac & 0x1ff) << 13)) >>> 0;
  }
  if (exp === 0 && frac === 0) return zero(sign);
  const mag = exp === 0 ? frac * 2 ** -24 : (1024 + frac) * 2 ** (exp - 25);
  return floatToBits(sign ? -mag : mag);
}

/** VFPExpandImm for single precision. */
export function vfpExpandImm(imm8: number): number {
  const b6 = (imm8 >>> 6) & 1;
  const exp = ((b6 ^ 1) << 7) | (b6 ? 0x7c : 0) | ((imm8 >>> 4) & 3);
  return (((imm8 >>> 7) << 31) | (exp << 23) | ((imm8 & 0xf) << 19)) >>> 0;
}
