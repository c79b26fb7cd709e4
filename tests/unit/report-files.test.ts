import { describe, expect, it } from 'vitest';
import { buildProfile } from '../../src/core/profile/profile.ts';
import { RUN_FILES, runFiles } from '../../src/core/report/files.ts';
import { parseReport } from '../../src/core/report/parse-report.ts';
import { fakeProfileInput, fakeReport } from './report-fixtures.ts';

describe('runFiles', () => {
  it('writes the CSV, summary, JSON and HTML of one run, consistent with each other', () => {
    const profile = buildProfile(fakeProfileInput(31));
    const report = fakeReport({ layers: 31 });
    const files = runFiles(profile, report);
    expect(Object.keys(files)).toEqual([...RUN_FILES]);
    const parsed = parseReport(files['report.json']);
    expect(parsed.ok && parsed.value.summary.totalCycles).toBe(profile.summary.totalCycles);
    const csvRows = files['profile.csv'].split('\n').filter((l) => /^\d/.test(l));
    expect(csvRows).toHaveLength(report.layers.length);
    expect(files['summary.txt']).toContain(`TinyDeploy profile: ${report.model.name}`);
    expect(files['report.html']).toContain('<svg id="chart-time"');
  });
});
