// What "agrees with TFLite" means, per output type and kernel (the policy
// docs/numerics.md explains and records measurements for).
import type { KernelName } from '../package/kernel-ids.ts';
import type { Model } from '../tflite/model.ts';
import { FLOAT_TOLERANCE, type FloatTolerance, type TensorMetrics } from './metrics.ts';

export type Bound =
  | { kind: 'exact' }
  /** Integer outputs within `steps` quantization steps. */
  | { kind: 'steps'; steps: number }
  | { kind: 'float'; tolerance: FloatTolerance }
  /** Measured and shown, not judged (a whole model whose layers are judged one by one). */
  | { kind: 'none' };

export interface RoundingException {
  kernel: KernelName;
  /** Which tfjs-tflite path rounds differently (docs/numerics.md has the figures). */
  reason: string;
  /** Narrows the exception to some operators; absent: every use of the kernel. */
  applies?: (model: Model, opIndex: number) => boolean;
}

const inputType = (model: Model, opIndex: number, input: number): string | undefined => {
  const sg = model.subgraphs[0];
  const t = sg?.operators[opIndex]?.inputs[input];
  return t === undefined || t < 0 ? undefined : sg?.tensors[t]?.type;
};

/**
 * Kernels where the TFLite we run as reference (tfjs-tflite: XNNPACK and
 * TFLite's optimized builtin kernels) rounds differently from TFLite's
 * reference kernels, which ours follow. There the bound is one step instead
 * of bit exactness; docs/numerics.md records why and what was measured.
 * Every other integer kernel must be bit-exact. Keep this list short: an
 * entry hides real one-step bugs in that kernel.
 */
export const ROUNDING_EXCEPTIONS: readonly RoundingException[] = [
  { kernel: 'CONV_2D_S8', reason: 'TFLite optimized int8 CONV_2D (rare near-ties)' },
  {
    kernel: 'FULLY_CONNECTED_S8',
    reason: 'TFLite optimized int8 FULLY_CONNECTED (rare near-ties)',
  },
  { kernel: 'ADD_S8', reason: 'XNNPACK qs8 add' },
  { kernel: 'SUB_S8', reason: 'XNNPACK qs8 subtract' },
  { kernel: 'MUL_S8', reason: 'XNNPACK qs8 multiply' },
  { kernel: 'LEAKY_RELU_S8', reason: 'XNNPACK qs8 leaky ReLU' },
  { kernel: 'MEAN_S8', reason: 'XNNPACK qs8 mean and TFLite optimized int8 MEAN' },
  {
    kernel: 'QUANTIZE_S8',
    reason: 'XNNPACK qs8 requantization (int8 to int8)',
    applies: (m, i) => inputType(m, i, 0) === 'INT8',
  },
  {
    kernel: 'TRANSPOSE_CONV_S16',
    reason: 'TFLite int16x8 TRANSPOSE_CONV without a bias tensor',
    applies: (m, i) => inputType(m, i, 3) === undefined,
  },
];

/** The kernels of a packaged model whose exception applies to some layer. */
export function loosenedKernels(
  model: Model,
  layers: readonly { sourceOp: number; kernel: KernelName }[],
): KernelName[] {
  const out = new Set<KernelName>();
  for (const l of layers) {
    for (const e of ROUNDING_EXCEPTIONS) {
      if (e.kernel === l.kernel && (e.applies?.(model, l.sourceOp) ?? true)) out.add(l.kernel);
    }
  }
  return [...out];
}

/** Bound for one output: `loosened` are kernels with an applicable exception. */
export function boundFor(outputType: string, loosened: readonly KernelName[]): Bound {
  if (outputType === 'FLOAT32') return { kind: 'float', tolerance: FLOAT_TOLERANCE };
  return loosened.length > 0 ? { kind: 'steps', steps: 1 } : { kind: 'exact' };
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
    case 'none':
      return true;
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
    case 'none':
      return 'per layer';
  }
}
