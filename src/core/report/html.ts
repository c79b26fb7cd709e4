// The standalone HTML report: one file, inline CSS and SVG, no script that
// runs and no external resource, so it opens offline, in an archive years
// later, and prints. The report's JSON rides along in a data block.
import { formatDecimal } from '../profile/csv.ts';
import { isQemuBoard } from '../profile/source.ts';
import { groupThousands } from '../profile/summary.ts';
import { COUNTER_COLUMNS, type FigureSource } from '../profile/types.ts';
import { barChartSvg, escapeXml as esc, occupancySvg, stackedBarSvg } from './charts.ts';
import type { Report } from './types.ts';

const CSS = `
:root { --fg: #1d2329; --muted: #5c6670; --line: #d6dbe0; --pass: #2f7d32; --fail: #b3261e; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  margin: 0 auto; max-width: 980px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 14px; margin: 16px 0 6px; }
.muted, .note { color: var(--muted); }
.verdict { display: inline-block; font-weight: 700; padding: 2px 10px; border-radius: 4px; color: #fff; }
.verdict.pass { background: var(--pass); }
.verdict.fail { background: var(--fail); }
.tag { display: inline-block; font-size: 11px; font-weight: 600; padding: 0 6px; border-radius: 3px;
  border: 1px solid currentColor; vertical-align: 1px; }
.tag.emulated { color: #7a4d00; }
.tag.measured { color: #1f5b94; }
.tag.host { color: #5c6670; }
.tag.estimated { color: #6b3d8f; }
.banner { border-left: 4px solid #c98a00; background: #fff7e6; padding: 8px 12px; margin: 12px 0; }
.banner.measured { border-color: #1f5b94; background: #eef5fc; }
.banner.host { border-color: #5c6670; background: #f2f4f6; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
table.kv th { width: 30%; font-weight: 500; color: var(--muted); }
table.layers { font-size: 12px; }
table.counters { font-size: 11px; }
table.counters td, table.counters th { padding: 2px 4px; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; word-break: break-all; }
figure { margin: 12px 0 20px; }
figcaption { font-weight: 600; margin-bottom: 4px; }
svg.chart { width: 100%; height: auto; font: 11px system-ui, sans-serif; fill: var(--fg); }
svg.chart text { fill: var(--fg); }
svg.chart text.muted { fill: var(--muted); }
.fail-text { color: var(--fail); }
@page { margin: 14mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 11px; }
  h2 { break-after: avoid; }
  figure, table.kv, .banner { break-inside: avoid; }
  .verdict { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

const int = (x: number): string => groupThousands(x);
const dec = (x: number, d = 3): string => formatDecimal(x, d);
const opt = (x: number | null, f: (x: number) => string): string => (x === null ? '—' : f(x));

function tag(kind: FigureSource | 'estimated'): string {
  return `<span class="tag ${kind}">${kind}</span>`;
}

function kv(rows: readonly [string, string][]): string {
  return (
    '<table class="kv">' +
    rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join('') +
    '</table>'
  );
}

function banner(r: Report): string {
  const board = r.provenance.board.name;
  switch (r.summary.source) {
    case 'emulated':
      return isQemuBoard(board)
        ? '<p class="banner emulated">Timing, cycle and counter figures are <strong>emulated</strong> ' +
            `by QEMU (${esc(board)}): instruction-count timing (<code>-icount</code>), ` +
            'not cycle-accurate and not from silicon. ' +
            'Outputs were computed by the same firmware the board runs.</p>'
        : '<p class="banner emulated">Timing, cycle and counter figures are <strong>emulated</strong>: ' +
            "they come from the virtual board's per-instruction cycle model, not from silicon. " +
            'Outputs were computed by the same firmware the board runs.</p>';
    case 'measured':
      return `<p class="banner measured">Timing, cycle and counter figures were <strong>measured</strong> on the board (${esc(board)}).</p>`;
    case 'host':
      return (
        '<p class="banner host">Timing figures come from a <strong>host</strong> build of the runtime ' +
        `(${esc(board)}): it has no cycle counters, so timing is not representative of a microcontroller. ` +
        'Outputs were computed by the same runtime the firmware carries.</p>'
      );
  }
}

function summarySection(r: Report): string {
  const s = r.summary;
  const src = tag(s.source);
  return (
    '<section id="summary"><h2>Summary</h2>' +
    kv([
      ['Inference time', `${dec(s.inferenceMs)} ms at ${dec(s.clockMhz)} MHz ${src}`],
      ['Total estimated MACs', int(s.totalMacs)],
      ['Total cycles', `${int(s.totalCycles)} ${src}`],
      ['Layers', String(s.layers)],
      ['MACs per second', `${opt(s.macsPerSecond, int)} ${src}`],
      ['Cycles per MAC', `${opt(s.cyclesPerMac, (x) => dec(x))} ${src}`],
      ['Arena', `${int(s.arenaBytes)} bytes`],
      ['Weights', `${int(s.weightBytes)} bytes`],
      ['Kernel code', `${int(s.codeBytes)} bytes`],
    ]) +
    '</section>'
  );
}

function energySection(r: Report): string {
  const e = r.summary.energy;
  const head = `<section id="energy"><h2>Energy per inference ${tag('estimated')}</h2>`;
  if (!e)
    return `${head}<p class="muted">Not estimated: no power figures for this board.</p></section>`;
  const rows = e.modes
    .map(
      (m) =>
        `<tr><td>${esc(m.mode)}</td><td class="n">${dec(m.mhz)}</td><td class="n">${dec(m.timeMs)}</td>` +
        `<td class="n">${dec(m.energyUj)}</td><td class="n">${dec(m.powerMw)}</td>` +
        `<td class="n">${opt(m.currentUa, (x) => dec(x, 1))}</td></tr>`,
    )
    .join('');
  const byPower = e.modes.some((m) => m.basis === 'power');
  const how = byPower
    ? "the part's published average power at each clock mode: energy = P × cycles / f"
    : `the part's run current per MHz at ${opt(e.supplyVolts, (x) => dec(x))} V: energy = V × I × cycles / f`;
  return (
    head +
    '<table><thead><tr><th>Clock setting</th><th class="n">MHz</th><th class="n">Time (ms)</th>' +
    '<th class="n">Energy (µJ, estimated)</th><th class="n">Average power (mW, estimated)</th><th class="n">Current (µA)</th></tr></thead>' +
    `<tbody>${rows}</tbody></table>` +
    `<p class="note">Estimated from the ${esc(r.summary.source)} cycle count and ${how}. ` +
    'Same cycle count assumed at both clocks. ' +
    `Source: ${esc(e.source)}</p></section>`
  );
}

