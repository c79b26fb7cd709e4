// A flow result as the page keeps it: the report (or the typed failure and
// what was done before it), without the tensors and package bytes that stay
// in the worker for the export.
import type { FlowOutputCheck, FlowResult, FlowStage } from '../../core/flow/types.ts';
import type { ReportOutput } from '../../core/report/types.ts';
import { describeBound } from '../../core/validate/bounds.ts';
import type { RunFailure, RunOutcome } from './flow-protocol.ts';

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** An output check in the report's shape (used when no report was built). */
export function reportOutputOf(o: FlowOutputCheck): ReportOutput {
  const m = o.metrics;
  return {
    index: o.index,
    name: o.name,
    type: m.type,
    elements: m.elements,
    unit: m.type === 'FLOAT32' ? 'value' : 'steps',
    bitExactShare: m.exactShare,
    maxAbsDiff: finiteOrNull(m.maxAbsDiff),
    maxRelError: finiteOrNull(m.maxRelError),
    mae: m.mae,
    rmse: m.rmse,
    cosine: m.cosine,
    top1Agreement: m.top1Agreement,
    nonFiniteMismatch: m.nonFiniteMismatch,
    bound: describeBound(o.bound),
    pass: o.pass,
    reason: o.reason,
    worstSet: o.worstSet,
  };
}

/**
 * `cancelled`: the user asked to stop. Closing the link to stop an inference
 * makes the board's request fail; that is still a cancellation, at the stage
 * where it happened.
 */
export function outcomeOf(
  result: FlowResult,
  cancelled: boolean,
  totalMs: number,
  crash: Error | null = null,
): RunOutcome {
  const a = result.artifacts;
  let failure: RunFailure | null = null;
  if (!result.ok) {
    const f = result.failure;
    let code = f.code;
    let message = f.message;
    if (cancelled) {
      code = 'CANCELLED';
      if (f.code !== 'CANCELLED') message = `cancelled during ${f.stage}`;
    } else if (crash) {
      code = 'INTERNAL';
      message = `${f.stage}: the board stopped on an internal error: ${crash.name}: ${crash.message}`;
    }
    failure = {
      stage: f.stage,
      code,
      message,
      ...(f.unsupportedOps ? { unsupportedOps: [...f.unsupportedOps] } : {}),
      ...(f.missingKernels ? { missingKernels: [...f.missingKernels] } : {}),
    };
  }
  return {
    ok: result.ok,
    report: a.report ?? null,
    failure,
    outputs: a.report ? [] : (a.validation?.outputs.map(reportOutputOf) ?? []),
    timings: { ...a.timings },
    warnings: [...a.warnings],
    totalMs,
    exportable: a.analysis !== undefined && a.package !== undefined,
  };
}

/** Stages that finished, in order (from the timings the flow recorded). */
export function completedStages(outcome: RunOutcome, stages: readonly FlowStage[]): FlowStage[] {
  return stages.filter((s) => outcome.timings[s] !== undefined);
}
