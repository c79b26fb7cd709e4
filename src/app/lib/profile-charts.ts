// The results view's charts (Chart.js): time per layer, cycles per MAC per
// layer, and arena occupancy per layer against the arena size. Loaded only
// when a report is shown.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { formatDecimal } from '../../core/profile/csv.ts';
import type { Report } from '../../core/report/types.ts';
import { bytesAxisFormatter, formatCount } from './format.ts';
import { blockColour, byteTickStep } from './memory-series.ts';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  Legend,
);

export type ProfileChartKind = 'time' | 'cycles-per-mac' | 'occupancy';

const MUTED = '#5d6472';
const GRID = '#eef0f3';

/** Op names in order of first use: their position picks their colour (the same in every chart of a report). */
export function opsOf(report: Report): string[] {
  return [...new Set(report.layers.map((l) => l.op))];
}

function axis(title: string, callback?: (v: number) => string): Record<string, unknown> {
  return {
    beginAtZero: true,
    title: { display: true, text: title, color: MUTED },
    grid: { color: GRID },
    ticks: { color: MUTED, ...(callback ? { callback: (v: unknown) => callback(Number(v)) } : {}) },
  };
}

const layerAxis = {
  title: { display: true, text: 'Layer', color: MUTED },
  grid: { display: false },
  ticks: { color: MUTED, autoSkip: true, maxRotation: 0 },
};

type Config = ChartConfiguration<'bar', (number | null)[], string>;

export function profileChartConfig(
  kind: ProfileChartKind,
  report: Report,
  onRendered: () => void,
): Config {
  const layers = report.layers;
  const labels = layers.map((l) => String(l.index));
  const source = report.summary.source;
  const title = (i: number): string => {
    const l = layers[i];
    return l ? `Layer ${l.index} · ${l.op}${l.kernel ? ` (${l.kernel})` : ''}` : '';
  };
  const base = {
    animation: false as const,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'index' as const, intersect: false },
  };
  const plugins = [{ id: 'td-rendered', afterRender: onRendered }];

  if (kind === 'occupancy') {
    const live = report.memory.liveBytesPerStep ?? [];
    const steps = live.slice(0, Math.max(layers.length, live.length));
    const arena = report.memory.arenaBytes;
    const top = Math.max(arena, ...steps);
    const fmt = bytesAxisFormatter(top);
    return {
      type: 'bar',
      data: {
        labels: steps.map((_, i) => String(i)),
        datasets: [
          {
            type: 'line' as 'bar',
            label: 'Arena size',
            data: steps.map(() => arena),
            borderColor: '#b42318',
            backgroundColor: '#b42318',
            borderWidth: 1,
            // @ts-expect-error line-only options on a dataset typed as the chart's base type
            borderDash: [4, 4],
            pointRadius: 0,
          },
          {
            label: 'Live bytes after the layer',
            data: steps,
            backgroundColor: 'rgba(47, 91, 211, 0.55)',
            borderWidth: 0,
            barPercentage: 0.9,
            categoryPercentage: 1,
          },
        ],
      },
      options: {
        ...base,
        scales: {
          x: layerAxis,
          y: {
            ...axis('Arena bytes live', fmt),
            max: Math.ceil((top * 1.08) / byteTickStep(top)) * byteTickStep(top),
            ticks: {
              color: MUTED,
              stepSize: byteTickStep(top),
              callback: (v: unknown) => fmt(Number(v)),
            },
          },
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12, color: '#30343c' } },
          tooltip: {
            callbacks: {
              title: (items) => title(Number(items[0]?.label ?? 0)),
              label: (item) => `${item.dataset.label}: ${formatCount(Number(item.raw))} B`,
            },
          },
        },
      },
      plugins,
    };
  }

  const value = (l: (typeof layers)[number]): number | null =>
    kind === 'time' ? l.us : l.macs > 0 ? l.cycles / l.macs : null;
  const unit = kind === 'time' ? 'µs' : 'cycles/MAC';
  // One dataset per op (null elsewhere), overlaid in one slot per layer: the
  // legend then names the colours.
  const ops = opsOf(report);
  return {
    type: 'bar',
    data: {
      labels,
      datasets: ops.map((op) => ({
        label: op,
        data: layers.map((l) => (l.op === op ? value(l) : null)),
        backgroundColor: blockColour(ops.indexOf(op)),
        borderWidth: 0,
        grouped: false,
        barPercentage: 0.9,
        categoryPercentage: 1,
      })),
    },
    options: {
      ...base,
      interaction: { mode: 'index', intersect: true },
      scales: {
        x: layerAxis,
        y: axis(kind === 'time' ? 'µs' : 'cycles/MAC'),
      },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 12, color: '#30343c' } },
        tooltip: {
          filter: (item) => item.raw !== null,
          callbacks: {
            title: (items) => title(Number(items[0]?.dataIndex ?? 0)),
            label: (item) =>
              `${formatDecimal(Number(item.raw), kind === 'time' ? 1 : 2)} ${unit} (${source})`,
          },
        },
      },
    },
    plugins,
  };
}

export function createProfileChart(
  canvas: HTMLCanvasElement,
  kind: ProfileChartKind,
  report: Report,
  onRendered: () => void,
): Chart<'bar', (number | null)[], string> {
  return new Chart(canvas, profileChartConfig(kind, report, onRendered));
}