function accuracySection(r: Report): string {
  const rows = r.outputs
    .map((o) => {
      const diff =
        o.maxAbsDiff === null
          ? 'infinite'
          : `${dec(o.maxAbsDiff, 6)}${o.unit === 'steps' ? ' steps' : ''}`;
      return (
        `<tr><td>${o.index}</td><td>${esc(o.name)}</td><td>${esc(o.type)}</td>` +
        `<td class="n">${dec(o.bitExactShare * 100, 2)}%</td><td class="n">${diff}</td>` +
        `<td class="n">${dec(o.mae, 6)}</td><td class="n">${dec(o.rmse, 6)}</td><td class="n">${dec(o.cosine, 6)}</td>` +
        `<td class="n">${dec(o.top1Agreement * 100, 2)}%</td><td>${esc(o.bound)}</td>` +
        `<td class="${o.pass ? '' : 'fail-text'}">${o.pass ? 'pass' : 'fail'}: ${esc(o.reason)}</td></tr>`
      );
    })
    .join('');
  const div = r.divergence
    ? `<p id="divergence"><strong>First divergence:</strong> ${esc(r.divergence.message)}</p>`
    : '';
  return (
    '<section id="accuracy"><h2>Agreement with the reference</h2>' +
    (r.outputs.length === 0
      ? '<p class="muted">No outputs were compared.</p>'
      : '<table><thead><tr><th>#</th><th>Output</th><th>Type</th><th class="n">Bit-exact</th>' +
        '<th class="n">Max |Δ|</th><th class="n">MAE</th><th class="n">RMSE</th><th class="n">Cosine</th>' +
        `<th class="n">Top-1</th><th>Bound</th><th>Verdict</th></tr></thead><tbody>${rows}</tbody></table>`) +
    div +
    '</section>'
  );
}

