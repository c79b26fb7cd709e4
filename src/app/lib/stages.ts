// How the flow's stages are named and shown.
import { FLOW_STAGES, type FlowStage } from '../../core/flow/types.ts';
import type { StageView } from '../stores/run.svelte.ts';
import type { RunRecord } from './run-record.ts';

export const STAGE_LABEL: Record<FlowStage, string> = {
  package: 'Package',
  load: 'Load on the board',
  validate: 'Validate vs TFLite',
  profile: 'Profile',
  report: 'Report',
};

/** The stages of a finished run: done, failed (or cancelled) where it stopped, skipped after. */
export function stagesOfRecord(record: RunRecord): StageView[] {
  const { timings, failure } = record.outcome;
  return FLOW_STAGES.map((stage) => {
    const ms = timings[stage];
    const base = { stage, done: 0, total: 0, message: '', ms: ms ?? null };
    if (ms !== undefined) return { ...base, state: 'done' };
    if (failure?.stage === stage) {
      return {
        ...base,
        state: failure.code === 'CANCELLED' ? 'cancelled' : 'failed',
        message: failure.message,
      };
    }
    return { ...base, state: failure ? 'skipped' : 'pending' };
  });
}
