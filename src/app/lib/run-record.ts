// One run as the app keeps it: what was run, how it ended, and the report.
// The results view shows a RunRecord whatever its origin (this session, the
// history, a share link), so all three look the same.
import type { Report } from '../../core/report/types.ts';
import type { RunOutcome } from '../worker/flow-protocol.ts';

export type RunStatus = 'pass' | 'fail' | 'error' | 'cancelled';

export interface RunSettings {
  seed: number;
  inputSets: number;
  /** File names of the user's inputs, by input position. */
  inputFiles: Record<number, string>;
}

export interface RunRecord {
  id: string;
  /** ISO 8601, when the run finished. */
  savedAt: string;
  modelName: string;
  boardId: string;
  boardLabel: string;
  status: RunStatus;
  settings: RunSettings;
  outcome: Omit<RunOutcome, 'exportable'>;
}

export function statusOf(outcome: Pick<RunOutcome, 'report' | 'failure'>): RunStatus {
  if (outcome.failure?.code === 'CANCELLED') return 'cancelled';
  if (outcome.failure) return 'error';
  return outcome.report?.verdict === 'pass' ? 'pass' : 'fail';
}

export const STATUS_LABEL: Record<RunStatus, string> = {
  pass: 'Pass',
  fail: 'Mismatch',
  error: 'Failed',
  cancelled: 'Cancelled',
};

/** A share link's report as a record (nothing else travels in the link). */
export function sharedRecord(report: Report): RunRecord {
  return {
    id: `shared-${report.provenance.timestamp}`,
    savedAt: report.provenance.timestamp,
    modelName: report.model.name,
    boardId: report.provenance.board.name,
    boardLabel: report.provenance.board.name,
    status: report.verdict,
    settings: {
      seed: report.provenance.seed,
      inputSets: report.provenance.inputSets,
      inputFiles: {},
    },
    outcome: {
      ok: true,
      report,
      failure: null,
      outputs: [],
      timings: {},
      warnings: [],
      totalMs: 0,
    },
  };
}

let counter = 0;

/** A unique, sortable id: time first. */
export function newRunId(now = new Date()): string {
  counter = (counter + 1) % 1000;
  return `${now.toISOString()}-${String(counter).padStart(3, '0')}-${Math.random().toString(36).slice(2, 6)}`;
}
