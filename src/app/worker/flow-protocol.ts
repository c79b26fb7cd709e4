// The contract between the page and the flow worker. Plain data only: it
// crosses the worker boundary by structured clone.
import type { FlowErrorCode, FlowProgress, FlowStage } from '../../core/flow/types.ts';
import type { Report, ReportOutput } from '../../core/report/types.ts';

export type BoardKind = 'virtual' | 'webserial';

export interface FlowWorkerConfig {
  /** Absolute URL of the folder holding the app's build files (ends in '/'). */
  baseUrl: string;
  toolVersion: string;
}

/** A user's file for one input tensor (raw bytes; the worker decodes it). */
export interface UserInputFile {
  /** Position of the input tensor in the subgraph's inputs. */
  input: number;
  fileName: string;
  /** MIME type as the browser reported it ('' when unknown). */
  mimeType: string;
  bytes: ArrayBuffer;
}

export interface RunRequest {
  /** A copy of the .tflite file (transferred). */
  model: ArrayBuffer;
  modelName: string;
  /** Board id for the report: 'virtual-apollo4p', or the real board's name. */
  boardId: string;
  board: BoardKind;
  seed: number;
  inputSets: number;
  inputs: UserInputFile[];
}

/** What the run store shows per stage. */
export type StageState = 'pending' | 'running' | 'done' | 'failed' | 'cancelled' | 'skipped';

export interface RunFailure {
  stage: FlowStage;
  code: FlowErrorCode;
  message: string;
  unsupportedOps?: string[];
  missingKernels?: string[];
}

/** The outcome of one run, as the page keeps it (and the history stores it). */
export interface RunOutcome {
  ok: boolean;
  /** The report, when the run got that far (a mismatch is still a report). */
  report: Report | null;
  failure: RunFailure | null;
  /** Output checks when validation finished but no report was built. */
  outputs: ReportOutput[];
  /** Wall time per completed stage, ms. */
  timings: Partial<Record<FlowStage, number>>;
  warnings: string[];
  /** Drop-to-report wall time of the run, ms. */
  totalMs: number;
  /** An export zip can be built from this run (the worker still holds its artifacts). */
  exportable: boolean;
}

export type ExportOutcome =
  | { ok: true; zip: Uint8Array; fileName: string; note: string | null }
  | { ok: false; message: string };

export type ProgressListener = (p: FlowProgress) => void;

export interface FlowWorkerApi {
  configure(config: FlowWorkerConfig, reference: MessagePort): void;
  /**
   * Runs the flow. For a WebSerial board, `link` is the worker's end of the
   * page's serial link (see transport/port.ts).
   */
  run(request: RunRequest, onProgress: ProgressListener, link?: MessagePort): Promise<RunOutcome>;
  /** Cancels the run in flight (no-op when idle). */
  cancel(): void;
  /** Builds the export zip of the last finished run. */
  exportZip(): Promise<ExportOutcome>;
}
