// Inline SVG charts for the standalone HTML report: plain strings, no DOM,
// no script, no external resources, readable in print (no colour-only
// meaning: every bar carries its value as text).

export const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );

/** Short number for chart labels: 3 significant digits, k/M suffixes. */
export function shortNumber(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e9) return `${Number((x / 1e9).toPrecision(3))}G`;
  if (a >= 1e6) return `${Number((x / 1e6).toPrecision(3))}M`;
  if (a >= 1e4) return `${Number((x / 1e3).toPrecision(3))}k`;
  if (a >= 100 || a === 0) return String(Math.round(x));
  return String(Number(x.toPrecision(3)));
}

const WIDTH = 720;
const ROW = 16;
const LABEL = 190;
const VALUE = 100;

export interface Bar {
  label: string;
  value: number;
}

/** Horizontal bars, one row per item, value printed after the bar. */
export function barChartSvg(options: {
  id: string;
  title: string;
  bars: readonly Bar[];
  unit: string;
  colour?: string;
}): string {
  const { bars, unit } = options;
  const colour = options.colour ?? '#3b6ea5';
  const top = 8;
  const height = top + Math.max(bars.length, 1) * ROW + 8;
  const max = Math.max(0, ...bars.map((b) => b.value));
  const span = WIDTH - LABEL - VALUE;
  const parts: string[] = [];
  parts.push(
    `<svg id="${escapeXml(options.id)}" class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${escapeXml(options.id)}-title">`,
    `<title id="${escapeXml(options.id)}-title">${escapeXml(options.title)}</title>`,
  );
  if (bars.length === 0) {
    parts.push(`<text x="${LABEL}" y="${top + 12}" class="muted">no data</text>`);
  }
  bars.forEach((b, i) => {
    const y = top + i * ROW;
    const w = max > 0 ? Math.max(b.value > 0 ? 1 : 0, (b.value / max) * span) : 0;
    parts.push(
      `<text x="${LABEL - 6}" y="${y + 11}" text-anchor="end">${escapeXml(b.label)}</text>`,
      `<rect x="${LABEL}" y="${y + 2}" width="${w.toFixed(1)}" height="${ROW - 4}" fill="${colour}"><title>${escapeXml(`${b.label}: ${b.value} ${unit}`)}</title></rect>`,
      `<text x="${(LABEL + w + 4).toFixed(1)}" y="${y + 11}">${escapeXml(`${shortNumber(b.value)} ${unit}`)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Arena bytes live at each layer as columns, with the arena size as a line. */
export function occupancySvg(options: {
  id: string;
  title: string;
  liveBytes: readonly number[];
  arenaBytes: number;
}): string {
  const { liveBytes, arenaBytes } = options;
  const height = 180;
  const left = 60;
  const bottom = 24;
  const top = 14;
  const plotW = WIDTH - left - 10;
  const plotH = height - top - bottom;
  const max = Math.max(arenaBytes, ...liveBytes, 1);
  const y = (v: number): number => top + plotH - (v / max) * plotH;
  const n = Math.max(liveBytes.length, 1);
  const colW = plotW / n;
  const parts: string[] = [
    `<svg id="${escapeXml(options.id)}" class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${escapeXml(options.id)}-title">`,
    `<title id="${escapeXml(options.id)}-title">${escapeXml(options.title)}</title>`,
    `<line x1="${left}" y1="${top + plotH}" x2="${WIDTH - 10}" y2="${top + plotH}" stroke="#888"/>`,
    `<text x="${left - 4}" y="${top + plotH}" text-anchor="end">0</text>`,
    `<text x="${left - 4}" y="${y(max) + 10}" text-anchor="end">${shortNumber(max)} B</text>`,
  ];
  liveBytes.forEach((v, i) => {
    const yy = y(v);
    parts.push(
      `<rect x="${(left + i * colW + 1).toFixed(1)}" y="${yy.toFixed(1)}" width="${Math.max(colW - 2, 1).toFixed(1)}" height="${(top + plotH - yy).toFixed(1)}" fill="#7aa95c"><title>layer ${i}: ${v} bytes live</title></rect>`,
    );
  });
  const ay = y(arenaBytes);
  parts.push(
    `<line x1="${left}" y1="${ay.toFixed(1)}" x2="${WIDTH - 10}" y2="${ay.toFixed(1)}" stroke="#b5443a" stroke-dasharray="4 3"/>`,
    `<text x="${WIDTH - 12}" y="${(ay - 3).toFixed(1)}" text-anchor="end">arena ${escapeXml(shortNumber(arenaBytes))} B</text>`,
    `<text x="${left}" y="${height - 6}">layer 0</text>`,
    `<text x="${WIDTH - 10}" y="${height - 6}" text-anchor="end">layer ${Math.max(liveBytes.length - 1, 0)}</text>`,
    '</svg>',
  );
  return parts.join('');
}

/** One stacked bar: how the model's memory splits between parts. */
export function stackedBarSvg(options: {
  id: string;
  title: string;
  parts: readonly { label: string; value: number; colour: string }[];
  unit: string;
}): string {
  const total = options.parts.reduce((s, p) => s + Math.max(p.value, 0), 0);
  const height = 58;
  const out: string[] = [
    `<svg id="${escapeXml(options.id)}" class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${escapeXml(options.id)}-title">`,
    `<title id="${escapeXml(options.id)}-title">${escapeXml(options.title)}</title>`,
  ];
  let x = 0;
  options.parts.forEach((p, i) => {
    const w = total > 0 ? (Math.max(p.value, 0) / total) * WIDTH : 0;
    out.push(
      `<rect x="${x.toFixed(1)}" y="4" width="${w.toFixed(1)}" height="22" fill="${p.colour}"><title>${escapeXml(`${p.label}: ${p.value} ${options.unit}`)}</title></rect>`,
    );
    const lx = (i * WIDTH) / Math.max(options.parts.length, 1);
    out.push(
      `<rect x="${lx.toFixed(1)}" y="36" width="10" height="10" fill="${p.colour}"/>`,
      `<text x="${(lx + 14).toFixed(1)}" y="45">${escapeXml(`${p.label} ${shortNumber(p.value)} ${options.unit}`)}</text>`,
    );
    x += w;
  });
  out.push('</svg>');
  return out.join('');
}
