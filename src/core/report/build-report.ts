// Builds the JSON report from the pieces a run produces: the validation
// verdict, the profile, the analysis and what identifies the run.
import type { Analysis } from '../analysis/types.ts';
import { formatDecimal } from '../profile/csv.ts';
import { COUNTER_COLUMNS, type Profile } from '../profile/types.ts';
import { describeBound } from '../validate/bounds.ts';
import type { TensorMetrics } from '../validate/metrics.ts';
import type { TensorData } from '../validate/tensor-data.ts';
import { bytesOfData, typeOfData } from '../validate/tensor-data.ts';
import type { OutputVerdict, Verdict } from '../validate/verify.ts';
import { Sha256, sha256Hex, toHex } from './sha256.ts';
import {
  REPORT_VERSION,
  type Report,
  type ReportCounters,
  type ReportDivergence,
  type ReportLayer,
  type ReportOutput,
  type ReportProvenance,
} from './types.ts';

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

const unitOf = (type: string): 'steps' | 'value' => (type === 'FLOAT32' ? 'value' : 'steps');

function diffText(x: number, unit: 'steps' | 'value'): string {
  if (!Number.isFinite(x)) return 'infinite';
  if (unit === 'value') return String(Number(x.toPrecision(4)));
  return `${x} step${x === 1 ? '' : 's'}`;
}

const percent = (share: number): string => `${formatDecimal(share * 100, 2)}%`;

/** Why one output passed or failed, in a sentence. */
export function outputReason(v: OutputVerdict): string {
  const m = v.metrics;
  const unit = unitOf(m.type);
  const bound = describeBound(v.bound);
  if (m.nonFiniteMismatch > 0) {
    return `${m.nonFiniteMismatch} element(s) non-finite on one side only (NaN or infinity)`;
  }
  if (v.bound.kind === 'none') {
    return `measured only (layers judged one by one): max |Δ| ${diffText(m.maxAbsDiff, unit)}, ${percent(m.exactShare)} bit-exact`;
  }
  if (m.exactShare === 1) return `bit-exact over ${m.elements} element(s)`;
  const worst =
    v.bound.kind === 'float'
      ? `max relative error ${Number(m.maxRelError.toPrecision(3))}`
      : `max |Δ| ${diffText(m.maxAbsDiff, unit)}`;
  return v.pass
    ? `${worst} within ${bound} (${percent(m.exactShare)} bit-exact)`
    : `${worst} exceeds ${bound} (${percent(m.exactShare)} bit-exact; worst at input set ${v.worstSet})`;
}

function reportOutput(v: OutputVerdict, name: string): ReportOutput {
  const m = v.metrics;
  return {
    index: v.index,
    name,
    type: m.type,
    elements: m.elements,
    unit: unitOf(m.type),
    bitExactShare: m.exactShare,
    maxAbsDiff: finiteOrNull(m.maxAbsDiff),
    maxRelError: finiteOrNull(m.maxRelError),
    mae: m.mae,
    rmse: m.rmse,
    cosine: m.cosine,
    top1Agreement: m.top1Agreement,
    nonFiniteMismatch: m.nonFiniteMismatch,
    bound: describeBound(v.bound),
    pass: v.pass,
    reason: outputReason(v),
    worstSet: v.worstSet,
  };
}

/** Per-layer comparison of the runtime's layer outputs against the reference's. */
export interface LayerCheck {
  layer: number;
  op: string;
  metrics: TensorMetrics;
}

/** The first layer whose output is not bit-exact, or null when all are. */
export function findDivergence(layers: readonly LayerCheck[]): ReportDivergence | null {
  const first = [...layers]
    .sort((a, b) => a.layer - b.layer)
    .find((l) => l.metrics.exactShare < 1 || l.metrics.nonFiniteMismatch > 0);
  if (!first) return null;
  const m = first.metrics;
  const unit = unitOf(m.type);
  return {
    layer: first.layer,
    op: first.op,
    maxAbsDiff: finiteOrNull(m.maxAbsDiff),
    unit,
    bitExactShare: m.exactShare,
    message:
      `layer ${first.layer} (${first.op}) is the first to differ: max |Δ| ` +
      `${diffText(m.maxAbsDiff, unit)}, ${percent(m.exactShare)} bit-exact`,
  };
}

/**
 * SHA-256 over input sets, framed so different splits never collide: per
 * set its tensor count, per tensor its type, byte length and bytes.
 */
export function hashInputSets(sets: readonly (readonly TensorData[])[]): string {
  const h = new Sha256();
  const word = (n: number): Uint8Array => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n, true);
    return b;
  };
  const enc = new TextEncoder();
  h.update(word(sets.length));
  for (const set of sets) {
    h.update(word(set.length));
    for (const t of set) {
      const type = enc.encode(typeOfData(t));
      h.update(word(type.length)).update(type);
      const bytes = bytesOfData(t);
      h.update(word(bytes.byteLength)).update(bytes);
    }
  }
  return toHex(h.digest());
}

