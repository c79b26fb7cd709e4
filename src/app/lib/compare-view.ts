// The comparison of two runs as rows for a side-by-side table: latency,
// memory and accuracy, each with its change and whether the change is a
// regression, an improvement or neither (compareReports decides regressions).
import { formatDecimal } from '../../core/profile/csv.ts';
import { compareReports, type ReportComparison } from '../../core/report/compare.ts';
import type { Report } from '../../core/report/types.ts';
import { formatBytes } from './format.ts';

export type Direction = 'lower' | 'higher';
/** 'worse': moved the wrong way, within the regression thresholds. */
export type Change = 'regression' | 'worse' | 'improvement' | 'same' | 'changed';

export interface CompareRow {
  metric: string;
  group: 'Latency' | 'Memory' | 'Energy' | 'Accuracy';
  label: string;
  baseline: string;
  current: string;
  delta: string;
  change: Change;
}

interface MetricInfo {
  group: CompareRow['group'];
  label: string;
  better: Direction;
  format: (x: number) => string;
}

const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const pct = (x: number): string => `${formatDecimal(x * 100, 2)}%`;
const num = (x: number): string => String(Number(x.toPrecision(4)));

function info(metric: string): MetricInfo | null {
  const out = /^outputs\[(\d+)\]\.(\w+)$/.exec(metric);
  if (out) {
    const [, index, field] = out;
    const o = `output ${index}`;
    switch (field) {
      case 'bitExactShare':
        return { group: 'Accuracy', label: `${o} bit-exact`, better: 'higher', format: pct };
      case 'maxAbsDiff':
        return { group: 'Accuracy', label: `${o} max |Δ|`, better: 'lower', format: num };
      case 'mae':
        return { group: 'Accuracy', label: `${o} MAE`, better: 'lower', format: num };
      case 'rmse':
        return { group: 'Accuracy', label: `${o} RMSE`, better: 'lower', format: num };
      case 'cosine':
        return { group: 'Accuracy', label: `${o} cosine`, better: 'higher', format: num };
      case 'top1Agreement':
        return { group: 'Accuracy', label: `${o} top-1 agreement`, better: 'higher', format: pct };
    }
    return null;
  }
  const energy = /^energyUj\.(.+)$/.exec(metric);
  if (energy) {
    return {
      group: 'Energy',
      label: `Energy, ${energy[1]} (µJ, estimated)`,
      better: 'lower',
      format: (x) => formatDecimal(x, 2),
    };
  }
  switch (metric) {
    case 'inferenceMs':
      return {
        group: 'Latency',
        label: 'Inference (ms)',
        better: 'lower',
        format: (x) => formatDecimal(x, 3),
      };
    case 'totalCycles':
      return { group: 'Latency', label: 'Cycles', better: 'lower', format: int };
    case 'cyclesPerMac':
      return {
        group: 'Latency',
        label: 'Cycles per MAC',
        better: 'lower',
        format: (x) => formatDecimal(x, 3),
      };
    case 'arenaBytes':
      return { group: 'Memory', label: 'Arena', better: 'lower', format: formatBytes };
    case 'weightBytes':
      return { group: 'Memory', label: 'Weights', better: 'lower', format: formatBytes };
    case 'codeBytes':
      return { group: 'Memory', label: 'Kernel code', better: 'lower', format: formatBytes };
  }
  return null;
}

/** Relative changes below this are shown but not called better or worse. */
const NEGLIGIBLE = 0.001;

export interface ComparisonView {
  comparison: ReportComparison;
  rows: CompareRow[];
}

export function compareView(baseline: Report, current: Report): ComparisonView {
  const comparison = compareReports(baseline, current);
  const rows: CompareRow[] = [];
  for (const d of comparison.deltas) {
    const m = info(d.metric);
    if (!m) continue;
    const show = (x: number | null): string => (x === null ? '—' : m.format(x));
    let change: Change = 'same';
    if (d.regression) change = 'regression';
    else if (d.delta === null) change = d.baseline === d.current ? 'same' : 'changed';
    else if (d.delta !== 0 && (d.relative === null || Math.abs(d.relative) >= NEGLIGIBLE)) {
      const better = m.better === 'lower' ? d.delta < 0 : d.delta > 0;
      change = better ? 'improvement' : 'worse';
    }
    const rel =
      d.relative === null || d.delta === 0
        ? ''
        : Math.abs(d.relative) < NEGLIGIBLE
          ? ' (<0.1%)'
          : ` (${d.relative >= 0 ? '+' : '−'}${formatDecimal(Math.abs(d.relative) * 100, 1)}%)`;
    // A change too small for the figure's own format still shows as a number.
    const size = (x: number): string => {
      const text = m.format(x);
      return /[1-9]/.test(text) ? text : String(Number(x.toPrecision(2)));
    };
    rows.push({
      metric: d.metric,
      group: m.group,
      label: m.label,
      baseline: show(d.baseline),
      current: show(d.current),
      delta:
        d.delta === null
          ? ''
          : d.delta === 0
            ? '0'
            : `${d.delta > 0 ? '+' : '−'}${size(Math.abs(d.delta))}${rel}`,
      change,
    });
  }
  return { comparison, rows };
}
