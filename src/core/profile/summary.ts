// summary.txt: the profile's headline figures as plain text, each figure
// marked with where it comes from (emulated, measured or host) and every energy
// figure marked as estimated.
import { formatDecimal } from './csv.ts';
import { sourceLabel } from './source.ts';
import type { EnergyEstimate, Profile } from './types.ts';

/** 1234567 -> "1,234,567" (integers; fractions keep `digits` decimals). */
export function groupThousands(x: number, digits = 0): string {
  if (!Number.isFinite(x)) return String(x);
  const [int, frac] = Math.abs(x).toFixed(digits).split('.');
  const grouped = (int ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${x < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

export const MODE_LABEL: Record<EnergyEstimate['mode'], string> = {
  'low-power': 'low-power',
  'high-performance': 'high-performance',
};

function pad(label: string, width: number): string {
  return label.length >= width ? `${label} ` : label + ' '.repeat(width - label.length);
}

export function energyLine(e: EnergyEstimate): string {
  return (
    `${MODE_LABEL[e.mode]} @ ${formatDecimal(e.mhz, 3)} MHz: ` +
    `${formatDecimal(e.timeMs, 3)} ms, ${formatDecimal(e.energyUj, 3)} uJ per inference, ` +
    `${formatDecimal(e.powerMw, 3)} mW average (estimated)`
  );
}

export interface SummaryTextOptions {
  /** Title line, e.g. the model's file name. */
  title?: string;
}

export function summaryText(profile: Profile, options: SummaryTextOptions = {}): string {
  const s = profile.summary;
  const m = profile.memory;
  const tag = `(${profile.source})`;
  const w = 18;
  const lines: string[] = [];
  lines.push(options.title ? `TinyDeploy profile: ${options.title}` : 'TinyDeploy profile');
  lines.push(
    `Board: ${profile.board} at ${formatDecimal(profile.clockMhz, 3)} MHz; ` +
      `figures ${sourceLabel(profile.source, profile.board)}`,
  );
  lines.push('');
  lines.push(`${pad('Inference time', w)}${formatDecimal(s.inferenceMs, 3)} ms ${tag}`);
  lines.push(`${pad('Total est. MACs', w)}${groupThousands(s.totalMacs)}`);
  lines.push(`${pad('Total cycles', w)}${groupThousands(s.totalCycles)} ${tag}`);
  lines.push(`${pad('Layers', w)}${s.layers}`);
  lines.push(
    `${pad('MACs per second', w)}${s.macsPerSecond === null ? 'n/a' : groupThousands(s.macsPerSecond)} ${tag}`,
  );
  lines.push(
    `${pad('Cycles per MAC', w)}${s.cyclesPerMac === null ? 'n/a (no MACs)' : formatDecimal(s.cyclesPerMac, 3)} ${tag}`,
  );
  lines.push('');
  lines.push('Memory');
  lines.push(`  ${pad('Arena', w - 2)}${groupThousands(m.arenaBytes)} bytes`);
  lines.push(`  ${pad('Weights', w - 2)}${groupThousands(m.weightBytes)} bytes`);
  const kernels = Object.entries(m.codeBytesPerKernel).sort(([a], [b]) => (a < b ? -1 : 1));
  if (kernels.length > 0) {
    lines.push(`  ${pad('Kernel code', w - 2)}${groupThousands(m.codeBytes)} bytes`);
    for (const [k, v] of kernels) lines.push(`    ${pad(k, w + 8)}${groupThousands(v)} bytes`);
  }
  lines.push('');
  if (profile.energy.length > 0) {
    const byPower = profile.energy.some((e) => e.basis === 'power');
    lines.push(
      `Energy per inference (estimated from ${profile.source} cycles and the part's ` +
        `${byPower ? 'published average power per clock mode' : 'current per MHz'})`,
    );
    for (const e of profile.energy) lines.push(`  ${energyLine(e)}`);
    if (profile.power) {
      const v = profile.power.supplyVolts;
      lines.push(
        `  ${v !== undefined ? `Supply ${formatDecimal(v, 3)} V; s` : 'S'}ource: ${profile.power.source}`,
      );
    }
  } else {
    lines.push('Energy per inference: not estimated (no power figures for this board)');
  }
  if (profile.warnings.length > 0) {
    lines.push('');
    lines.push('Warnings');
    for (const wng of profile.warnings) lines.push(`  - ${wng}`);
  }
  return lines.join('\n') + '\n';
}
