// Quantization choices for generated models: scales drawn log-uniformly,
// symmetric per-channel weights, int32/int64 biases at scale in·w (what
// TFLite checks), and output scales sized to the expected value range so
// outputs use most codes with only occasional saturation.
import type { Rng } from '../validate/prng.ts';
import type { QuantSpec } from '../tflite/build.ts';
import type { TensorType } from '../tflite/model.ts';

export const QRANGE: Partial<Record<TensorType, [number, number]>> = {
  INT8: [-128, 127],
  UINT8: [0, 255],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
};

export function qrange(type: TensorType): [number, number] {
  const r = QRANGE[type];
  if (!r) throw new Error(`${type} is not a quantized type`);
  return r;
}

/** Log-uniform in [lo, hi]. */
export function logUniform(rng: Rng, lo: number, hi: number): number {
  return Math.exp(Math.log(lo) + rng.float() * (Math.log(hi) - Math.log(lo)));
}

/** Per-tensor activation quantization; int16 is symmetric (zero point 0). */
export function activationQuant(rng: Rng, type: TensorType, scale?: number): QuantSpec {
  const s = scale ?? logUniform(rng, 1e-3, 5e-2) * (type === 'INT16' ? 1 / 256 : 1);
  if (type === 'INT16' || type === 'INT32') return { scale: s, zeroPoint: 0 };
  const [lo, hi] = qrange(type);
  // Mostly central zero points, sometimes near the ends (one-sided ranges).
  const zp = rng.chance(0.7) ? rng.int(lo + 64, hi - 64) : rng.int(lo, hi);
  return { scale: s, zeroPoint: zp };
}

/** Mean and spread (in real units) of a tensor with uniformly random codes. */
export function codeStats(type: TensorType, q: QuantSpec): { mean: number; std: number } {
  const [lo, hi] = qrange(type);
  const scale = q.scale as number;
  const zp = q.zeroPoint as number;
  return { mean: ((lo + hi) / 2 - zp) * scale, std: ((hi - lo) / Math.sqrt(12)) * scale };
}

/**
 * Output quantization covering [mean - 3 std, mean + 3 std] of the expected
 * real values, widened or narrowed by a random factor (0.6..1.6) so some
 * cases saturate.
 */
export function outputQuantFor(
  rng: Rng,
  type: TensorType,
  range: { lo: number; hi: number },
  centred = false,
): QuantSpec {
  const [qlo, qhi] = qrange(type);
  const factor = logUniform(rng, 0.6, 1.6);
  let lo = range.lo * factor;
  let hi = range.hi * factor;
  if (type === 'INT16' || centred) {
    const m = Math.max(Math.abs(lo), Math.abs(hi), 1e-6);
    lo = -m;
    hi = m;
  }
  if (hi - lo < 1e-6) hi = lo + 1e-6;
  const scale = (hi - lo) / (qhi - qlo);
  if (type === 'INT16') return { scale: hi / qhi, zeroPoint: 0 };
  const zp = Math.min(qhi, Math.max(qlo, Math.round(qlo - lo / scale)));
  return { scale, zeroPoint: zp };
}

/** Symmetric int8 weights with one scale per output channel. */
export function int8Weights(rng: Rng, count: number): Int8Array {
  const w = new Int8Array(count);
  for (let i = 0; i < count; i++) w[i] = rng.int(-127, 127);
  return w;
}

export function channelScales(rng: Rng, channels: number): number[] {
  return Array.from({ length: channels }, () => logUniform(rng, 2e-3, 2e-2));
}

/** float32 as stored, then the product TFLite compares the bias scale with. */
export const f32 = Math.fround;
export const biasScale = (inScale: number, wScale: number): number =>
  f32(f32(inScale) * f32(wScale));

/** Real-valued normal sample clamped to a type's integer range, quantized. */
export function quantizeValue(
  real: number,
  q: { scale: number; zeroPoint: number },
  type: TensorType,
): number {
  const [lo, hi] = qrange(type);
  return Math.min(hi, Math.max(lo, Math.round(real / q.scale) + q.zeroPoint));
}
