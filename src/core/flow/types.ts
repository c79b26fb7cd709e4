// The one flow: a .tflite model packaged, loaded on a board, validated
// against the TFLite reference, profiled and reported. These are the types
// the app (in a worker) and the CLI (in Node) share; run.ts drives the stages.
//
// Everything a stage produced is kept when a later stage fails or the run is
// cancelled, so a UI can show what it has and a CLI can still write it out.
import type { Analysis } from '../analysis/types.ts';
import type { PackageBuild } from '../package/build-package.ts';
import type { BoardPower, FigureSource, Profile as FlowProfileData } from '../profile/types.ts';
import type { Report, ReportDivergence } from '../report/types.ts';
import type {
  BoardInfo,
  InvokeOptions,
  InvokeResult,
  LoadProgress,
  LoadResult,
  Profile as BoardProfile,
  TensorData as BoardTensor,
} from '../rpc/client.ts';
import type { Bound } from '../validate/bounds.ts';
import type { TensorMetrics } from '../validate/metrics.ts';
import type { TensorData } from '../validate/tensor-data.ts';

// ---- stages and progress ----

export type FlowStage = 'package' | 'load' | 'validate' | 'profile' | 'report';

export const FLOW_STAGES: readonly FlowStage[] = [
  'package',
  'load',
  'validate',
  'profile',
  'report',
];

/** Progress within one stage: `done` of `total` units (bytes for load, input sets for validate). */
export interface FlowProgress {
  stage: FlowStage;
  done: number;
  total: number;
  message: string;
}

export type FlowProgressCallback = (p: FlowProgress) => void;

// ---- what the flow is given ----

/** The slice of BoardClient the flow uses (a fake in tests, BoardClient in use). */
export interface FlowBoard {
  info(): Promise<BoardInfo>;
  kernels(): Promise<number[]>;
  loadPackage(pkg: Uint8Array, onProgress?: LoadProgress): Promise<LoadResult>;
  setInput(index: number, bytes: Uint8Array): Promise<void>;
  invoke(options?: InvokeOptions): Promise<InvokeResult>;
  getOutput(index: number): Promise<BoardTensor>;
  getTensor(index: number): Promise<BoardTensor>;
  getProfile(): Promise<BoardProfile>;
  reset(hard?: boolean): Promise<void>;
}

/** The independent reference: TFLite (tfjs-tflite) in Chromium under Node, in a worker in the app. */
export interface Reference {
  /**
   * Runs the model (as given: the implementation prepares it for TFLite,
   * e.g. prepareReferenceModel) on each input set; returns the outputs per
   * set in subgraph output order. Throws when TFLite refuses the model.
   */
  run(modelBytes: Uint8Array, inputSets: TensorData[][]): Promise<TensorData[][]>;
}

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
}

/** Where the board's figures come from: emulated (virtual board, QEMU), measured (silicon), host (no cycle counters). */
export type FlowFigureSource = FigureSource;

export interface FlowDeps {
  board: FlowBoard;
  reference: Reference;
  /** Default: performance.now(). */
  clock?: Clock;
  /** Tool version for the report's provenance. */
  toolVersion: string;
  /** The firmware image that runs (hashed into provenance), or its SHA-256; absent: unknown. */
  firmwareImage?: Uint8Array | string;
  /** Firmware source hash, when known (the manifest's). */
  firmwareSourceId?: string;
  /** Timestamp source for the report (default: now). */
  timestamp?: () => Date;
  /** Energy figures of the board's part; absent: those known for the board id (boardPowerFor); null: none. */
  power?: BoardPower | null;
  /** Code bytes per kernel (the firmware manifest's `kernels`), for the memory summary. */
  kernelCodeBytes?: Record<string, number>;
}

/** Bounds overriding the per-output defaults (docs/numerics.md). */
export interface FlowThresholds {
  /** Integer outputs: accept |Δ| up to this many quantization steps (default: 0, or 1 on listed kernels). */
  steps?: number;
  /** Float outputs: relative tolerance (default 1e-5). */
  floatRel?: number;
  /** Classifier outputs: minimum share of input sets whose top-1 agrees, 0..1 (default: not judged). */
  minTop1?: number;
}

/**
 * User-supplied values for one input tensor (by name, or by index as a
 * decimal string): one TensorData per input set. Tensors without user values
 * get seeded random ones. With user inputs, the run has as many sets as the
 * longest list; a list of one is repeated.
 */
export type FlowUserInputs = Record<string, TensorData[]>;

export interface FlowOptions {
  /** Board id ('virtual-apollo4p', 'qemu-an386', 'host', ...): for the report and figure source. */
  boardId: string;
  /** Model file name, as the user knows it. */
  modelName: string;
  /** Seed of the generated inputs (default 1). */
  seed?: number;
  /** Number of generated input sets (default 20); ignored when user inputs fix the count. */
  inputSets?: number;
  userInputs?: FlowUserInputs;
  thresholds?: FlowThresholds;
  /** On a mismatch, find the first diverging layer (default true). */
  localize?: boolean;
  /** Figure source (default: by board id: host → 'host', virtual-* → 'emulated', else 'measured'). */
  figures?: FlowFigureSource;
}

export const DEFAULT_INPUT_SETS = 20;
export const DEFAULT_SEED = 1;

