// Seeded random inputs for a model's input tensors. Integer tensors cover
// their whole representable range (quantized activations can take any code),
// with a share of sets pushed to the extremes and to a narrow band around the
// zero point, where saturation and rounding edge cases live.
import { allocTensorData, type NumericType, type TensorData } from './tensor-data.ts';
import { createRng, hashSeed, type Rng } from './prng.ts';

export interface InputSpec {
  type: NumericType;
  shape: number[];
  /** Per-tensor zero point, for quantized tensors. */
  zeroPoint?: number;
  /** Value range to draw from, inclusive (overrides the default for the type). */
  range?: [number, number];
  /** Exact contents for every set (shape tensors, indices). */
  fixed?: number[];
}

export type InputMode = 'uniform' | 'extremes' | 'narrow';

export const TYPE_RANGE: Record<NumericType, [number, number]> = {
  INT8: [-128, 127],
  UINT8: [0, 255],
  INT16: [-32768, 32767],
  // Full int32 would overflow any accumulator: int32 inputs are indices,
  // shapes or pre-scaled values; callers pass a range for the first two.
  INT32: [-32768, 32767],
  FLOAT32: [-1, 1],
};

const elementCount = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

function draw(rng: Rng, spec: InputSpec, mode: InputMode): number {
  const [lo, hi] = spec.range ?? TYPE_RANGE[spec.type];
  const isFloat = spec.type === 'FLOAT32';
  switch (mode) {
    case 'extremes': {
      // Mostly the ends of the range, some zero-point values.
      const r = rng.float();
      if (r < 0.4) return lo;
      if (r < 0.8) return hi;
      if (r < 0.9) return isFloat ? 0 : Math.min(hi, Math.max(lo, spec.zeroPoint ?? 0));
      return isFloat ? lo + rng.float() * (hi - lo) : rng.int(lo, hi);
    }
    case 'narrow': {
      // A band of a few percent of the range around the zero point.
      const centre = isFloat ? (lo + hi) / 2 : (spec.zeroPoint ?? Math.round((lo + hi) / 2));
      const spread = (hi - lo) * 0.04;
      const v = centre + rng.normal() * spread;
      return isFloat ? Math.min(hi, Math.max(lo, v)) : Math.min(hi, Math.max(lo, Math.round(v)));
    }
    case 'uniform':
      return isFloat ? lo + rng.float() * (hi - lo) : rng.int(lo, hi);
  }
}

export function generateTensor(spec: InputSpec, rng: Rng, mode: InputMode = 'uniform'): TensorData {
  const out = allocTensorData(spec.type, elementCount(spec.shape));
  if (spec.fixed) {
    if (spec.fixed.length !== out.length) throw new Error('fixed input has the wrong length');
    out.set(spec.fixed);
    return out;
  }
  for (let i = 0; i < out.length; i++) out[i] = draw(rng, spec, mode);
  return out;
}

/** The mode of input set `index`: set 0 probes the extremes, set 1 the band
 * around zero, the rest are uniform. */
export function modeForSet(index: number): InputMode {
  if (index === 0) return 'extremes';
  if (index === 1) return 'narrow';
  return 'uniform';
}

/**
 * `count` input sets for a model, reproducible from (seed, set index): set k
 * can be regenerated alone to replay a failure.
 */
export function generateInputSets(specs: InputSpec[], count: number, seed: number): TensorData[][] {
  return Array.from({ length: count }, (_, k) => generateInputSet(specs, seed, k));
}

export function generateInputSet(specs: InputSpec[], seed: number, index: number): TensorData[] {
  const rng = createRng(hashSeed(seed, index));
  const mode = modeForSet(index);
  return specs.map((s) => generateTensor(s, rng, mode));
}
