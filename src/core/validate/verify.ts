// Judging one model's outputs against the reference over a batch of input
// sets: per output tensor metrics, the bound that applies, and a verdict.
// Pure: who produced the outputs (host runtime, virtual board, a real board;
// TFLite in a browser) is the caller's business.
import type { KernelName } from '../package/kernel-ids.ts';
import { boundFor, meetsBound, type Bound } from './bounds.ts';
import { accumulate, emptyStats, summarize, type Quant, type TensorMetrics } from './metrics.ts';
import { typeOfData, type TensorData } from './tensor-data.ts';

export interface OutputVerdict {
  index: number;
  metrics: TensorMetrics;
  bound: Bound;
  pass: boolean;
  /** First input set where the worst difference occurred (for replay). */
  worstSet: number;
}

export interface Verdict {
  pass: boolean;
  outputs: OutputVerdict[];
}

export interface JudgeOptions {
  /** Kernels with an applicable rounding exception (loosenedKernels); selects the bound. */
  loosened: readonly KernelName[];
  /** Per output, for dequantized MAE/RMSE/cosine; null for float or unquantized. */
  quant?: (Quant | null)[];
  /** Per output, last-axis size for top-1 (default: whole tensor). */
  rowLength?: (number | undefined)[];
  /** Measure only: every output passes (layers are judged instead). */
  unbounded?: boolean;
}

/** Compares `actual[set][output]` with `expected[set][output]`. */
export function judge(
  actual: TensorData[][],
  expected: TensorData[][],
  options: JudgeOptions,
): Verdict {
  if (actual.length !== expected.length) {
    throw new Error(`${actual.length} output sets against ${expected.length} reference sets`);
  }
  const first = expected[0];
  if (!first) return { pass: true, outputs: [] };
  const outputs = first.map((ref, o): OutputVerdict => {
    const stats = emptyStats(typeOfData(ref));
    let worst = -1;
    let worstSet = 0;
    expected.forEach((set, s) => {
      const a = actual[s]?.[o];
      const e = set[o];
      if (!a || !e) throw new Error(`input set ${s}: output ${o} missing`);
      const before = stats.maxAbsDiff + stats.maxRelError;
      accumulate(stats, a, e, {
        quant: options.quant?.[o] ?? undefined,
        rowLength: options.rowLength?.[o],
      });
      const after = stats.maxAbsDiff + stats.maxRelError;
      if (after > before && after > worst) {
        worst = after;
        worstSet = s;
      }
    });
    const metrics = summarize(stats);
    const bound: Bound = options.unbounded
      ? { kind: 'none' }
      : boundFor(metrics.type, options.loosened);
    return { index: o, metrics, bound, pass: meetsBound(metrics, bound), worstSet };
  });
  return { pass: outputs.every((o) => o.pass), outputs };
}