// ---- what the flow produces ----

export interface FlowInputs {
  /** [set][input] in subgraph input order. */
  sets: TensorData[][];
  seed: number;
  /** Per input tensor: true when the values are the user's. */
  userSupplied: boolean[];
  /** hashInputSets() of `sets`. */
  sha256: string;
}

export interface FlowOutputCheck {
  index: number;
  name: string;
  metrics: TensorMetrics;
  bound: Bound;
  pass: boolean;
  /** Why it passed or failed, in a sentence. */
  reason: string;
  /** Input set with the largest difference (replay it by seed and index). */
  worstSet: number;
  /** True for outputs judged as classifiers (top-1 reported). */
  classifier: boolean;
}

/** One layer compared on one input set (the worst set of the mismatch). */
export interface FlowLayerCheck {
  /** Package layer index (what invoke({stopAfterLayer}) counts). */
  layer: number;
  /** TFLite operator index. */
  sourceOp: number;
  op: string;
  /** TFLite tensor index of the layer's (first) output. */
  tensor: number;
  metrics: TensorMetrics;
}

/** One TFLite operator judged alone, on the reference's activations for its inputs. */
export interface FlowLayerVerdict {
  /** TFLite operator index. */
  layer: number;
  op: string;
  /** Kernel the runtime runs for it, when packaged. */
  kernel: string | null;
  /** False when the layer could not be cut out and run alone (reason says why); it does not fail the run. */
  checked: boolean;
  pass: boolean;
  /** The bound judged against, in words ("bit-exact", "|Δ| ≤ 1 step", ...). */
  bound: string | null;
  /** Its (worst) output's agreement with the reference. */
  metrics: TensorMetrics | null;
  reason: string;
}

export interface FlowValidation {
  pass: boolean;
  /** One sentence: why. */
  reason: string;
  /**
   * 'outputs': the model's outputs are judged against their bounds.
   * 'layers': the model has kernels that may round one step differently
   * from TFLite, so its outputs are measured (one step early can grow) and
   * every layer is judged alone instead (docs/numerics.md).
   */
  mode: 'outputs' | 'layers';
  outputs: FlowOutputCheck[];
  /** In 'layers' mode: the verdict of each layer and how many input sets were replayed. */
  layers?: { sets: number; verdicts: FlowLayerVerdict[] };
  /** Present when a mismatch was localised (or localisation found nothing to name). */
  localization?: {
    /** Input set the layers were compared on. */
    inputSet: number;
    layers: FlowLayerCheck[];
    divergence: ReportDivergence | null;
    /** Why localisation stopped early, when it did. */
    note?: string;
  };
}

/** Everything the stages produced so far; on failure, the completed part. */
export interface FlowArtifacts {
  analysis?: Analysis;
  package?: PackageBuild;
  board?: BoardInfo;
  load?: LoadResult;
  inputs?: FlowInputs;
  /** Reference outputs, [set][output]. */
  expected?: TensorData[][];
  /** Board outputs, [set][output]. */
  actual?: TensorData[][];
  validation?: FlowValidation;
  /** The board's raw per-layer counters. */
  boardProfile?: BoardProfile;
  profile?: FlowProfileData;
  report?: Report;
  /** Wall-clock time per completed stage, ms. */
  timings: Partial<Record<FlowStage, number>>;
  /** Things worth telling the user that did not stop the run. */
  warnings: string[];
}

export type FlowErrorCode =
  /** The file is not a readable TFLite model. */
  | 'BAD_MODEL'
  /** Operators with no kernel (named in `unsupportedOps`). */
  | 'UNSUPPORTED_OPS'
  /** The package could not be built for another reason. */
  | 'PACKAGE'
  /** The package or its arena does not fit the board. */
  | 'BOARD_TOO_SMALL'
  /** The board's runtime lacks kernels the package needs. */
  | 'MISSING_KERNELS'
  /** The board executes another package format version. */
  | 'FORMAT_MISMATCH'
  /** The board failed a request (timeout, link, runtime error). */
  | 'BOARD'
  /** User inputs that do not fit the model. */
  | 'BAD_INPUT'
  /** The reference refused the model or failed. */
  | 'REFERENCE'
  | 'CANCELLED'
  | 'INTERNAL';

export interface FlowFailure {
  stage: FlowStage;
  code: FlowErrorCode;
  /** Actionable, one or two sentences, naming the stage's step. */
  message: string;
  /** For UNSUPPORTED_OPS / MISSING_KERNELS: what is missing. */
  unsupportedOps?: string[];
  missingKernels?: string[];
  /** The underlying error (RpcError, PackageError, ...), for logs. */
  cause?: unknown;
}

/**
 * ok: every stage ran (the verdict may still be 'fail': a mismatch is a
 * result, not an error). Not ok: a stage could not finish; `artifacts` holds
 * what earlier stages produced.
 */
export type FlowResult =
  | {
      ok: true;
      verdict: 'pass' | 'fail';
      artifacts: FlowArtifacts &
        Required<
          Pick<
            FlowArtifacts,
            'analysis' | 'package' | 'board' | 'inputs' | 'validation' | 'profile' | 'report'
          >
        >;
    }
  | { ok: false; failure: FlowFailure; artifacts: FlowArtifacts };
