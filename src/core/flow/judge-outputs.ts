// The verdict on a model's outputs: judge() with the default bounds
// (docs/numerics.md), then the user's thresholds where given, then the
// top-1 requirement on classifier outputs.
import type { KernelName } from '../package/kernel-ids.ts';
import { outputReason } from '../report/build-report.ts';
import type { Model, Tensor } from '../tflite/model.ts';
import { meetsBound, type Bound } from '../validate/bounds.ts';
import { FLOAT_TOLERANCE, type Quant } from '../validate/metrics.ts';
import type { TensorData } from '../validate/tensor-data.ts';
import { judge, type OutputVerdict } from '../validate/verify.ts';
import type { FlowOutputCheck, FlowThresholds, FlowValidation } from './types.ts';

/** Per-tensor quantization of an integer tensor, or null. */
export function quantOf(t: Tensor | undefined): Quant | null {
  const q = t?.quantization;
  if (!t || t.type === 'FLOAT32' || !q || q.scale.length !== 1) return null;
  return { scale: q.scale[0] as number, zeroPoint: q.zeroPoint[0] ?? 0 };
}

/** A classifier output: a vector of scores (every axis but the last is 1, at least 2 classes). */
export function isClassifier(shape: readonly number[]): boolean {
  const last = shape[shape.length - 1] ?? 0;
  return last >= 2 && shape.slice(0, -1).every((d) => d === 1);
}

/** The bound after the user's thresholds; the default when none applies. */
export function applyThresholds(bound: Bound, type: string, th: FlowThresholds): Bound {
  if (bound.kind === 'none') return bound;
  if (type === 'FLOAT32') {
    if (th.floatRel === undefined) return bound;
    // Keep the near-zero floor (abs/rel) of the default tolerance, so the
    // relative errors judge() measured stay comparable.
    const floor = FLOAT_TOLERANCE.abs / FLOAT_TOLERANCE.rel;
    return { kind: 'float', tolerance: { rel: th.floatRel, abs: th.floatRel * floor } };
  }
  if (th.steps === undefined) return bound;
  return th.steps === 0 ? { kind: 'exact' } : { kind: 'steps', steps: th.steps };
}

export function judgeOutputs(
  model: Model,
  loosened: readonly KernelName[],
  actual: TensorData[][],
  expected: TensorData[][],
  thresholds: FlowThresholds = {},
  /** Measure only (the layers are judged instead); top-1 is still required where asked. */
  unbounded = false,
): Omit<FlowValidation, 'mode'> {
  const sg = model.subgraphs[0];
  const tensors = (sg?.outputs ?? []).map((t) => sg?.tensors[t]);
  const verdict = judge(actual, expected, {
    loosened,
    quant: tensors.map(quantOf),
    rowLength: tensors.map((t) => t?.shape[t.shape.length - 1]),
    unbounded,
  });
  const outputs = verdict.outputs.map((v): FlowOutputCheck => {
    const t = tensors[v.index];
    const bound = applyThresholds(v.bound, v.metrics.type, thresholds);
    const classifier = isClassifier(t?.shape ?? []);
    const judged: OutputVerdict = { ...v, bound, pass: meetsBound(v.metrics, bound) };
    let reason = outputReason(judged);
    let pass = judged.pass;
    const minTop1 = thresholds.minTop1;
    if (classifier && minTop1 !== undefined && v.metrics.top1Agreement < minTop1) {
      pass = false;
      reason += `; top-1 agrees on ${(v.metrics.top1Agreement * 100).toFixed(1)}% of sets, below ${(minTop1 * 100).toFixed(1)}%`;
    }
    return {
      index: v.index,
      name: t?.name ?? `output ${v.index}`,
      metrics: v.metrics,
      bound,
      pass,
      reason,
      worstSet: v.worstSet,
      classifier,
    };
  });
  const failed = outputs.filter((o) => !o.pass);
  const exact = outputs.filter((o) => o.metrics.exactShare === 1).length;
  const reason =
    outputs.length === 0
      ? 'the model has no outputs to compare'
      : failed.length > 0
        ? failed.map((o) => `output ${o.index} ('${o.name}'): ${o.reason}`).join('; ')
        : `all ${outputs.length} output(s) within their bounds; ${exact} of ${outputs.length} bit-exact`;
  return { pass: outputs.length > 0 && failed.length === 0, reason, outputs };
}