const layerLabel = (l: { index: number; op: string }): string => `${l.index} ${l.op}`;

function chartsSection(r: Report): string {
  const src = r.summary.source;
  const timeBars = r.layers.map((l) => ({ label: layerLabel(l), value: l.us }));
  const cpmBars = r.layers
    .filter((l) => l.macs > 0)
    .map((l) => ({ label: layerLabel(l), value: l.cycles / l.macs }));
  const live = r.memory.liveBytesPerStep;
  return (
    '<section id="charts"><h2>Charts</h2>' +
    `<figure><figcaption>Time per layer (µs) ${tag(src)}</figcaption>` +
    barChartSvg({
      id: 'chart-time',
      title: `Time per layer in microseconds (${src})`,
      bars: timeBars,
      unit: 'µs',
    }) +
    '</figure>' +
    `<figure><figcaption>Cycles per MAC, layers with MACs ${tag(src)}</figcaption>` +
    barChartSvg({
      id: 'chart-cycles-per-mac',
      title: `Cycles per MAC per layer (${src})`,
      bars: cpmBars,
      unit: 'cyc/MAC',
      colour: '#8a5fb0',
    }) +
    '</figure>' +
    '<figure><figcaption>Memory occupancy</figcaption>' +
    stackedBarSvg({
      id: 'chart-memory',
      title: 'Memory: arena, weights and kernel code in bytes',
      unit: 'B',
      parts: [
        { label: 'arena', value: r.memory.arenaBytes, colour: '#7aa95c' },
        { label: 'weights', value: r.memory.weightBytes, colour: '#3b6ea5' },
        { label: 'kernel code', value: r.memory.codeBytes, colour: '#c98a00' },
      ],
    }) +
    (live && live.length > 0
      ? occupancySvg({
          id: 'chart-occupancy',
          title: 'Arena bytes live at each layer, against the arena size',
          liveBytes: live,
          arenaBytes: r.memory.arenaBytes,
        })
      : '') +
    '</figure></section>'
  );
}

function layersSection(r: Report): string {
  const head = `<section id="layers"><h2>Per-layer profile ${tag(r.summary.source)}</h2>`;
  if (r.layers.length === 0) return `${head}<p class="muted">No per-layer data.</p></section>`;
  const timing = r.layers
    .map(
      (l) =>
        `<tr><td class="n">${l.index}</td><td>${esc(l.op)}</td><td>${esc(l.kernel ?? '')}</td>` +
        `<td class="n">${dec(l.us)}</td><td class="n">${int(l.macs)}</td><td class="n">${int(l.cycles)}</td>` +
        `<td class="n">${l.macs > 0 ? dec(l.cycles / l.macs) : '—'}</td></tr>`,
    )
    .join('');
  const withCounters = r.layers.filter((l) => l.counters);
  const counters = withCounters
    .map(
      (l) =>
        `<tr><td class="n">${l.index}</td><td>${esc(l.op)}</td>` +
        COUNTER_COLUMNS.map(
          (c) => `<td class="n">${opt(l.counters?.[c] ?? null, String)}</td>`,
        ).join('') +
        '</tr>',
    )
    .join('');
  return (
    head +
    '<table class="layers"><thead><tr><th class="n">Event</th><th>Tag</th><th>Kernel</th>' +
    '<th class="n">µs</th><th class="n">Est MACs</th><th class="n">cycles</th><th class="n">cycles/MAC</th></tr></thead>' +
    `<tbody>${timing}</tbody></table>` +
    (withCounters.length > 0
      ? `<h3>Counters ${tag(r.summary.source)}</h3>` +
        '<table class="layers counters"><thead><tr><th class="n">Event</th><th>Tag</th>' +
        COUNTER_COLUMNS.map((c) => `<th class="n">${c}</th>`).join('') +
        `</tr></thead><tbody>${counters}</tbody></table>` +
        '<p class="note">— : the board does not count this event.</p>'
      : '') +
    '</section>'
  );
}

