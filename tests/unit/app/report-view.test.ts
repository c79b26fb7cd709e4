// What the results view derives from a report: the CSV (it must be the
// profile module's CSV, even from a report that only carries its layers),
// the headline figures with their provenance tags, and the comparison rows.
import { describe, expect, test } from 'vitest';
import { compareView } from '../../../src/app/lib/compare-view.ts';
import {
  profileOfReport,
  reportDownloads,
  summaryFigures,
} from '../../../src/app/lib/report-view.ts';
import { profileCsv } from '../../../src/core/profile/csv.ts';
import { buildProfile } from '../../../src/core/profile/profile.ts';
import { trimReport } from '../../../src/core/report/share-link.ts';
import type { Report } from '../../../src/core/report/types.ts';
import { fakeProfileInput, fakeReport } from '../report-fixtures.ts';

describe('report view', () => {
  test('writes the same CSV from a report as the profile module writes from the profile', () => {
    const input = fakeProfileInput(31);
    const profile = buildProfile(input);
    const report = fakeReport({ layers: 31 });
    expect(profileCsv(profileOfReport(report))).toBe(profileCsv(profile));
  });

  test('leaves counters empty (not zero) when a share link dropped them', () => {
    const trimmed = trimReport(fakeReport({ layers: 5 }), ['extraCounters', 'counters']);
    const rows = profileCsv(profileOfReport(trimmed), { comments: false }).trim().split('\n');
    for (const row of rows.slice(1)) {
      const cells = row.split(',');
      expect(Number(cells[4])).toBeGreaterThan(0); // cycles kept
      expect(cells.slice(5)).toEqual(Array(13).fill(''));
    }
  });

  test('tags timing figures with their source and leaves exact counts untagged', () => {
    const figures = summaryFigures(fakeReport());
    const tags = Object.fromEntries(figures.map((f) => [f.id, f.tag]));
    expect(tags).toMatchObject({
      inference: 'emulated',
      cycles: 'emulated',
      'cycles-per-mac': 'emulated',
      macs: null,
      arena: null,
    });
    const measured = fakeReport({ profile: { source: 'measured' } });
    expect(summaryFigures(measured).find((f) => f.id === 'inference')?.tag).toBe('measured');
  });

  test('names downloads after the model and the board', () => {
    const names = reportDownloads(fakeReport()).map((d) => d.fileName);
    expect(names).toEqual([
      'synthetic_int8-virtual-apollo4p-profile.csv',
      'synthetic_int8-virtual-apollo4p-report.json',
      'synthetic_int8-virtual-apollo4p-report.html',
    ]);
  });
});

describe('comparison view', () => {
  const slower = (r: Report, factor: number, arena = 0): Report => {
    const c = structuredClone(r);
    c.summary.inferenceMs *= factor;
    c.summary.totalCycles = Math.round(c.summary.totalCycles * factor);
    c.summary.arenaBytes += arena;
    return c;
  };

  test('marks latency and arena regressions, and an improvement the other way', () => {
    const base = fakeReport();
    const worse = compareView(base, slower(base, 1.2, 256));
    const change = Object.fromEntries(worse.rows.map((r) => [r.metric, r.change]));
    expect(change.inferenceMs).toBe('regression');
    expect(change.arenaBytes).toBe('regression');
    expect(change.weightBytes).toBe('same');
    expect(worse.comparison.pass).toBe(false);

    const better = compareView(base, slower(base, 0.8));
    const after = Object.fromEntries(better.rows.map((r) => [r.metric, r.change]));
    expect(after.inferenceMs).toBe('improvement');
    expect(after.totalCycles).toBe('improvement');
    expect(better.comparison.pass).toBe(true);
  });

  test('calls a loss of accuracy worse, or a regression once bit-exactness is lost', () => {
    const exact = fakeReport({ diff: 0 });
    const off = fakeReport({ diff: 1 });
    const rows = Object.fromEntries(compareView(exact, off).rows.map((r) => [r.metric, r]));
    expect(rows['outputs[0].bitExactShare']?.change).toBe('regression');
    expect(rows['outputs[0].maxAbsDiff']?.change).toBe('regression');
    expect(rows['outputs[0].maxAbsDiff']?.delta).toBe('+1');
  });

  test('shows a change too small for the format, without calling it better or worse', () => {
    const base = fakeReport();
    const tiny = structuredClone(base);
    tiny.summary.totalCycles += 3;
    const row = compareView(base, tiny).rows.find((r) => r.metric === 'totalCycles')!;
    expect(row.change).toBe('same');
    expect(row.delta).toBe('+3 (<0.1%)');
  });
});
