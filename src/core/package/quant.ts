// Host-side quantisation maths, bit-exact with TFLite's set-up code
// (tensorflow/lite/kernels/internal/quantization_util.cc, kernel_util.cc).
// Shared by every quantized kernel planner (conv/fc/pool and elementwise):
// add helpers here rather than re-deriving them per op.
//
// Scales in the model are float32 values (the reader returns them as exact
// doubles); TFLite widens them to double before multiplying, and so do we.

/** Limits of float32, as std::numeric_limits<float>::lowest() / max(). */
export const FLT_MAX = 3.4028234663852886e38;
export const FLT_LOWEST = -FLT_MAX;

export const INT8_MIN = -128;
export const INT8_MAX = 127;
export const INT16_MIN = -32768;
export const INT16_MAX = 32767;

/** std::round / TfLiteRound: nearest integer, ties away from zero. */
export function roundHalfAway(x: number): number {
  if (!Number.isFinite(x)) return x;
  const a = Math.abs(x);
  // From 2^52 up every double is an integer (and a + 0.5 would round).
  if (a >= 2 ** 52) return x;
  // floor(a + 0.5) would round 0.49999999999999994 up: compare the exact
  // fractional part instead.
  const f = Math.floor(a);
  const r = a - f >= 0.5 ? f + 1 : f;
  return x < 0 && r !== 0 ? -r : r;
}

/**
 * std::frexp: x = fraction * 2^exponent with |fraction| in [0.5, 1), exact
 * (only multiplications by powers of two). frexp(0) = [0, 0].
 */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let a = Math.abs(x);
  let e = 0;
  // Bring a into [0.5, 1) by exact power-of-two steps (two steps keep the
  // intermediate factors finite for subnormal and huge inputs).
  while (a >= 2 ** 512) {
    a *= 2 ** -512;
    e += 512;
  }
  while (a < 2 ** -512) {
    a *= 2 ** 512;
    e -= 512;
  }
  const k = Math.floor(Math.log2(a)) + 1;
  a *= 2 ** -k;
  e += k;
  while (a >= 1) {
    a /= 2;
    e += 1;
  }
  while (a < 0.5) {
    a *= 2;
    e -= 1;
  }
  return [x < 0 ? -a : a, e];
}

export interface QuantizedMultiplier {
  /** Q31 significand in [2^30, 2^31), or 0. */
  multiplier: number;
  /** Power-of-two exponent: positive = left shift, negative = right shift. */
  shift: number;
}

/**
 * TFLite QuantizeMultiplier (double-rounding build): frexp, round the
 * significand to Q31 (ties away from zero), renormalise 2^31 to 2^30 with
 * shift + 1, and flush exponents below -31 to a zero multiplier.
 */
export function quantizeMultiplier(realMultiplier: number): QuantizedMultiplier {
  if (realMultiplier === 0) return { multiplier: 0, shift: 0 };
  const [q, e] = frexp(realMultiplier);
  let shift = e;
  let fixed = roundHalfAway(q * 2 ** 31);
  if (Math.abs(fixed) > 2 ** 31) throw new Error('quantizeMultiplier: significand out of range');
  if (fixed === 2 ** 31) {
    fixed /= 2;
    shift += 1;
  }
  if (shift < -31) {
    shift = 0;
    fixed = 0;
  }
  return { multiplier: fixed, shift };
}

export type FusedActivation = 'NONE' | 'RELU' | 'RELU_N1_TO_1' | 'RELU6' | 'TANH' | 'SIGN_BIT';

/**
 * TFLite CalculateActivationRangeQuantized: the clamp a fused activation
 * implies on a quantized output, inside [qmin, qmax]. quantize(f) =
 * zeroPoint + round(f / scale) with the division in float32 (as TFLite).
 * Returns null for activations that are not clamps (TANH, SIGN_BIT).
 */
export function activationRangeQuantized(
  activation: string,
  scale: number,
  zeroPoint: number,
  qmin: number,
  qmax: number,
): [number, number] | null {
  const s = Math.fround(scale);
  const quantize = (f: number): number => zeroPoint + roundHalfAway(Math.fround(f / s));
  switch (activation) {
    case 'NONE':
      return [qmin, qmax];
    case 'RELU':
      return [Math.max(qmin, quantize(0)), qmax];
    case 'RELU6':
      return [Math.max(qmin, quantize(0)), Math.min(qmax, quantize(6))];
    case 'RELU_N1_TO_1':
      return [Math.max(qmin, quantize(-1)), Math.min(qmax, quantize(1))];
    default:
      return null;
  }
}

/** TFLite CalculateActivationRange for float outputs; null for non-clamps. */
export function activationRangeFloat(activation: string): [number, number] | null {
  switch (activation) {
    case 'NONE':
      return [FLT_LOWEST, FLT_MAX];
    case 'RELU':
      return [0, FLT_MAX];
    case 'RELU6':
      return [0, 6];
    case 'RELU_N1_TO_1':
      return [-1, 1];
    default:
      return null;
  }
}

/**
 * Per-channel requantisation of a convolution / fully-connected output
 * (TFLite PopulateConvolutionQuantizationParams and
 * GetQuantizedConvolutionMultipler): effective scale =
 * double(input scale) * double(filter scale[c]) / double(output scale).
 * One entry per filter scale (1 for per-tensor weights).
 */
export function convolutionMultipliers(
  inputScale: number,
  filterScales: readonly number[],
  outputScale: number,
): { multipliers: Int32Array; shifts: Int32Array } {
  const multipliers = new Int32Array(filterScales.length);
  const shifts = new Int32Array(filterScales.length);
  filterScales.forEach((fs, i) => {
    const q = quantizeMultiplier((inputScale * fs) / outputScale);
    multipliers[i] = q.multiplier;
    shifts[i] = q.shift;
  });
  return { multipliers, shifts };
}
