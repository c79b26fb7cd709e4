// Exact IEEE binary32/binary16 reference for the VFP tests, written with
// BigInt rationals (value = M * 2^e) so it shares no algorithm with the
// emulator's double-based implementation.

export type Mode = 0 | 1 | 2 | 3; // RN, RP, RM, RZ (FPSCR.RMode order)

export interface Exact {
  /** Signed mantissa. */
  m: bigint;
  e: number;
}

export interface Rounded {
  bits: number;
  inexact: boolean;
  overflow: boolean;
  underflow: boolean;
}

export function decode32(bits: number): Exact {
  const sign = bits >>> 31 ? -1n : 1n;
  const ex = (bits >>> 23) & 0xff;
  const frac = BigInt(bits & 0x7fffff);
  if (ex === 0) return { m: sign * frac, e: -149 };
  return { m: sign * (frac | (1n << 23n)), e: ex - 150 };
}

export function add(a: Exact, b: Exact): Exact {
  const e = Math.min(a.e, b.e);
  return { m: (a.m << BigInt(a.e - e)) + (b.m << BigInt(b.e - e)), e };
}

export function mul(a: Exact, b: Exact): Exact {
  return { m: a.m * b.m, e: a.e + b.e };
}

export function neg(a: Exact): Exact {
  return { m: -a.m, e: a.e };
}

/** a / b with 64 extra quotient bits and a sticky bit (b nonzero). */
export function div(a: Exact, b: Exact): Exact {
  const k = 64n;
  const num = (a.m < 0n ? -a.m : a.m) << k;
  const den = b.m < 0n ? -b.m : b.m;
  const q = num / den;
  const sticky = num % den !== 0n ? 1n : 0n;
  const sign = a.m < 0n !== b.m < 0n ? -1n : 1n;
  return { m: sign * ((q << 1n) | sticky), e: a.e - b.e - 64 - 1 };
}

/** floor(sqrt(n)) by Newton's method from above (monotone decreasing). */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** sqrt(a) for a > 0, with a sticky bit. */
export function sqrt(a: Exact): Exact {
  let { m, e } = a;
  if ((e & 1) !== 0) {
    m <<= 1n;
    e -= 1;
  }
  const k = 64n;
  const n = m << (2n * k);
  const r = isqrt(n);
  const sticky = r * r !== n ? 1n : 0n;
  return { m: (r << 1n) | sticky, e: e / 2 - 64 - 1 };
}

/** Rounds a nonzero exact value to a binary format with E exponent and F fraction bits. */
export function round(x: Exact, mode: Mode, E = 8, F = 23): Rounded {
  const sign = x.m < 0n ? 1 : 0;
  const a = sign ? -x.m : x.m;
  const bias = (1 << (E - 1)) - 1;
  const emin = 1 - bias;
  const msb = x.e + a.toString(2).length - 1;
  const lsb = Math.max(msb - F, emin - F);
  const shift = lsb - x.e;
  let q: bigint;
  let rem = 0n;
  let halfway = 0n;
  if (shift <= 0) q = a << BigInt(-shift);
  else {
    q = a >> BigInt(shift);
    rem = a & ((1n << BigInt(shift)) - 1n);
    halfway = 1n << BigInt(shift - 1);
  }
  const inexact = rem !== 0n;
  let up = false;
  if (mode === 0) up = rem > halfway || (rem === halfway && rem !== 0n && (q & 1n) === 1n);
  else if (mode === 1) up = inexact && sign === 0;
  else if (mode === 2) up = inexact && sign === 1;
  let l = lsb;
  if (up) q++;
  if (q === 1n << BigInt(F + 1)) {
    q >>= 1n;
    l++;
  }
  const tiny = msb < emin;
  const signBit = sign << (E + F);
  if (q >= 1n << BigInt(F)) {
    const biased = l + F + bias;
    if (biased >= (1 << E) - 1) {
      const toInf = mode === 0 || (mode === 1 && sign === 0) || (mode === 2 && sign === 1);
      const mag = toInf ? ((1 << E) - 1) << F : (((1 << E) - 2) << F) | ((1 << F) - 1);
      return { bits: (signBit | mag) >>> 0, inexact: true, overflow: true, underflow: false };
    }
    const bits = signBit | (biased << F) | Number(q - (1n << BigInt(F)));
    return { bits: bits >>> 0, inexact, overflow: false, underflow: tiny && inexact };
  }
  return {
    bits: (signBit | Number(q)) >>> 0,
    inexact,
    overflow: false,
    underflow: tiny && inexact,
  };
}

/** Exact value of a finite binary16. */
export function decode16(h: number): Exact {
  const sign = h >>> 15 ? -1n : 1n;
  const ex = (h >>> 10) & 0x1f;
  const frac = BigInt(h & 0x3ff);
  if (ex === 0) return { m: sign * frac, e: -24 };
  return { m: sign * (frac | (1n << 10n)), e: ex - 25 };
}

export const isNaN32 = (b: number): boolean =>
  (b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0;
export const isFinite32 = (b: number): boolean => (b & 0x7f800000) !== 0x7f800000;
