import { describe, expect, it } from 'vitest';
import { recordsFromCounterTable } from '../../src/core/profile/counters.ts';
import { profileCsv } from '../../src/core/profile/csv.ts';
import { buildProfile } from '../../src/core/profile/profile.ts';
import { fakeProfileInput } from './report-fixtures.ts';

describe('recordsFromCounterTable', () => {
  it('maps the DWT names, cache names and board-defined slots', () => {
    const recs = recordsFromCounterTable({
      counters: ['cyc', 'cpi', 'exc', 'sleep', 'lsu', 'fold', 'DACCESS', 'ctr7'],
      layers: [
        { layer: 0, values: [1000, 1, 2, 3, 4, 5, 600, 7] },
        { layer: 1, values: [2000, 11, 12, 13, 14, 15, 1600, 17] },
      ],
    });
    expect(recs[0]).toEqual({
      layer: 0,
      cycles: 1000,
      cpi: 1,
      exc: 2,
      sleep: 3,
      lsu: 4,
      fold: 5,
      daccess: 600,
      extra: { ctr7: 7 },
    });
    expect(recs[1]!.cycles).toBe(2000);
  });

  it('feeds buildProfile: unreported cache counters stay empty in the CSV', () => {
    const recs = recordsFromCounterTable({
      counters: ['cyc', 'cpi', 'exc', 'sleep', 'lsu', 'fold'],
      layers: [{ layer: 0, values: [960, 1, 0, 0, 2, 3] }],
    });
    const p = buildProfile({ ...fakeProfileInput(1), records: recs });
    const row = profileCsv(p, { comments: false }).split('\n')[1];
    expect(row).toBe(`0,CONV_2D,10,${p.rows[0]!.macs},960,1,0,0,2,3,,,,,,,,`);
  });

  it('refuses a table without a cycle counter or with ragged rows', () => {
    expect(() =>
      recordsFromCounterTable({ counters: ['cpi'], layers: [{ layer: 0, values: [1] }] }),
    ).toThrow(/no cycle counter/);
    expect(() =>
      recordsFromCounterTable({ counters: ['cyc', 'cpi'], layers: [{ layer: 0, values: [1] }] }),
    ).toThrow(/1 values for 2 counters/);
  });
});
