// Fixed-point and float32 primitives of TFLite's reference kernels, for the
// elementwise reference. Written independently of the planners' helpers:
// everything integer is done in BigInt, QuantizeMultiplier is taken from the
// double's bit pattern rather than frexp.

const f32 = Math.fround;

/** std::round: ties away from zero. */
export function round(x: number): number {
  const r = Math.round(Math.abs(x));
  // Math.round rounds .5 up, which for |x| is away from zero.
  return x < 0 ? -r : r;
}

/** TFLite QuantizeMultiplier: [multiplier, shift] with real = m * 2^(shift - 31). */
export function quantizeMultiplierRef(real: number): [number, number] {
  if (real === 0) return [0, 0];
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(real));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  let exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exp === 0) {
    // subnormal: normalise
    while ((mant & (1n << 52n)) === 0n) {
      mant <<= 1n;
      exp -= 1;
    }
    exp += 1;
  } else {
    mant |= 1n << 52n;
  }
  // real = mant * 2^(exp - 1075); mant in [2^52, 2^53) -> fraction in [0.5, 1) with shift = exp - 1022.
  let shift = exp - 1022;
  // q = round(mant / 2^53 * 2^31) = round(mant / 2^22), ties away from zero.
  let q = (mant + (1n << 21n)) >> 22n;
  if (q === 1n << 31n) {
    q >>= 1n;
    shift += 1;
  }
  if (shift < -31) return [0, 0];
  const m = Number(q);
  return [real < 0 ? -m : m, shift];
}

const big = BigInt;

export function srdhm(a: number, b: number): number {
  if (a === -2147483648 && b === -2147483648) return 2147483647;
  const ab = big(a) * big(b);
  const nudge = ab >= 0n ? 1073741824n : -1073741823n;
  return Number((ab + nudge) / 2147483648n);
}

export function rdbpot(x: number, e: number): number {
  const bx = big(x);
  const mask = (1n << big(e)) - 1n;
  const rem = bx & mask; // BigInt & on negatives is two's complement
  const threshold = (mask >> 1n) + (bx < 0n ? 1n : 0n);
  return Number((bx >> big(e)) + (rem > threshold ? 1n : 0n));
}

export function mbqm(x: number, m: number, shift: number): number {
  const left = Math.max(shift, 0);
  const xs = Number(BigInt.asIntN(32, big(x) << big(left)));
  return rdbpot(srdhm(xs, m), Math.max(-shift, 0));
}

/** CalculateActivationRangeQuantized. */
export function actRange(
  act: string,
  scale: number,
  zp: number,
  lo: number,
  hi: number,
): [number, number] {
  const q = (f: number): number => zp + round(f32(f / scale));
  switch (act) {
    case 'RELU':
      return [Math.max(lo, q(0)), hi];
    case 'RELU6':
      return [Math.max(lo, q(0)), Math.min(hi, q(6))];
    case 'RELU_N1_TO_1':
      return [Math.max(lo, q(-1)), Math.min(hi, q(1))];
    default:
      return [lo, hi];
  }
}

export const clampTo = (x: number, lo: number, hi: number): number =>
  x < lo ? lo : x > hi ? hi : x;
export { f32 };
