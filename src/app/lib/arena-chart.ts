// The arena chart: each live tensor is a floating bar at every step it is live,
// spanning its byte range in the arena, so reuse reads as bars sharing rows.
// A line shows the bytes live per step and a dashed line the arena size.
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
  type TooltipItem,
} from 'chart.js';
import type { Analysis } from '../../core/analysis/types.ts';
import { bytesAxisFormatter, formatCount } from './format.ts';
import { arenaBars, blockColour, byteTickStep, type ArenaBar } from './memory-series.ts';

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

interface LinePoint {
  x: string;
  y: number;
}
type Point = (Omit<ArenaBar, 'x'> & { x: string }) | LinePoint;

const isBar = (p: unknown): p is Omit<ArenaBar, 'x'> & { x: string } =>
  typeof p === 'object' && p !== null && 'block' in p;

function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

export function arenaChartConfig(
  analysis: Analysis,
  onRendered: () => void,
): ChartConfiguration<'bar', Point[], string> {
  const { memory, layers } = analysis;
  const steps = layers.length;
  const labels = layers.map((l) => String(l.index));
  const bars = arenaBars(memory, steps).map((b) => ({ ...b, x: String(b.x) }));
  const live: LinePoint[] = memory.liveBytesPerStep
    .slice(0, steps)
    .map((y, i) => ({ x: String(i), y }));
  const arena: LinePoint[] = labels.map((x) => ({ x, y: memory.arenaBytes }));
  const axisBytes = bytesAxisFormatter(memory.arenaBytes);

  const describe = (item: TooltipItem<'bar'>): string => {
    const p = item.raw;
    if (isBar(p)) {
      const b = memory.blocks[p.block];
      if (!b) return '';
      return `${b.name || `tensor ${b.tensor}`}: ${formatCount(b.bytes)} B at ${formatCount(b.offset)}`;
    }
    return `${item.dataset.label ?? ''}: ${formatCount((p as LinePoint).y)} B`;
  };

  return {
    type: 'bar',
    data: {
      labels,
      datasets: [
        // Listed first so the lines draw above the bars.
        {
          type: 'line' as 'bar',
          label: 'Live bytes',
          data: live,
          borderColor: '#16181d',
          backgroundColor: '#16181d',
          borderWidth: 1.5,
          // @ts-expect-error line-only options on a dataset typed as the chart's base type
          pointRadius: 0,
          stepped: 'middle',
        },
        {
          type: 'line' as 'bar',
          label: 'Arena size',
          data: arena,
          borderColor: '#b42318',
          backgroundColor: '#b42318',
          borderWidth: 1,
          // @ts-expect-error line-only options on a dataset typed as the chart's base type
          borderDash: [4, 4],
          pointRadius: 0,
        },
        {
          label: 'Tensors in the arena',
          data: bars,
          grouped: false,
          barPercentage: 1,
          categoryPercentage: 1,
          borderWidth: 0,
          backgroundColor: (ctx) => {
            const p = ctx.raw;
            return withAlpha(blockColour(isBar(p) ? p.block : 0), 0.72);
          },
          hoverBackgroundColor: (ctx) => {
            const p = ctx.raw;
            return blockColour(isBar(p) ? p.block : 0);
          },
        },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: {
          title: { display: true, text: 'Step (layer index)', color: '#5d6472' },
          grid: { display: false },
          ticks: { color: '#5d6472', autoSkip: true, maxRotation: 0 },
        },
        y: {
          beginAtZero: true,
          title: { display: true, text: 'Arena offset', color: '#5d6472' },
          grid: { color: '#eef0f3' },
          ticks: {
            color: '#5d6472',
            stepSize: byteTickStep(memory.arenaBytes),
            callback: (v) => axisBytes(Number(v)),
          },
        },
      },
      plugins: {
        legend: {
          position: 'bottom',
          labels: { boxWidth: 12, boxHeight: 12, color: '#30343c' },
        },
        tooltip: {
          callbacks: {
            title: (items) => {
              const step = Number(items[0]?.label ?? 0);
              return `Step ${step} · ${layers[step]?.op ?? ''}`;
            },
            label: describe,
          },
        },
      },
    },
    plugins: [{ id: 'td-rendered', afterRender: onRendered }],
  };
}

export function createArenaChart(
  canvas: HTMLCanvasElement,
  analysis: Analysis,
  onRendered: () => void,
): Chart<'bar', Point[], string> {
  return new Chart(canvas, arenaChartConfig(analysis, onRendered));
}
