// Stage 'report': the JSON report (src/core/report) from what the stages
// produced, with the flow's own verdict wording and provenance.
import type { Analysis } from '../analysis/types.ts';
import type { Profile } from '../profile/types.ts';
import { buildReport } from '../report/build-report.ts';
import type { Report } from '../report/types.ts';
import type { BoardInfo } from '../rpc/client.ts';
import type { OutputVerdict, Verdict } from '../validate/verify.ts';
import type { FlowDeps, FlowInputs, FlowValidation } from './types.ts';

/** Shown when nobody told us which image runs and the board's build id is not a hash. */
export const UNKNOWN_SHA256 = '0'.repeat(64);

const isSha256 = (s: string): boolean => /^[0-9a-f]{64}$/.test(s);

function firmwareImage(deps: FlowDeps, info: BoardInfo, warnings: string[]): Uint8Array | string {
  if (deps.firmwareImage !== undefined) return deps.firmwareImage;
  // A build id that is a SHA-256 is taken as the image's (a board may report one).
  if (isSha256(info.buildId.toLowerCase())) return info.buildId.toLowerCase();
  warnings.push(
    `firmware image unknown (build id '${info.buildId}'): provenance carries a zero hash`,
  );
  return UNKNOWN_SHA256;
}

export interface ReportContext {
  deps: FlowDeps;
  modelBytes: Uint8Array;
  modelName: string;
  boardId: string;
  analysis: Analysis;
  info: BoardInfo;
  inputs: FlowInputs;
  validation: FlowValidation;
  profile: Profile;
  warnings: string[];
}

export function makeReport(ctx: ReportContext): Report {
  const { deps, validation, info } = ctx;
  const warnings = [...ctx.warnings];
  const verdict: Verdict = {
    pass: validation.pass,
    outputs: validation.outputs.map((o): OutputVerdict => ({
      index: o.index,
      metrics: o.metrics,
      bound: o.bound,
      pass: o.pass,
      worstSet: o.worstSet,
    })),
  };
  const image = firmwareImage(deps, info, warnings);
  const report = buildReport({
    modelName: ctx.modelName,
    model: ctx.modelBytes,
    analysis: ctx.analysis,
    profile: ctx.profile,
    verdict,
    divergence: validation.localization?.divergence ?? null,
    firmware: {
      buildId: info.buildId || 'unknown',
      image,
      ...(deps.firmwareSourceId ? { sourceId: deps.firmwareSourceId } : {}),
    },
    toolVersion: deps.toolVersion,
    board: { name: ctx.boardId, ...(info.core ? { core: info.core } : {}) },
    seed: ctx.inputs.seed,
    inputs: { sha256: ctx.inputs.sha256, count: ctx.inputs.sets.length },
    timestamp: deps.timestamp?.() ?? new Date(),
  });
  // The flow's thresholds and top-1 requirement can change a verdict that
  // buildReport re-derives from the bounds alone: its words win.
  report.outputs = report.outputs.map((o, i) => {
    const check = validation.outputs[i];
    return check ? { ...o, pass: check.pass, reason: check.reason } : o;
  });
  report.verdict = validation.pass ? 'pass' : 'fail';
  report.verdictReason = validation.reason;
  const note = validation.localization?.note;
  if (note) warnings.push(`localisation: ${note}`);
  report.warnings = [...report.warnings, ...warnings.filter((w) => !report.warnings.includes(w))];
  return report;
}