export interface ReportInput {
  /** Model file name as the user knows it. */
  modelName: string;
  /** The .tflite bytes (hashed), or their SHA-256 in hex. */
  model: Uint8Array | string;
  analysis: Pick<Analysis, 'model' | 'layers'>;
  profile: Profile;
  /** The validation verdict; null when outputs could not be compared (see failure). */
  verdict: Verdict | null;
  /** Why the run failed before validation (a runtime error, a fault); forces "fail". */
  failure?: string | null;
  divergence?: ReportDivergence | null;
  firmware: { buildId: string; image: Uint8Array | string; sourceId?: string };
  toolVersion: string;
  board: { name: string; core?: string };
  seed: number;
  /** The input sets (hashed), or their hashInputSets() hex and count. */
  inputs: readonly (readonly TensorData[])[] | { sha256: string; count: number };
  /** Default: now. */
  timestamp?: Date | string;
}

const hexOf = (x: Uint8Array | string): string =>
  typeof x === 'string' ? x.toLowerCase() : sha256Hex(x);

function layersOf(profile: Profile): ReportLayer[] {
  return profile.rows.map((r) => {
    const counters = {} as ReportCounters;
    for (const c of COUNTER_COLUMNS) counters[c] = r[c];
    const layer: ReportLayer = {
      index: r.event,
      op: r.tag,
      kernel: r.kernel,
      macs: r.macs,
      cycles: r.cycles,
      us: r.us,
      counters,
    };
    if (Object.keys(r.extra).length > 0) layer.extra = { ...r.extra };
    return layer;
  });
}

function verdictOf(input: ReportInput, outputs: ReportOutput[]): [Report['verdict'], string] {
  if (input.failure) return ['fail', input.failure];
  if (!input.verdict) return ['fail', 'outputs were not validated'];
  if (outputs.length === 0) return ['fail', 'the model has no outputs to validate'];
  const failed = outputs.filter((o) => !o.pass);
  if (failed.length > 0) {
    return ['fail', failed.map((o) => `output ${o.index} (${o.name}): ${o.reason}`).join('; ')];
  }
  const exact = outputs.filter((o) => o.bitExactShare === 1).length;
  return [
    'pass',
    `all ${outputs.length} output(s) within their bounds; ${exact} of ${outputs.length} bit-exact`,
  ];
}

export function buildReport(input: ReportInput): Report {
  const { profile, analysis } = input;
  const names = analysis.model.outputs.map((t) => t.name);
  const outputs = (input.verdict?.outputs ?? []).map((v) =>
    reportOutput(v, names[v.index] ?? `output ${v.index}`),
  );
  const [verdict, verdictReason] = verdictOf(input, outputs);
  const inputs = input.inputs;
  const inputsInfo =
    'sha256' in inputs
      ? { sha256: inputs.sha256.toLowerCase(), count: inputs.count }
      : { sha256: hashInputSets(inputs), count: inputs.length };
  const ts = input.timestamp ?? new Date();
  const provenance: ReportProvenance = {
    source: profile.source,
    modelSha256: hexOf(input.model),
    firmware: { buildId: input.firmware.buildId, sha256: hexOf(input.firmware.image) },
    toolVersion: input.toolVersion,
    board: { name: input.board.name, clockMhz: profile.clockMhz },
    seed: input.seed,
    inputSets: inputsInfo.count,
    inputsSha256: inputsInfo.sha256,
    timestamp: typeof ts === 'string' ? ts : ts.toISOString(),
  };
  if (input.firmware.sourceId) provenance.firmware.sourceId = input.firmware.sourceId;
  if (input.board.core) provenance.board.core = input.board.core;
  const s = profile.summary;
  const m = profile.memory;
  const power = profile.energy;
  const report: Report = {
    reportVersion: REPORT_VERSION,
    model: {
      name: input.modelName,
      fileBytes: analysis.model.fileBytes,
      layers: analysis.layers.length,
    },
    verdict,
    verdictReason,
    outputs,
    layers: layersOf(profile),
    summary: {
      source: profile.source,
      clockMhz: profile.clockMhz,
      inferenceMs: s.inferenceMs,
      totalMacs: s.totalMacs,
      totalCycles: s.totalCycles,
      layers: s.layers,
      macsPerSecond: s.macsPerSecond,
      cyclesPerMac: s.cyclesPerMac,
      arenaBytes: m.arenaBytes,
      weightBytes: m.weightBytes,
      codeBytes: m.codeBytes,
      energy:
        power.length > 0 && profile.power !== null
          ? {
              estimated: true,
              source: profile.power.source,
              supplyVolts: profile.power.supplyVolts ?? null,
              modes: power.map((e) => ({
                mode: e.mode,
                mhz: e.mhz,
                timeMs: e.timeMs,
                energyUj: e.energyUj,
                powerMw: e.powerMw,
                currentUa: e.currentUa,
                basis: e.basis,
              })),
            }
          : null,
    },
    memory: {
      arenaBytes: m.arenaBytes,
      weightBytes: m.weightBytes,
      codeBytes: m.codeBytes,
      codeBytesPerKernel: { ...m.codeBytesPerKernel },
      liveBytesPerStep: [...m.liveBytesPerStep],
    },
    provenance,
    warnings: [...profile.warnings],
  };
  if (input.divergence) report.divergence = { ...input.divergence };
  return report;
}
