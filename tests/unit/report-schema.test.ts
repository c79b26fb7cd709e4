import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { APOLLO4_PLUS_POWER } from '../../src/core/profile/board-power.ts';
import { buildProfile } from '../../src/core/profile/profile.ts';
import { findDivergence, hashInputSets } from '../../src/core/report/build-report.ts';
import { checkReport, parseReport, reportJson } from '../../src/core/report/parse-report.ts';
import { Sha256, sha256Hex } from '../../src/core/report/sha256.ts';
import { trimReport } from '../../src/core/report/share-link.ts';
import type { Report } from '../../src/core/report/types.ts';
import { compareTensors } from '../../src/core/validate/metrics.ts';
import { createRng } from '../../src/core/validate/prng.ts';
import { judge } from '../../src/core/validate/verify.ts';
import { fakeProfileInput, fakeReport } from './report-fixtures.ts';

const schema = JSON.parse(
  readFileSync(new URL('../../docs/report-schema.json', import.meta.url), 'utf8'),
) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(schema);

function schemaErrors(value: unknown): string {
  return validate(value) ? '' : ajv.errorsText(validate.errors);
}

const roundTrip = (r: Report): unknown => JSON.parse(JSON.stringify(r));

/** Parsed JSON the tests break field by field, so deliberately untyped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

describe('report schema', () => {
  it('accepts passing, failing, trimmed and energy-less reports built by the pipeline', () => {
    const variants: Report[] = [
      fakeReport(),
      fakeReport({ diff: 3 }),
      fakeReport({ profile: { power: null, source: 'measured' } }),
      fakeReport({ profile: { power: null, source: 'host', board: 'host' } }),
      fakeReport({ profile: { power: APOLLO4_PLUS_POWER } }),
      fakeReport({ layers: 1 }),
      trimReport(fakeReport(), ['extraCounters', 'counters', 'liveBytes']),
      trimReport(fakeReport(), ['extraCounters', 'counters', 'liveBytes', 'layers']),
      fakeReport({ report: { verdict: null, failure: 'td_invoke: TD_ERR_BAD_PARAMS at layer 4' } }),
    ];
    for (const r of variants) {
      const json = roundTrip(r);
      expect(schemaErrors(json)).toBe('');
      expect(checkReport(json).ok).toBe(true);
    }
    expect(variants[1]!.verdict).toBe('fail');
    expect(variants[3]!.summary.source).toBe('host');
    expect(variants[3]!.provenance.source).toBe('host');
    expect(variants[8]!.verdict).toBe('fail');
    expect(variants[8]!.verdictReason).toContain('TD_ERR_BAD_PARAMS');
  });

  it('carries validation metrics, divergence, layers, summary and provenance', () => {
    const r = fakeReport({ diff: 1 });
    expect(r.verdict).toBe('pass'); // one step under the loosened CONV_2D_S8 bound
    const o = r.outputs[0]!;
    expect(o.unit).toBe('steps');
    expect(o.maxAbsDiff).toBe(1);
    expect(o.bitExactShare).toBeCloseTo(0.9, 12);
    expect(o.bound).toBe('|Δ| ≤ 1 step');
    expect(o.reason).toMatch(/max \|Δ\| 1 step within/);
    expect(o.name).toBe('scores');
    expect(r.layers).toHaveLength(31);
    expect(r.layers[0]!.counters).toBeDefined();
    expect(r.summary.inferenceMs).toBeCloseTo(r.summary.totalCycles / 96 / 1000, 9);
    expect(r.summary.energy?.estimated).toBe(true);
    expect(r.summary.energy?.modes.map((m) => m.mode)).toEqual(['low-power', 'high-performance']);
    expect(r.provenance.modelSha256).toBe(
      createHash('sha256')
        .update(Uint8Array.of(1, 2, 3, 4))
        .digest('hex'),
    );
    expect(r.provenance.source).toBe('emulated');
    expect(r.provenance.inputSets).toBe(3);
    const failing = fakeReport({ diff: 2 });
    expect(failing.verdict).toBe('fail');
    expect(failing.verdictReason).toMatch(/output 0 \(scores\): max \|Δ\| 2 steps exceeds/);
  });

  it('writes infinite differences as null, which the schema accepts', () => {
    const profile = buildProfile(fakeProfileInput(2));
    const verdict = judge([[Float32Array.of(1, Number.NaN)]], [[Float32Array.of(1, 2)]], {
      loosened: [],
    });
    const r = fakeReport({ layers: 2, report: { verdict, profile } });
    expect(r.outputs[0]!.maxAbsDiff).toBeNull();
    expect(r.outputs[0]!.unit).toBe('value');
    expect(r.outputs[0]!.reason).toMatch(/non-finite/);
    const nonFinite: string[] = [];
    JSON.stringify(r, (k, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) nonFinite.push(k);
      return v;
    });
    expect(nonFinite).toEqual([]);
    expect(schemaErrors(roundTrip(r))).toBe('');
  });

  it('finds the first diverging layer', () => {
    const same = compareTensors(Int8Array.of(1, 2), Int8Array.of(1, 2));
    const off = compareTensors(Int8Array.of(1, 4, 9, 9), Int8Array.of(1, 2, 9, 9));
    const d = findDivergence([
      { layer: 5, op: 'ADD', metrics: off },
      { layer: 2, op: 'CONV_2D', metrics: same },
      { layer: 3, op: 'DEPTHWISE_CONV_2D', metrics: off },
    ]);
    expect(d?.layer).toBe(3);
    expect(d?.maxAbsDiff).toBe(2);
    expect(d?.bitExactShare).toBe(0.75);
    expect(d?.message).toMatch(/layer 3 \(DEPTHWISE_CONV_2D\).*2 steps.*75%/);
    expect(findDivergence([{ layer: 0, op: 'ADD', metrics: same }])).toBeNull();
    const r = fakeReport({ report: { divergence: d } });
    expect(schemaErrors(roundTrip(r))).toBe('');
  });

  const breakages: [string, (r: Loose) => void][] = [
    ['no verdict', (r) => delete r.verdict],
    ['unknown verdict', (r) => (r.verdict = 'maybe')],
    ['negative cycles', (r) => (r.layers[0].cycles = -1)],
    ['fractional MACs', (r) => (r.layers[0].macs = 1.5)],
    ['counter as text', (r) => (r.layers[2].counters.lsu = '12')],
    ['missing counter', (r) => delete r.layers[2].counters.fold],
    ['short model hash', (r) => (r.provenance.modelSha256 = 'abc')],
    ['uppercase inputs hash', (r) => (r.provenance.inputsSha256 = 'A'.repeat(64))],
    ['share above 1', (r) => (r.outputs[0].bitExactShare = 1.5)],
    ['energy not estimated', (r) => (r.summary.energy.estimated = false)],
    ['energy without a basis', (r) => delete r.summary.energy.modes[0].basis],
    ['unknown source', (r) => (r.summary.source = 'simulated')],
    ['summary without arena', (r) => delete r.summary.arenaBytes],
    ['layers not an array', (r) => (r.layers = {})],
    ['NaN written as null where a number is required', (r) => (r.summary.inferenceMs = null)],
    ['wrong version', (r) => (r.reportVersion = 2)],
    ['unknown trim step', (r) => (r.trimmed = { dropped: ['everything'], note: '' })],
  ];

  for (const [what, breakIt] of breakages) {
    it(`rejects a report with ${what} (schema and runtime check)`, () => {
      const json = roundTrip(fakeReport()) as Loose;
      breakIt(json);
      expect(schemaErrors(json)).not.toBe('');
      const checked = checkReport(json);
      expect(checked.ok).toBe(false);
    });
  }

  it('the schema (not the runtime check) rejects unknown fields', () => {
    const json = roundTrip(fakeReport()) as Loose;
    json.summary.surprise = 1;
    expect(schemaErrors(json)).toMatch(/additional properties/);
    expect(checkReport(json).ok).toBe(true);
  });

  it('the schema requires an RFC 3339 timestamp', () => {
    const json = roundTrip(fakeReport()) as Loose;
    json.provenance.timestamp = 'yesterday';
    expect(schemaErrors(json)).toMatch(/date-time/);
  });
});

describe('parseReport', () => {
  it('round-trips reportJson', () => {
    const r = fakeReport();
    const parsed = parseReport(reportJson(r));
    expect(parsed.ok && parsed.value).toEqual(roundTrip(r));
  });

  it('names what went wrong', () => {
    const code = (text: string): string | null => {
      const p = parseReport(text);
      return p.ok ? null : p.error.code;
    };
    expect(code('{')).toBe('BAD_JSON');
    expect(code('[1,2]')).toBe('NOT_A_REPORT');
    expect(code('{"hello":1}')).toBe('NOT_A_REPORT');
    expect(code('{"reportVersion":99}')).toBe('UNSUPPORTED_VERSION');
    const broken = roundTrip(fakeReport()) as Loose;
    delete broken.provenance;
    broken.layers[0].cycles = 'many';
    const p = parseReport(JSON.stringify(broken));
    expect(p.ok).toBe(false);
    if (!p.ok) {
      expect(p.error.code).toBe('INVALID');
      expect(p.error.problems).toContain('report.provenance: missing');
      expect(p.error.problems).toContain(
        'report.layers[0].cycles: expected a non-negative integer',
      );
    }
  });
});

describe('sha256', () => {
  it('matches node:crypto for lengths around every block boundary', () => {
    const rng = createRng(5);
    for (let n = 0; n <= 300; n++) {
      const data = Uint8Array.from({ length: n }, () => rng.int(0, 255));
      expect(sha256Hex(data)).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });

  it('matches the FIPS 180-2 example and hashes incrementally in any split', () => {
    const abc = new TextEncoder().encode('abc');
    expect(sha256Hex(abc)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const rng = createRng(6);
    const big = Uint8Array.from({ length: 100_003 }, () => rng.int(0, 255));
    const want = createHash('sha256').update(big).digest('hex');
    for (const step of [1, 63, 64, 65, 1000, 4096]) {
      const h = new Sha256();
      for (let i = 0; i < big.length; i += step) h.update(big.subarray(i, i + step));
      expect(Buffer.from(h.digest()).toString('hex')).toBe(want);
    }
  });

  it('hashes input sets so different splits of the same bytes differ', () => {
    const a = [[Int8Array.of(1, 2, 3, 4)]];
    const b = [[Int8Array.of(1, 2), Int8Array.of(3, 4)]];
    const c = [[Int8Array.of(1, 2)], [Int8Array.of(3, 4)]];
    const d = [[Uint8Array.of(1, 2, 3, 4)]];
    const hashes = new Set([a, b, c, d].map(hashInputSets));
    expect(hashes.size).toBe(4);
    expect(hashInputSets(a)).toBe(hashInputSets([[Int8Array.of(1, 2, 3, 4)]]));
    expect(hashInputSets(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});
