import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THRESHOLDS,
  compareReports,
  comparisonText,
} from '../../src/core/report/compare.ts';
import type { Report } from '../../src/core/report/types.ts';
import { fakeReport } from './report-fixtures.ts';

const clone = (r: Report): Report => structuredClone(r);

/** The report with every layer's cycles (and the totals) scaled by `f`. */
function slower(r: Report, f: number, onlyLayer?: number): Report {
  const c = clone(r);
  for (const l of c.layers) {
    if (onlyLayer !== undefined && l.index !== onlyLayer) continue;
    l.cycles = Math.round(l.cycles * f);
    l.us = l.cycles / c.summary.clockMhz;
  }
  c.summary.totalCycles = c.layers.reduce((s, l) => s + l.cycles, 0);
  c.summary.inferenceMs = c.summary.totalCycles / c.summary.clockMhz / 1000;
  return c;
}

const metrics = (c: ReturnType<typeof compareReports>): string[] =>
  c.regressions.map((r) => r.metric);

describe('compareReports', () => {
  const base = fakeReport({ diff: 0 });

  it('finds nothing between a report and itself', () => {
    const c = compareReports(base, clone(base));
    expect(c.pass).toBe(true);
    expect(c.regressions).toEqual([]);
    expect(c.warnings).toEqual([]);
    expect(c.layers).toEqual([]);
    expect(c.deltas.every((d) => d.delta === 0 || d.delta === null)).toBe(true);
    expect(comparisonText(c)).toMatch(/No regressions/);
  });

  it('ignores latency noise below the threshold and flags it above', () => {
    expect(compareReports(base, slower(base, 1.03)).pass).toBe(true);
    expect(compareReports(base, slower(base, 0.8)).pass).toBe(true);
    const c = compareReports(base, slower(base, 1.08));
    expect(metrics(c)).toEqual(['inferenceMs']);
    expect(c.regressions[0]!.message).toMatch(/inference time rose \+8(\.0)?%.*threshold \+5%/);
    const time = c.deltas.find((d) => d.metric === 'inferenceMs')!;
    expect(time.relative).toBeCloseTo(0.08, 3);
    expect(time.regression).toBe(true);
    expect(compareReports(base, slower(base, 1.08), { latencyIncreasePct: 10 }).pass).toBe(true);
    expect(compareReports(base, slower(base, 1.03), { latencyIncreasePct: 2 }).pass).toBe(false);
  });

  it('names the layers a slowdown comes from', () => {
    const heavy = base.layers.reduce((a, b) => (b.cycles > a.cycles ? b : a));
    const c = compareReports(base, slower(base, 2, heavy.index));
    expect(c.pass).toBe(false);
    expect(c.layers[0]!.index).toBe(heavy.index);
    expect(c.layers[0]!.changePct).toBeCloseTo(100, 3);
    expect(c.layers[0]!.shareOfChange).toBeCloseTo(1, 9);
    expect(c.regressions[0]!.message).toContain(`layer ${heavy.index} ${heavy.op} +100%`);
  });

  it('catches more cycles hidden by a faster clock', () => {
    const cur = slower(base, 1.5);
    cur.summary.clockMhz = base.summary.clockMhz * 2;
    cur.summary.inferenceMs = cur.summary.totalCycles / cur.summary.clockMhz / 1000;
    const c = compareReports(base, cur);
    expect(metrics(c)).toEqual(['totalCycles']);
    expect(c.warnings.join()).toMatch(/clock changed/);
  });

  it('flags arena growth beyond the allowed bytes', () => {
    const cur = clone(base);
    cur.summary.arenaBytes += 16;
    cur.memory.arenaBytes += 16;
    const c = compareReports(base, cur);
    expect(metrics(c)).toEqual(['arenaBytes']);
    expect(c.regressions[0]!.message).toMatch(/arena grew by 16 bytes/);
    expect(compareReports(base, cur, { arenaIncreaseBytes: 64 }).pass).toBe(true);
    const smaller = clone(base);
    smaller.summary.arenaBytes -= 1024;
    expect(compareReports(base, smaller).pass).toBe(true);
  });

  it('flags the loss of bit-exactness and a larger max |Δ|', () => {
    const oneStep = fakeReport({ diff: 1 });
    expect(oneStep.verdict).toBe('pass');
    const c = compareReports(base, oneStep);
    expect(metrics(c).sort()).toEqual(['outputs[0].bitExactShare', 'outputs[0].maxAbsDiff']);
    expect(c.regressions.map((r) => r.message).join('\n')).toMatch(
      /output 0 \(scores\) is no longer bit-exact \(90% of elements identical\)/,
    );
    expect(c.regressions.map((r) => r.message).join('\n')).toMatch(
      /max \|Δ\| rose from 0 steps to 1 step/,
    );
    // Allowed: one more step, and bit-exactness not required.
    expect(compareReports(base, oneStep, { bitExactLoss: false, maxAbsDiffIncrease: 1 }).pass).toBe(
      true,
    );
    // Same accuracy again: no regression.
    expect(compareReports(oneStep, fakeReport({ diff: 1 })).pass).toBe(true);
    // Better accuracy: no regression.
    expect(compareReports(oneStep, base).pass).toBe(true);
  });

  it('flags a verdict that turns to fail and an infinite difference', () => {
    const failing = fakeReport({ diff: 2 });
    const c = compareReports(base, failing, { bitExactLoss: false, maxAbsDiffIncrease: 5 });
    expect(metrics(c)).toEqual(['verdict']);
    const inf = clone(base);
    inf.outputs[0]!.maxAbsDiff = null;
    const d = compareReports(base, inf, { maxAbsDiffIncrease: 1000 });
    expect(metrics(d)).toEqual(['outputs[0].maxAbsDiff']);
    expect(d.regressions[0]!.message).toMatch(/to infinite/);
  });

  it('does not compare timing across sources or boards, and says why', () => {
    const measured = slower(base, 3);
    measured.summary.source = 'measured';
    measured.provenance.source = 'measured';
    const c = compareReports(base, measured);
    expect(c.pass).toBe(true);
    expect(c.warnings.join()).toMatch(
      /timing not compared: baseline is emulated, this run measured/,
    );
    const other = slower(base, 3);
    other.provenance.board.name = 'apollo4p-evb';
    expect(compareReports(base, other).warnings.join()).toMatch(/ran on virtual-apollo4p/);
    expect(compareReports(base, other).pass).toBe(true);
  });

  it('warns when models or inputs differ but still compares', () => {
    const cur = clone(base);
    cur.provenance.modelSha256 = 'f'.repeat(64);
    cur.provenance.seed = 1;
    const c = compareReports(base, cur);
    expect(c.warnings.join('\n')).toMatch(/different models/);
    expect(c.warnings.join('\n')).toMatch(/different validation inputs/);
    expect(comparisonText(c)).toMatch(/note: different models/);
  });

  it('has defaults the CLI gate documents', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({
      latencyIncreasePct: 5,
      arenaIncreaseBytes: 0,
      bitExactLoss: true,
      maxAbsDiffIncrease: 0,
      layerChangePct: 10,
    });
  });
});
