// Comparing two runs (a baseline report and the current one): what moved,
// and which moves are regressions under the gate's thresholds. The CLI's
// `--baseline report.json` fails when `regressions` is not empty.
import { formatDecimal } from '../profile/csv.ts';
import type { Report, ReportOutput } from './types.ts';

export interface RegressionThresholds {
  /** Inference time or total cycles rising by more than this, percent. */
  latencyIncreasePct: number;
  /** Arena growing by more than this many bytes. */
  arenaIncreaseBytes: number;
  /** An output that was bit-exact in the baseline and no longer is. */
  bitExactLoss: boolean;
  /** Max |Δ| of an output rising by more than this (steps, or value for float outputs). */
  maxAbsDiffIncrease: number;
  /** Layers whose cycles moved by more than this percent are listed (never a regression alone). */
  layerChangePct: number;
}

export const DEFAULT_THRESHOLDS: RegressionThresholds = {
  latencyIncreasePct: 5,
  arenaIncreaseBytes: 0,
  bitExactLoss: true,
  maxAbsDiffIncrease: 0,
  layerChangePct: 10,
};

export interface MetricDelta {
  /** Stable name: 'inferenceMs', 'outputs[0].maxAbsDiff', ... */
  metric: string;
  baseline: number | null;
  current: number | null;
  /** current - baseline; null when either is missing or infinite. */
  delta: number | null;
  /** delta / |baseline|; null when the baseline is 0 or missing. */
  relative: number | null;
  regression: boolean;
}

export interface Regression {
  metric: string;
  message: string;
}

export interface LayerDelta {
  index: number;
  op: string;
  baselineCycles: number;
  currentCycles: number;
  /** Percent change of the layer's cycles. */
  changePct: number | null;
  /** Share of the total cycle change this layer accounts for. */
  shareOfChange: number | null;
}

export interface ReportComparison {
  deltas: MetricDelta[];
  /** Layers (matched by index and op) that moved beyond layerChangePct, largest first. */
  layers: LayerDelta[];
  regressions: Regression[];
  /** Why some figures were not compared, or could mislead. */
  warnings: string[];
  /** No regressions. */
  pass: boolean;
}

