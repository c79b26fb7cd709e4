// The JSON report: one run of one model on one board, validated against the
// reference and profiled. docs/report-schema.json is its JSON Schema and
// docs/report.md explains every field; change the three together and bump
// REPORT_VERSION when a field changes meaning or disappears.
//
// Numbers are always finite: an infinite difference (a NaN or infinity on
// one side only) is written as null next to a non-zero nonFiniteMismatch.
import type { CounterColumn, FigureSource, PowerMode } from '../profile/types.ts';

export const REPORT_VERSION = 1;

export type ReportVerdict = 'pass' | 'fail';

/** How one output tensor agrees with the reference, over every input set. */
export interface ReportOutput {
  index: number;
  name: string;
  /** Element type (INT8, FLOAT32, ...). */
  type: string;
  /** Elements compared (over all input sets). */
  elements: number;
  /** Unit of maxAbsDiff: quantization steps for integer outputs, values for float. */
  unit: 'steps' | 'value';
  /** Share of elements bit-identical, 0..1. */
  bitExactShare: number;
  /** Largest |actual - reference|; null when infinite. */
  maxAbsDiff: number | null;
  /** Largest relative error (float outputs); null when infinite. */
  maxRelError: number | null;
  /** Over dequantized values when the output is quantized. */
  mae: number;
  rmse: number;
  cosine: number;
  /** Share of rows whose arg-max agrees, 0..1. */
  top1Agreement: number;
  nonFiniteMismatch: number;
  /** The bound judged against, in words ("bit-exact", "|Δ| ≤ 1 step", ...). */
  bound: string;
  pass: boolean;
  reason: string;
  /** Input set where the largest difference occurred (replay it by seed and index). */
  worstSet: number;
}

/** The first layer whose output differs from the reference. */
export interface ReportDivergence {
  layer: number;
  op: string;
  /** In the layer output's unit (steps or value); null when infinite. */
  maxAbsDiff: number | null;
  unit: 'steps' | 'value';
  bitExactShare: number;
  message: string;
}

export type ReportCounters = Record<CounterColumn, number | null>;

export interface ReportLayer {
  index: number;
  op: string;
  kernel: string | null;
  macs: number;
  cycles: number;
  /** cycles / clock MHz. */
  us: number;
  /** The CSV's counters; null where the board does not count. Absent when trimmed. */
  counters?: ReportCounters;
  /** Board-defined counters beyond the CSV's. Absent when trimmed or none. */
  extra?: Record<string, number>;
}

export interface ReportEnergyMode {
  mode: PowerMode;
  mhz: number;
  timeMs: number;
  energyUj: number;
  powerMw: number;
  /** null when only a power figure is known. */
  currentUa: number | null;
  basis: 'current' | 'power';
}

export interface ReportEnergy {
  estimated: true;
  /** Citation of the current-per-MHz, power and voltage figures. */
  source: string;
  /** null when the figures are powers given without a voltage. */
  supplyVolts: number | null;
  modes: ReportEnergyMode[];
}

export interface ReportSummary {
  /** Where the timing figures come from (also in provenance). */
  source: FigureSource;
  clockMhz: number;
  inferenceMs: number;
  totalMacs: number;
  totalCycles: number;
  layers: number;
  macsPerSecond: number | null;
  cyclesPerMac: number | null;
  arenaBytes: number;
  weightBytes: number;
  codeBytes: number;
  /** null when the board has no power figures. */
  energy: ReportEnergy | null;
}

export interface ReportMemory {
  arenaBytes: number;
  weightBytes: number;
  codeBytes: number;
  codeBytesPerKernel: Record<string, number>;
  /** Arena bytes live at each layer. Absent when trimmed. */
  liveBytesPerStep?: number[];
}

export interface ReportProvenance {
  source: FigureSource;
  /** SHA-256 of the .tflite file, hex. */
  modelSha256: string;
  firmware: {
    /** The firmware manifest's build id. */
    buildId: string;
    /** SHA-256 of the image that ran, hex. */
    sha256: string;
    /** Hash of the firmware sources, when known. */
    sourceId?: string;
  };
  toolVersion: string;
  board: { name: string; core?: string; clockMhz: number };
  /** Seed of the generated inputs. */
  seed: number;
  inputSets: number;
  /** SHA-256 over every input set (hashInputSets), hex. */
  inputsSha256: string;
  /** ISO 8601, UTC. */
  timestamp: string;
}

export type TrimStep = 'extraCounters' | 'counters' | 'liveBytes' | 'layers';

export interface ReportTrimmed {
  dropped: TrimStep[];
  note: string;
}

export interface Report {
  reportVersion: typeof REPORT_VERSION;
  model: { name: string; fileBytes: number; layers: number };
  verdict: ReportVerdict;
  verdictReason: string;
  outputs: ReportOutput[];
  divergence?: ReportDivergence;
  layers: ReportLayer[];
  summary: ReportSummary;
  memory: ReportMemory;
  provenance: ReportProvenance;
  warnings: string[];
  /** Present when parts were dropped to fit a share link. */
  trimmed?: ReportTrimmed;
}
