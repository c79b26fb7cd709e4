// What the results view derives from a report: the profile the CSV is
// written from, the headline figures with their provenance labels, and the
// files a user can download. Everything starts from the Report, so a run of
// this session, a run from the history and a share link look the same.
import { profileCsv, formatDecimal } from '../../core/profile/csv.ts';
import { groupThousands } from '../../core/profile/summary.ts';
import {
  COUNTER_COLUMNS,
  type EnergyEstimate,
  type Profile,
  type ProfileRow,
} from '../../core/profile/types.ts';
import { reportHtml } from '../../core/report/html.ts';
import { reportJson } from '../../core/report/parse-report.ts';
import type { Report } from '../../core/report/types.ts';
import { formatBytes, formatCount } from './format.ts';

/** The per-layer profile a report carries, in the profile module's shape. */
export function profileOfReport(report: Report): Profile {
  const s = report.summary;
  const rows = report.layers.map((l) => {
    const row = {
      event: l.index,
      tag: l.op,
      kernel: l.kernel,
      us: l.us,
      macs: l.macs,
      cycles: l.cycles,
      extra: { ...(l.extra ?? {}) },
    } as ProfileRow;
    for (const c of COUNTER_COLUMNS) row[c] = l.counters?.[c] ?? null;
    return row;
  });
  const energy: EnergyEstimate[] = (s.energy?.modes ?? []).map((m) => ({ ...m, estimated: true }));
  return {
    source: s.source,
    board: report.provenance.board.name,
    clockMhz: s.clockMhz,
    rows,
    summary: {
      inferenceMs: s.inferenceMs,
      totalMacs: s.totalMacs,
      totalCycles: s.totalCycles,
      layers: s.layers,
      macsPerSecond: s.macsPerSecond,
      cyclesPerMac: s.cyclesPerMac,
    },
    memory: {
      arenaBytes: report.memory.arenaBytes,
      weightBytes: report.memory.weightBytes,
      codeBytesPerKernel: { ...report.memory.codeBytesPerKernel },
      codeBytes: report.memory.codeBytes,
      liveBytesPerStep: [...(report.memory.liveBytesPerStep ?? [])],
    },
    energy,
    power: null,
    warnings: [...report.warnings],
  };
}

const stem = (name: string): string => name.replace(/\.tflite$/i, '') || 'model';

export interface Download {
  id: 'csv' | 'json' | 'html';
  label: string;
  fileName: string;
  type: string;
  content: () => string;
}

export function reportDownloads(report: Report): Download[] {
  const base = `${stem(report.model.name)}-${report.provenance.board.name}`;
  return [
    {
      id: 'csv',
      label: 'Profile CSV',
      fileName: `${base}-profile.csv`,
      type: 'text/csv',
      content: () => profileCsv(profileOfReport(report)),
    },
    {
      id: 'json',
      label: 'JSON report',
      fileName: `${base}-report.json`,
      type: 'application/json',
      content: () => reportJson(report),
    },
    {
      id: 'html',
      label: 'HTML report',
      fileName: `${base}-report.html`,
      type: 'text/html',
      content: () => reportHtml(report),
    },
  ];
}

/** Where a timing figure comes from, as its label says it. */
export function sourceTag(source: Report['summary']['source']): string {
  return source;
}

export interface Figure {
  id: string;
  label: string;
  value: string;
  detail: string;
  /** 'emulated' / 'measured' for timing figures; null for exact counts. */
  tag: string | null;
  /** The number shown, unrounded (null when there is none). */
  raw: number | null;
}

const ms = (x: number): string =>
  x >= 100 ? groupThousands(x, 1) : x >= 1 ? formatDecimal(x, 2) : formatDecimal(x, 3);

function compactRate(x: number): string {
  if (x >= 1e9) return `${formatDecimal(x / 1e9, 2)} G`;
  if (x >= 1e6) return `${formatDecimal(x / 1e6, 2)} M`;
  if (x >= 1e3) return `${formatDecimal(x / 1e3, 1)} k`;
  return formatDecimal(x, 1);
}

/** The summary's headline figures. */
export function summaryFigures(report: Report): Figure[] {
  const s = report.summary;
  const tag = sourceTag(s.source);
  return [
    {
      id: 'inference',
      raw: s.inferenceMs,
      label: 'Inference',
      value: `${ms(s.inferenceMs)} ms`,
      detail: `at ${formatDecimal(s.clockMhz, 1)} MHz`,
      tag,
    },
    {
      id: 'macs',
      raw: s.totalMacs,
      label: 'MACs',
      value: formatCount(s.totalMacs),
      detail: `${s.layers} layers`,
      tag: null,
    },
    {
      id: 'cycles',
      raw: s.totalCycles,
      label: 'Cycles',
      value: formatCount(s.totalCycles),
      detail: 'per inference',
      tag,
    },
    {
      id: 'macs-per-second',
      raw: s.macsPerSecond,
      label: 'MACs/s',
      value: s.macsPerSecond === null ? 'n/a' : compactRate(s.macsPerSecond),
      detail:
        s.macsPerSecond === null ? 'no time measured' : formatCount(Math.round(s.macsPerSecond)),
      tag,
    },
    {
      id: 'cycles-per-mac',
      raw: s.cyclesPerMac,
      label: 'Cycles/MAC',
      value: s.cyclesPerMac === null ? 'n/a' : formatDecimal(s.cyclesPerMac, 2),
      detail: s.cyclesPerMac === null ? 'the model has no MACs' : 'lower is better',
      tag,
    },
    {
      id: 'arena',
      raw: s.arenaBytes,
      label: 'Arena',
      value: formatBytes(s.arenaBytes),
      detail: `${formatCount(s.arenaBytes)} B activations + scratch`,
      tag: null,
    },
    {
      id: 'weights',
      raw: s.weightBytes,
      label: 'Weights',
      value: formatBytes(s.weightBytes),
      detail: `${formatCount(s.weightBytes)} B constants`,
      tag: null,
    },
    {
      id: 'code',
      raw: s.codeBytes,
      label: 'Kernel code',
      value: formatBytes(s.codeBytes),
      detail: `${formatCount(s.codeBytes)} B, ${Object.keys(report.memory.codeBytesPerKernel).length} kernels`,
      tag: null,
    },
  ];
}

export const MODE_LABEL: Record<string, string> = {
  'low-power': 'Low-power',
  'high-performance': 'High-performance',
};

/** "3 steps", "0.0012" or "∞" for an output's largest difference. */
export function diffText(x: number | null, unit: 'steps' | 'value'): string {
  if (x === null) return '∞';
  if (unit === 'steps') return `${x} step${x === 1 ? '' : 's'}`;
  return String(Number(x.toPrecision(4)));
}

export const percent = (share: number): string => `${formatDecimal(share * 100, 2)}%`;

export { ms as formatMs };