function delta(
  metric: string,
  baseline: number | null,
  current: number | null,
  regression = false,
): MetricDelta {
  const d =
    baseline === null || current === null || !Number.isFinite(baseline - current)
      ? null
      : current - baseline;
  return {
    metric,
    baseline,
    current,
    delta: d,
    relative: d === null || baseline === 0 || baseline === null ? null : d / Math.abs(baseline),
    regression,
  };
}

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${formatDecimal(x * 100, 1)}%`;

/** null maxAbsDiff means infinite; treat it as larger than any number. */
const diffValue = (x: number | null): number => (x === null ? Infinity : x);

function diffText(x: number | null, o: ReportOutput): string {
  if (x === null) return 'infinite';
  return o.unit === 'steps' ? `${x} step${x === 1 ? '' : 's'}` : String(Number(x.toPrecision(4)));
}

export function compareReports(
  baseline: Report,
  current: Report,
  thresholds: Partial<RegressionThresholds> = {},
): ReportComparison {
  const t: RegressionThresholds = { ...DEFAULT_THRESHOLDS, ...thresholds };
  const deltas: MetricDelta[] = [];
  const regressions: Regression[] = [];
  const warnings: string[] = [];
  const flag = (metric: string, message: string): void => {
    regressions.push({ metric, message });
  };

  if (baseline.provenance.modelSha256 !== current.provenance.modelSha256) {
    warnings.push(
      `different models (${baseline.model.name} ${baseline.provenance.modelSha256.slice(0, 12)} vs ` +
        `${current.model.name} ${current.provenance.modelSha256.slice(0, 12)})`,
    );
  }
  if (
    baseline.provenance.seed !== current.provenance.seed ||
    baseline.provenance.inputsSha256 !== current.provenance.inputsSha256
  ) {
    warnings.push('different validation inputs: accuracy figures compare different data');
  }

  // Timing: only meaningful on the same kind of board, from the same kind of source.
  const bs = baseline.summary;
  const cs = current.summary;
  const sameBoard = baseline.provenance.board.name === current.provenance.board.name;
  const sameSource = bs.source === cs.source;
  const timingComparable = sameBoard && sameSource;
  if (!sameSource) {
    warnings.push(
      `timing not compared: baseline is ${bs.source}, this run ${cs.source} (figures of different kinds)`,
    );
  } else if (!sameBoard) {
    warnings.push(
      `timing not compared: baseline ran on ${baseline.provenance.board.name}, this run on ${current.provenance.board.name}`,
    );
  }
  if (timingComparable && bs.clockMhz !== cs.clockMhz) {
    warnings.push(
      `clock changed (${bs.clockMhz} → ${cs.clockMhz} MHz): compare cycles rather than time`,
    );
  }
  // One regression for one slowdown: time first; cycles when a faster clock hides them.
  const time = delta('inferenceMs', bs.inferenceMs, cs.inferenceMs);
  const cycles = delta('totalCycles', bs.totalCycles, cs.totalCycles);
  const over = (d: MetricDelta): boolean =>
    timingComparable && d.relative !== null && d.relative * 100 > t.latencyIncreasePct;
  if (over(time)) {
    time.regression = true;
    flag(
      'inferenceMs',
      `inference time rose ${pct(time.relative as number)} (${formatDecimal(bs.inferenceMs, 3)} → ` +
        `${formatDecimal(cs.inferenceMs, 3)} ms; threshold +${t.latencyIncreasePct}%)`,
    );
  } else if (over(cycles)) {
    cycles.regression = true;
    flag(
      'totalCycles',
      `total cycles rose ${pct(cycles.relative as number)} (${bs.totalCycles} → ${cs.totalCycles}; ` +
        `threshold +${t.latencyIncreasePct}%)`,
    );
  }
  deltas.push(time, cycles);
  deltas.push(delta('cyclesPerMac', bs.cyclesPerMac, cs.cyclesPerMac));

  // Memory.
  const arena = delta('arenaBytes', bs.arenaBytes, cs.arenaBytes);
  if ((arena.delta ?? 0) > t.arenaIncreaseBytes) {
    arena.regression = true;
    flag(
      'arenaBytes',
      `arena grew by ${arena.delta} bytes (${bs.arenaBytes} → ${cs.arenaBytes}; threshold ${t.arenaIncreaseBytes} bytes)`,
    );
  }
  deltas.push(arena);
  deltas.push(delta('weightBytes', bs.weightBytes, cs.weightBytes));
  deltas.push(delta('codeBytes', bs.codeBytes, cs.codeBytes));

  // Energy: same modes only (informational; it follows the cycles).
  const be = bs.energy?.modes ?? [];
  for (const ce of cs.energy?.modes ?? []) {
    const b = be.find((m) => m.mode === ce.mode);
    if (b && timingComparable) deltas.push(delta(`energyUj.${ce.mode}`, b.energyUj, ce.energyUj));
  }

  // Accuracy.
  if (baseline.verdict === 'pass' && current.verdict === 'fail') {
    flag('verdict', `verdict changed from pass to fail: ${current.verdictReason}`);
  }
  if (baseline.outputs.length !== current.outputs.length) {
    warnings.push(
      `output count changed (${baseline.outputs.length} → ${current.outputs.length}); outputs compared by index`,
    );
  }
  for (const c of current.outputs) {
    const b = baseline.outputs.find((o) => o.index === c.index);
    if (!b) continue;
    const p = `outputs[${c.index}]`;
    const name = `output ${c.index} (${c.name})`;
    const exact = delta(`${p}.bitExactShare`, b.bitExactShare, c.bitExactShare);
    if (t.bitExactLoss && b.bitExactShare === 1 && c.bitExactShare < 1) {
      exact.regression = true;
      flag(
        exact.metric,
        `${name} is no longer bit-exact (${formatDecimal(c.bitExactShare * 100, 2)}% of elements identical)`,
      );
    }
    deltas.push(exact);
    const bd = diffValue(b.maxAbsDiff);
    const cd = diffValue(c.maxAbsDiff);
    const maxDiff = delta(`${p}.maxAbsDiff`, b.maxAbsDiff, c.maxAbsDiff);
    if (cd > bd && (cd === Infinity || cd - bd > t.maxAbsDiffIncrease)) {
      maxDiff.regression = true;
      flag(
        maxDiff.metric,
        `${name}: max |Δ| rose from ${diffText(b.maxAbsDiff, b)} to ${diffText(c.maxAbsDiff, c)}`,
      );
    }
    deltas.push(maxDiff);
    deltas.push(delta(`${p}.mae`, b.mae, c.mae));
    deltas.push(delta(`${p}.rmse`, b.rmse, c.rmse));
    deltas.push(delta(`${p}.cosine`, b.cosine, c.cosine));
    deltas.push(delta(`${p}.top1Agreement`, b.top1Agreement, c.top1Agreement));
  }

  // Layers: where the cycles went (never a regression by itself: per-layer noise is larger).
  const layers: LayerDelta[] = [];
  if (timingComparable) {
    const totalChange = cs.totalCycles - bs.totalCycles;
    for (const c of current.layers) {
      const b = baseline.layers.find((l) => l.index === c.index && l.op === c.op);
      if (!b) continue;
      const change = c.cycles - b.cycles;
      const changePct = b.cycles > 0 ? (change / b.cycles) * 100 : null;
      if (change !== 0 && (changePct === null || Math.abs(changePct) > t.layerChangePct)) {
        layers.push({
          index: c.index,
          op: c.op,
          baselineCycles: b.cycles,
          currentCycles: c.cycles,
          changePct,
          shareOfChange: totalChange !== 0 ? change / totalChange : null,
        });
      }
    }
    layers.sort(
      (x, y) =>
        Math.abs(y.currentCycles - y.baselineCycles) - Math.abs(x.currentCycles - x.baselineCycles),
    );
    const latency = regressions.find(
      (r) => r.metric === 'inferenceMs' || r.metric === 'totalCycles',
    );
    const top = layers.filter((l) => l.currentCycles > l.baselineCycles).slice(0, 3);
    if (latency && top.length > 0) {
      latency.message +=
        '; largest increases: ' +
        top
          .map(
            (l) =>
              `layer ${l.index} ${l.op} ${l.changePct === null ? 'new cycles' : pct(l.changePct / 100)}`,
          )
          .join(', ');
    }
  }
  return { deltas, layers, regressions, warnings, pass: regressions.length === 0 };
}

/** The comparison as lines for a terminal or a CI log. */
export function comparisonText(c: ReportComparison): string {
  const lines: string[] = [];
  if (c.regressions.length === 0) lines.push('No regressions against the baseline.');
  else {
    lines.push(`${c.regressions.length} regression(s) against the baseline:`);
    for (const r of c.regressions) lines.push(`  - ${r.message}`);
  }
  for (const w of c.warnings) lines.push(`  note: ${w}`);
  return lines.join('\n') + '\n';
}
