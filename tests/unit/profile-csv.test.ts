import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../src/core/analysis/analyze.ts';
import { buildExample, exampleBytes } from '../../src/core/examples/index.ts';
import { PROFILE_CSV_COLUMNS, csvCell, profileCsv } from '../../src/core/profile/csv.ts';
import { buildProfile } from '../../src/core/profile/profile.ts';
import { COUNTER_COLUMNS } from '../../src/core/profile/types.ts';
import {
  KERNEL_CODE,
  fakeAnalysis,
  fakeProfileInput,
  fakeRecords,
  kernelsOf,
} from './report-fixtures.ts';

/** RFC 4180 line splitter, enough for one record per line. */
function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cur);
      cur = '';
    } else cur += c;
  }
  cells.push(cur);
  return cells;
}

const dataLines = (csv: string): string[] =>
  csv.split('\n').filter((l) => l.length > 0 && !l.startsWith('#'));

describe('profile CSV', () => {
  it('has exactly the reference columns, in order', () => {
    const csv = profileCsv(buildProfile(fakeProfileInput(5)), { comments: false });
    expect(csv.split('\n')[0]).toBe(
      'Event,Tag,uSeconds,Est MACs,cycles,cpi,exc,sleep,lsu,fold,' +
        'daccess,dtaglookup,dhitslookup,dhitsline,iaccess,itaglookup,ihitslookup,ihitsline',
    );
    expect(PROFILE_CSV_COLUMNS).toHaveLength(18);
  });

  it('puts provenance in comment lines before the header', () => {
    const emulated = profileCsv(buildProfile(fakeProfileInput(3)));
    const lines = emulated.split('\n');
    expect(lines[0]).toMatch(/^# .*emulated/);
    expect(lines[1]).toMatch(/^# source=emulated; board=virtual-apollo4p; clock_mhz=96;/);
    expect(lines[2]).toBe(PROFILE_CSV_COLUMNS.join(','));
    const measured = profileCsv(buildProfile(fakeProfileInput(3, { source: 'measured' })));
    expect(measured).toContain('source=measured');
    expect(measured).not.toContain('emulated');
  });

  it('labels QEMU figures as instruction-count timing and host figures as not representative', () => {
    const qemu = profileCsv(buildProfile(fakeProfileInput(3, { board: 'qemu-an386' }))).split('\n');
    expect(qemu[0]).toBe(
      '# TinyDeploy per-layer profile; figures emulated by QEMU (instruction-count timing, not cycle-accurate)',
    );
    expect(qemu[0]).not.toContain('cycle model');
    expect(qemu[1]).toMatch(/^# source=emulated; board=qemu-an386;/);
    const host = profileCsv(
      buildProfile(fakeProfileInput(3, { source: 'host', board: 'host', power: null })),
    ).split('\n');
    expect(host[0]).toContain('host build, timing not representative');
    expect(host[0]).toContain('no cycle counters');
    expect(host[1]).toMatch(/^# source=host; board=host;/);
    expect(host.join('\n')).not.toMatch(/emulated|measured/);
  });

  it('writes uSeconds = cycles / MHz, the analysis MACs and the board counters per layer', () => {
    for (const mhz of [96, 192, 250.5]) {
      const input = fakeProfileInput(31, { clockMhz: mhz });
      const profile = buildProfile(input);
      const rows = dataLines(profileCsv(profile)).slice(1).map(parseCsvLine);
      expect(rows).toHaveLength(31);
      rows.forEach((cells, i) => {
        const rec = input.records[i]!;
        expect(cells).toHaveLength(PROFILE_CSV_COLUMNS.length);
        expect(Number(cells[0])).toBe(i);
        expect(cells[1]).toBe(input.analysis.layers[i]!.op);
        expect(Math.abs(Number(cells[2]) - rec.cycles / mhz)).toBeLessThanOrEqual(0.0005 + 1e-9);
        expect(Number(cells[3])).toBe(input.analysis.layers[i]!.macs);
        expect(Number(cells[4])).toBe(rec.cycles);
        COUNTER_COLUMNS.forEach((c, k) => expect(Number(cells[5 + k])).toBe(rec[c]));
      });
    }
  });

  it('summarises totals consistent with the rows', () => {
    const input = fakeProfileInput(31, { clockMhz: 192 });
    const p = buildProfile(input);
    const cycles = input.records.reduce((s, r) => s + r.cycles, 0);
    const macs = input.analysis.layers.reduce((s, l) => s + l.macs, 0);
    expect(p.summary.totalCycles).toBe(cycles);
    expect(p.summary.totalMacs).toBe(macs);
    expect(p.summary.layers).toBe(31);
    expect(p.summary.inferenceMs).toBeCloseTo(cycles / 192 / 1000, 9);
    expect(p.summary.cyclesPerMac).toBeCloseTo(cycles / macs, 9);
    expect(p.summary.macsPerSecond).toBeCloseTo(macs / (cycles / 192e6), 3);
    const usSum = p.rows.reduce((s, r) => s + r.us, 0);
    expect(usSum / 1000).toBeCloseTo(p.summary.inferenceMs, 9);
  });

  it('leaves counters the board does not report empty, never 0', () => {
    const analysis = fakeAnalysis(4);
    const records = fakeRecords(analysis, 3, false);
    const p = buildProfile({ ...fakeProfileInput(4), analysis, records });
    const cells = parseCsvLine(dataLines(profileCsv(p))[1]!);
    expect(cells.slice(5, 10).every((c) => c !== '')).toBe(true);
    expect(cells.slice(10)).toEqual(['', '', '', '', '', '', '', '']);
    expect(p.rows[0]!.daccess).toBeNull();
  });

  it('quotes a tag holding a comma or quote', () => {
    expect(csvCell('CUSTOM:a,b')).toBe('"CUSTOM:a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    const input = fakeProfileInput(2);
    input.analysis.layers[1]!.op = 'CUSTOM:x,"y"';
    const line = dataLines(profileCsv(buildProfile(input)))[2]!;
    expect(parseCsvLine(line)[1]).toBe('CUSTOM:x,"y"');
    expect(parseCsvLine(line)).toHaveLength(18);
  });

  it('sorts records by layer and warns about missing, duplicate and unknown layers', () => {
    const input = fakeProfileInput(8);
    const recs = [...input.records];
    const shuffled = [recs[7]!, recs[0]!, recs[3]!, recs[3]!, { layer: 12, cycles: 5 }];
    const p = buildProfile({ ...input, records: shuffled });
    expect(p.rows.map((r) => r.event)).toEqual([0, 3, 7, 12]);
    expect(p.rows[3]!.tag).toBe('UNKNOWN');
    expect(p.warnings.join('\n')).toMatch(/duplicate records for layer\(s\) 3/);
    expect(p.warnings.join('\n')).toMatch(/no profile record for layer\(s\) 1\.\.2, 4\.\.6/);
    expect(p.warnings.join('\n')).toMatch(/layer\(s\) 12 beyond the model's 8 layers/);
    expect(buildProfile(input).warnings).toEqual([]);
  });

  it('maps package layers to analysis layers through sourceOps', () => {
    const input = fakeProfileInput(6);
    const p = buildProfile({
      ...input,
      records: [
        { layer: 0, cycles: 10 },
        { layer: 1, cycles: 20 },
      ],
      sourceOps: [5, 2],
    });
    expect(p.rows.map((r) => r.tag)).toEqual([
      input.analysis.layers[5]!.op,
      input.analysis.layers[2]!.op,
    ]);
    expect(p.rows[0]!.macs).toBe(input.analysis.layers[5]!.macs);
    expect(p.warnings).toEqual([]);
  });

  it('rejects records that are not counts', () => {
    const base = fakeProfileInput(2);
    const bad = [
      { layer: -1, cycles: 1 },
      { layer: 0, cycles: -5 },
      { layer: 0, cycles: Number.NaN },
      { layer: 0, cycles: 1, lsu: -1 },
      { layer: 0, cycles: 1, extra: { ctr6: Infinity } },
    ];
    for (const r of bad) expect(() => buildProfile({ ...base, records: [r] })).toThrow();
    expect(() => buildProfile({ ...base, clockMhz: 0 })).toThrow(/clock/);
  });

  it('keeps code bytes for the kernels the model uses, matching manifest names', () => {
    const input = fakeProfileInput(8);
    const p = buildProfile(input);
    const used = new Set(kernelsOf(input.analysis as ReturnType<typeof fakeAnalysis>));
    expect(Object.keys(p.memory.codeBytesPerKernel).sort()).toEqual(
      [...used].map((k) => k.toLowerCase()).sort(),
    );
    expect(p.memory.codeBytesPerKernel).not.toHaveProperty('tanh_s8');
    const sum = [...used].reduce((s, k) => s + (KERNEL_CODE[k.toLowerCase()] ?? 0), 0);
    expect(p.memory.codeBytes).toBe(sum);
    expect(p.memory.arenaBytes).toBe(input.analysis.memory.arenaBytes);
    expect(p.memory.weightBytes).toBe(input.analysis.totals.paramBytes);
    const over = buildProfile({
      ...input,
      memory: { ...input.memory, arenaBytes: 4096, weightBytes: 777 },
    });
    expect([over.memory.arenaBytes, over.memory.weightBytes]).toEqual([4096, 777]);
    const missing = buildProfile({ ...input, memory: { kernelCodeBytes: { conv_2d_s8: 10 } } });
    expect(missing.warnings.join()).toMatch(/no code size for kernel/);
  });

  it('profiles a real analysed model: one row per layer, its ops and MACs', () => {
    const model = buildExample('cnn-int8')!;
    const analysis = analyzeModel(model, exampleBytes('cnn-int8')!.length);
    const records = analysis.layers.map((l) => ({ layer: l.index, cycles: 1000 + l.macs }));
    const p = buildProfile({
      records,
      analysis,
      clockMhz: 96,
      source: 'emulated',
      board: 'virtual-apollo4p',
    });
    expect(p.rows.map((r) => r.tag)).toEqual(analysis.layers.map((l) => l.op));
    expect(p.summary.totalMacs).toBe(analysis.totals.macs);
    expect(p.summary.totalCycles).toBe(1000 * analysis.layers.length + analysis.totals.macs);
    expect(p.energy).toEqual([]);
    expect(p.warnings).toEqual([]);
  });
});