function memorySection(r: Report): string {
  const kernels = Object.entries(r.memory.codeBytesPerKernel).sort(([a], [b]) => (a < b ? -1 : 1));
  return (
    '<section id="memory"><h2>Memory</h2>' +
    kv([
      ['Arena (activations and scratch)', `${int(r.memory.arenaBytes)} bytes`],
      ['Weights (constant data)', `${int(r.memory.weightBytes)} bytes`],
      ['Kernel code', `${int(r.memory.codeBytes)} bytes`],
      ...kernels.map(([k, v]): [string, string] => [`kernel ${k}`, `${int(v)} bytes`]),
    ]) +
    '</section>'
  );
}

function provenanceSection(r: Report): string {
  const p = r.provenance;
  return (
    '<section id="provenance"><h2>Provenance</h2>' +
    kv([
      ['Figures', `${tag(p.source)}`],
      ['Model SHA-256', `<code>${esc(p.modelSha256)}</code>`],
      ['Firmware build id', `<code>${esc(p.firmware.buildId)}</code>`],
      ['Firmware image SHA-256', `<code>${esc(p.firmware.sha256)}</code>`],
      ...(p.firmware.sourceId
        ? [['Firmware sources', `<code>${esc(p.firmware.sourceId)}</code>`] as [string, string]]
        : []),
      [
        'Board',
        `${esc(p.board.name)}${p.board.core ? ` (${esc(p.board.core)})` : ''}, ${dec(p.board.clockMhz)} MHz`,
      ],
      ['Tool version', esc(p.toolVersion)],
      ['Input seed', String(p.seed)],
      ['Input sets', String(p.inputSets)],
      ['Inputs SHA-256', `<code>${esc(p.inputsSha256)}</code>`],
      ['Timestamp', esc(p.timestamp)],
    ]) +
    '</section>'
  );
}

function notesSection(r: Report): string {
  const items = [...r.warnings];
  if (r.trimmed) items.unshift(r.trimmed.note);
  if (items.length === 0) return '';
  return `<section id="notes"><h2>Notes</h2><ul>${items.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></section>`;
}

/** JSON that cannot close the <script> element it sits in. */
const dataBlock = (r: Report): string =>
  JSON.stringify(r)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

export function reportHtml(r: Report): string {
  const title = `TinyDeploy report: ${r.model.name}`;
  return (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${esc(title)}</title><style>${CSS}</style></head><body>` +
    `<header><h1>${esc(title)}</h1>` +
    `<p><span class="verdict ${esc(r.verdict)}">${r.verdict === 'pass' ? 'PASS' : 'FAIL'}</span> ${esc(r.verdictReason)}</p>` +
    `<p class="muted">${esc(r.provenance.board.name)} · ${r.model.layers} layers · ${int(r.model.fileBytes)} bytes · ${esc(r.provenance.timestamp)}</p>` +
    `</header>${banner(r)}` +
    summarySection(r) +
    energySection(r) +
    accuracySection(r) +
    chartsSection(r) +
    layersSection(r) +
    memorySection(r) +
    provenanceSection(r) +
    notesSection(r) +
    `<script type="application/json" id="tinydeploy-report">${dataBlock(r)}</script>` +
    '</body></html>\n'
  );
}
