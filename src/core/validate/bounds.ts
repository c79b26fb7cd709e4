// What "agrees with TFLite" means, per output type and kernel (the policy
// docs/numerics.md explains and records measurements for).
import type { KernelName } from '../package/kernel-ids.ts';
import { FLOAT_TOLERANCE, type FloatTolerance, type TensorMetrics } from './metrics.ts';

export type Bound =
  | { kind: 'exact' }
  /** Integer outputs within `steps` quantization steps. */
  | { kind: 'steps'; steps: number }
  | { kind: 'float'; tolerance: FloatTolerance };

/**
 * Kernels where the reference TFLite build (tfjs-tflite: XNNPACK and the
 * optimized builtin kernels) rounds differently from TFLite's reference
 * kernels, which ours follow. They are held to one step, not to bit
 * exactness; docs/numerics.md records why and what was measured. Every other
 * integer kernel must be bit-exact.
 */
export const ROUNDING_EXCEPTIONS: ReadonlySet<KernelName> = new Set<KernelName>([]);

export function boundFor(outputType: string, kernels: readonly KernelName[]): Bound {
  if (outputType === 'FLOAT32') return { kind: 'float', tolerance: FLOAT_TOLERANCE };
  return kernels.some((k) => ROUNDING_EXCEPTIONS.has(k)) ? { kind: 'steps', steps: 1 } : { kind: 'exact' };
}

export function meetsBound(m: TensorMetrics, bound: Bound): boolean {
  if (m.nonFiniteMismatch > 0) return false;
  switch (bound.kind) {
    case 'exact':
      return m.maxAbsDiff === 0;
    case 'steps':
      return m.maxAbsDiff <= bound.steps;
    case 'float':
      return m.maxRelError <= bound.tolerance.rel;
  }
}

export function describeBound(bound: Bound): string {
  switch (bound.kind) {
    case 'exact':
      return 'bit-exact';
    case 'steps':
      return `|Δ| ≤ ${bound.steps} step`;
    case 'float':
      return `rel ≤ ${bound.tolerance.rel} (abs ≤ ${bound.tolerance.abs} near 0)`;
  }
}
