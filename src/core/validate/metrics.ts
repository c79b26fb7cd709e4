// Agreement between an output tensor and its reference. Integer tensors are
// compared in quantization steps (one LSB = one step: the unit in which
// TFLite's kernels disagree with each other); float tensors by relative error.
// Statistics accumulate over many inferences, then summarise.
import { typeOfData, type NumericType, type TensorData } from './tensor-data.ts';

export interface Quant {
  scale: number;
  zeroPoint: number;
}

/** Running sums for one output tensor over any number of inferences. */
export interface TensorStats {
  type: NumericType;
  elements: number;
  exact: number;
  /** Largest |actual - expected| in the tensor's own units (steps for ints). */
  maxAbsDiff: number;
  /** Largest error relative to the float bound's scale (see relativeError). */
  maxRelError: number;
  /** Sums over dequantized values (raw values when no Quant is given). */
  sumAbsErr: number;
  sumSqErr: number;
  dot: number;
  sumSqActual: number;
  sumSqExpected: number;
  /** Rows (along the last axis) compared for top-1, and how many agree. */
  rows: number;
  top1Agree: number;
  /** Elements where exactly one side is NaN, or infinities differ. */
  nonFiniteMismatch: number;
}

export interface TensorMetrics {
  type: NumericType;
  elements: number;
  /** Share of elements bit-identical, 0..1. */
  exactShare: number;
  maxAbsDiff: number;
  maxRelError: number;
  mae: number;
  rmse: number;
  /** 1 when both are all-zero (identical); NaN never escapes. */
  cosine: number;
  /** Share of rows whose arg-max agrees, 0..1. */
  top1Agreement: number;
  nonFiniteMismatch: number;
}

/** Float tolerance: |Δ| ≤ max(abs, rel·|expected|). */
export interface FloatTolerance {
  rel: number;
  abs: number;
}

export const FLOAT_TOLERANCE: FloatTolerance = { rel: 1e-5, abs: 1e-6 };

/**
 * |Δ| / max(|expected|, abs/rel): ≤ rel exactly when the float tolerance
 * holds, so one figure carries both the relative and the near-zero bound.
 */
export function relativeError(actual: number, expected: number, tol = FLOAT_TOLERANCE): number {
  if (Number.isNaN(actual) && Number.isNaN(expected)) return 0;
  if (actual === expected) return 0;
  const diff = Math.abs(actual - expected);
  if (!Number.isFinite(diff)) return Infinity;
  return diff / Math.max(Math.abs(expected), tol.abs / tol.rel);
}

export function emptyStats(type: NumericType): TensorStats {
  return {
    type,
    elements: 0,
    exact: 0,
    maxAbsDiff: 0,
    maxRelError: 0,
    sumAbsErr: 0,
    sumSqErr: 0,
    dot: 0,
    sumSqActual: 0,
    sumSqExpected: 0,
    rows: 0,
    top1Agree: 0,
    nonFiniteMismatch: 0,
  };
}

function argmaxRange(a: TensorData, from: number, to: number): number {
  let best = from;
  for (let i = from + 1; i < to; i++) if ((a[i] as number) > (a[best] as number)) best = i;
  return best;
}

/**
 * Adds one inference's comparison to `stats` (mutates and returns it).
 * `rowLength` is the last-axis size for top-1 (default: the whole tensor).
 */
export function accumulate(
  stats: TensorStats,
  actual: TensorData,
  expected: TensorData,
  options: { quant?: Quant; rowLength?: number; tolerance?: FloatTolerance } = {},
): TensorStats {
  if (actual.length !== expected.length) {
    throw new Error(`length mismatch: ${actual.length} vs ${expected.length}`);
  }
  if (typeOfData(actual) !== stats.type || typeOfData(expected) !== stats.type) {
    throw new Error(
      `type mismatch: ${typeOfData(actual)} vs ${typeOfData(expected)}, stats ${stats.type}`,
    );
  }
  const isFloat = stats.type === 'FLOAT32';
  const scale = options.quant?.scale ?? 1;
  const zp = options.quant?.zeroPoint ?? 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (Object.is(a, e) || a === e || (isFloat && Number.isNaN(a) && Number.isNaN(e))) {
      stats.exact++;
    }
    if (isFloat && (!Number.isFinite(a) || !Number.isFinite(e))) {
      if (!(Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)))) {
        stats.nonFiniteMismatch++;
        stats.maxAbsDiff = Infinity;
        stats.maxRelError = Infinity;
      }
      continue;
    }
    const diff = Math.abs(a - e);
    if (diff > stats.maxAbsDiff) stats.maxAbsDiff = diff;
    if (isFloat) {
      const rel = relativeError(a, e, options.tolerance);
      if (rel > stats.maxRelError) stats.maxRelError = rel;
    }
    const ra = (a - zp) * scale;
    const re = (e - zp) * scale;
    stats.sumAbsErr += Math.abs(ra - re);
    stats.sumSqErr += (ra - re) * (ra - re);
    stats.dot += ra * re;
    stats.sumSqActual += ra * ra;
    stats.sumSqExpected += re * re;
  }
  stats.elements += actual.length;
  const row = options.rowLength && options.rowLength > 0 ? options.rowLength : actual.length;
  for (let from = 0; from + row <= actual.length && row > 0; from += row) {
    const ia = argmaxRange(actual, from, from + row);
    const ie = argmaxRange(expected, from, from + row);
    stats.rows++;
    // A tie in the reference counts as agreement if we picked any of its maxima.
    if (ia === ie || expected[ia] === expected[ie]) stats.top1Agree++;
  }
  return stats;
}

export function summarize(s: TensorStats): TensorMetrics {
  const n = s.elements;
  const finite = n - s.nonFiniteMismatch;
  const normA = Math.sqrt(s.sumSqActual);
  const normE = Math.sqrt(s.sumSqExpected);
  let cosine: number;
  if (normA === 0 && normE === 0) cosine = 1;
  else if (normA === 0 || normE === 0) cosine = 0;
  else cosine = s.dot / (normA * normE);
  return {
    type: s.type,
    elements: n,
    exactShare: n === 0 ? 1 : s.exact / n,
    maxAbsDiff: s.maxAbsDiff,
    maxRelError: s.maxRelError,
    mae: finite === 0 ? 0 : s.sumAbsErr / finite,
    rmse: finite === 0 ? 0 : Math.sqrt(s.sumSqErr / finite),
    cosine,
    top1Agreement: s.rows === 0 ? 1 : s.top1Agree / s.rows,
    nonFiniteMismatch: s.nonFiniteMismatch,
  };
}

/** Compares one pair of tensors in one call. */
export function compareTensors(
  actual: TensorData,
  expected: TensorData,
  options: { quant?: Quant; rowLength?: number; tolerance?: FloatTolerance } = {},
): TensorMetrics {
  return summarize(accumulate(emptyStats(typeOfData(expected)), actual, expected, options));
}
