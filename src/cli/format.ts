// Human-readable rendering of an Analysis for the terminal.
import type { Analysis, Layer, TensorRef } from '../core/analysis/types.ts';

const n = (v: number): string => v.toLocaleString('en-US');

export function formatBytes(b: number): string {
  if (b < 1024) return `${b} B`;
  if (b < 1024 * 1024) return `${(b / 1024).toFixed(1)} KiB`;
  return `${(b / (1024 * 1024)).toFixed(2)} MiB`;
}

const shape = (s: readonly number[]): string => `[${s.join(', ')}]`;

const tensor = (t: TensorRef): string =>
  `${t.name || `#${t.index}`} ${t.type.toLowerCase()}${shape(t.shape)}`;

/** Left-aligns text columns and right-aligns the numeric ones. */
export function table(header: string[], rows: string[][], numeric: ReadonlySet<number>): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((v, c) => (numeric.has(c) ? v.padStart(widths[c] ?? 0) : v.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

function window(l: Layer): string {
  const parts: string[] = [];
  if (l.stride) parts.push(`s${l.stride.join('x')}`);
  if (l.dilation && (l.dilation[0] !== 1 || l.dilation[1] !== 1))
    parts.push(`d${l.dilation.join('x')}`);
  if (l.padding) parts.push(l.padding);
  if (l.activation && l.activation !== 'NONE') parts.push(l.activation);
  return parts.join(' ');
}

export function formatAnalysis(a: Analysis, title: string): string {
  const out: string[] = [];
  const m = a.model;
  out.push(`${title}: ${n(m.fileBytes)} bytes, schema v${m.version}, ${m.subgraphs} subgraph(s)`);
  if (m.description) out.push(`description: ${m.description}`);
  for (const t of m.inputs) out.push(`input   ${tensor(t)}  ${formatBytes(t.bytes)}`);
  for (const t of m.outputs) out.push(`output  ${tensor(t)}  ${formatBytes(t.bytes)}`);
  out.push(
    `${a.totals.layers} layers, ${n(a.totals.macs)} MACs, ` +
      `parameters ${formatBytes(a.totals.paramBytes)}, ${m.tensors} tensors`,
  );
  out.push('');
  const rows = a.layers.map((l) => [
    String(l.index),
    l.supported ? l.op : `${l.op} (unsupported)`,
    l.outputShapes.map(shape).join(' '),
    l.filterShape ? shape(l.filterShape) : '',
    window(l),
    n(l.macs),
    n(l.paramBytes),
    n(l.outputBytes),
  ]);
  const header = ['#', 'op', 'output', 'filter', 'window', 'MACs', 'params B', 'out B'];
  out.push(...table(header, rows, new Set([0, 5, 6, 7])));
  out.push('');
  out.push('op set:');
  for (const u of a.opSet) out.push(`  ${u.op} x${u.count}${u.supported ? '' : '  (unsupported)'}`);
  if (a.unsupportedOps.length > 0) out.push(`unsupported: ${a.unsupportedOps.join(', ')}`);
  out.push('');
  const mem = a.memory;
  out.push(`memory (offsets aligned to ${mem.alignment} bytes):`);
  out.push(`  arena      ${n(mem.arenaBytes)} B`);
  out.push(`  peak live  ${n(mem.peakLiveBytes)} B`);
  if (mem.stateBytes > 0) {
    out.push(
      `  with state ${n(mem.planPeakBytes)} B (state tensors ${n(mem.stateBytes)} B kept for the whole run)`,
    );
  }
  out.push(`  no reuse   ${n(mem.noReuseBytes)} B`);
  const warnings = [
    ...a.warnings,
    ...a.layers.flatMap((l) => l.warnings.map((w) => `layer ${l.index}: ${w}`)),
  ];
  if (warnings.length > 0) {
    out.push('');
    out.push('warnings:');
    for (const w of warnings) out.push(`  ${w}`);
  }
  return out.join('\n');
}
