import { describe, expect, it } from 'vitest';
import { APOLLO4_PLUS_POWER } from '../../src/core/profile/board-power.ts';
import { checkReport } from '../../src/core/report/parse-report.ts';
import { reportHtml } from '../../src/core/report/html.ts';
import { trimReport } from '../../src/core/report/share-link.ts';
import { fakeReport } from './report-fixtures.ts';

/** The inner text of the <svg id="..."> element. */
function svg(html: string, id: string): string {
  const m = new RegExp(`<svg id="${id}"[\\s\\S]*?</svg>`).exec(html);
  if (!m) throw new Error(`no chart ${id}`);
  return m[0];
}

const count = (s: string, re: RegExp): number => s.match(re)?.length ?? 0;

/** The document without its stylesheet (which names every tag class). */
const withoutStyle = (h: string): string => h.replace(/<style>[\s\S]*?<\/style>/, '');

describe('HTML report', () => {
  const report = fakeReport({ layers: 31 });
  const html = reportHtml(report);

  it('is one standalone document with no external resources', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\b(src|href|action|xlink:href)\s*=/i);
    expect(html).not.toMatch(/url\(|@import|<link|<img|<iframe|<object|<embed/i);
    // The only script element is the inert JSON data block.
    expect(count(html, /<script/g)).toBe(1);
    expect(html).toMatch(/<script type="application\/json" id="tinydeploy-report">/);
    expect(html).toMatch(/<style>[\s\S]*@media print/);
  });

  it('draws the time, cycles-per-MAC and memory charts from the report', () => {
    const time = svg(html, 'chart-time');
    expect(count(time, /<rect /g)).toBe(31);
    const slowest = report.layers.reduce((a, b) => (b.us > a.us ? b : a));
    // The slowest layer's bar spans the full plot width.
    expect(time).toContain(
      `width="430.0" height="12" fill="#3b6ea5"><title>${slowest.index} ${slowest.op}:`,
    );
    const cpm = svg(html, 'chart-cycles-per-mac');
    expect(count(cpm, /<rect /g)).toBe(report.layers.filter((l) => l.macs > 0).length);
    const mem = svg(html, 'chart-memory');
    expect(mem).toMatch(/arena/);
    expect(mem).toMatch(/weights/);
    expect(mem).toMatch(/kernel code/);
    const occ = svg(html, 'chart-occupancy');
    expect(count(occ, /<rect /g)).toBe(report.memory.liveBytesPerStep!.length);
    expect(occ).toMatch(/stroke-dasharray/); // the arena line
  });

  it('labels emulated timing and estimated energy', () => {
    expect(html).toMatch(/<strong>emulated<\/strong>/);
    expect(count(html, /class="tag emulated"/g)).toBeGreaterThanOrEqual(5);
    expect(html).toMatch(/Energy per inference <span class="tag estimated">estimated<\/span>/);
    expect(html).toContain('Energy (µJ, estimated)');
    expect(html).toContain('test figures, not from a datasheet');
    expect(html).not.toMatch(/class="tag measured"/);
    const measured = reportHtml(fakeReport({ profile: { source: 'measured' } }));
    expect(withoutStyle(measured)).not.toMatch(/emulated/);
    expect(measured).toMatch(/<strong>measured<\/strong>/);
  });

  it('labels QEMU timing as instruction counts and host timing as not representative', () => {
    const qemu = reportHtml(
      fakeReport({
        profile: { board: 'qemu-an386' },
        report: { board: { name: 'qemu-an386', core: 'cortex-m4' } },
      }),
    );
    expect(qemu).toMatch(/<p class="banner emulated">[^<]*<strong>emulated<\/strong> by QEMU/);
    expect(qemu).toContain('instruction-count timing');
    expect(qemu).toContain('not cycle-accurate');
    expect(qemu).not.toContain('cycle model');
    const host = reportHtml(
      fakeReport({
        profile: { source: 'host', board: 'host', power: null },
        report: { board: { name: 'host' } },
      }),
    );
    expect(host).toMatch(/<p class="banner host">/);
    expect(host).toContain('timing is not representative');
    expect(count(host, /class="tag host">host</g)).toBeGreaterThanOrEqual(5);
    expect(withoutStyle(host)).not.toMatch(/emulated|class="tag measured"/);
  });

  it('explains a power-based estimate and leaves the unknown current blank', () => {
    const r = fakeReport({ layers: 3, profile: { power: APOLLO4_PLUS_POWER } });
    expect(r.summary.energy?.supplyVolts).toBeNull();
    expect(r.summary.energy?.modes.every((m) => m.basis === 'power' && m.currentUa === null)).toBe(
      true,
    );
    const out = reportHtml(r);
    expect(out).toContain('energy = P × cycles / f');
    expect(out).toMatch(/<td class="n">—<\/td><\/tr>/);
    expect(out).toContain('not a datasheet figure');
  });

  it('shows verdict, metrics, layers and provenance', () => {
    expect(html).toContain('<span class="verdict pass">PASS</span>');
    const layers = html.slice(html.indexOf('id="layers"'), html.indexOf('id="memory"'));
    // One row per layer in the timing table and in the counter table.
    expect(count(layers, /<tr><td class="n">/g)).toBe(62);
    expect(html).toContain(report.provenance.modelSha256);
    expect(html).toContain(report.provenance.inputsSha256);
    expect(html).toContain(report.provenance.firmware.buildId);
    expect(html).toContain('daccess');
    const failing = reportHtml(fakeReport({ diff: 2 }));
    expect(failing).toContain('<span class="verdict fail">FAIL</span>');
    expect(failing).toMatch(/exceeds \|Δ\| ≤ 1 step/);
  });

  it('escapes every text from the report and keeps the data block inert', () => {
    const hostile = fakeReport({
      layers: 3,
      report: { modelName: '<script>alert(1)</script>&"\'.tflite' },
    });
    hostile.layers[0]!.op = '<img src=x onerror=alert(1)>';
    hostile.warnings.push('</script><script>alert(2)</script>');
    const out = reportHtml(hostile);
    expect(out).not.toContain('<script>alert');
    expect(out).not.toContain('<img');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;.tflite');
    const data =
      /<script type="application\/json" id="tinydeploy-report">([\s\S]*?)<\/script>/.exec(out);
    expect(data).not.toBeNull();
    const parsed = checkReport(JSON.parse(data![1]!));
    expect(parsed.ok && parsed.value).toEqual(JSON.parse(JSON.stringify(hostile)));
  });

  it('renders a trimmed report and says what was dropped', () => {
    const t = reportHtml(trimReport(report, ['extraCounters', 'counters', 'liveBytes', 'layers']));
    expect(t).toMatch(/Shortened to fit a share link/);
    expect(t).toContain('No per-layer data.');
    expect(t).not.toContain('chart-occupancy');
    expect(count(svg(t, 'chart-time'), /<rect /g)).toBe(0);
  });
});
