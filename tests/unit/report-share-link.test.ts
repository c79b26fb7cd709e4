import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/core/package/crc32.ts';
import {
  SHARE_MAX_FRAGMENT,
  SHARE_PREFIX,
  base64urlDecode,
  base64urlEncode,
  decodeShareLink,
  encodeReportFragment,
  encodeShareLink,
  type ShareLinkErrorCode,
} from '../../src/core/report/share-link.ts';
import type { Report } from '../../src/core/report/types.ts';
import { createRng } from '../../src/core/validate/prng.ts';
import { fakeReport } from './report-fixtures.ts';

const json = (r: Report): Report => JSON.parse(JSON.stringify(r)) as Report;

function codeOf(input: string): ShareLinkErrorCode | 'ok' {
  const d = decodeShareLink(input);
  return d.ok ? 'ok' : d.error.code;
}

/** A fragment over arbitrary header fields and JSON, to build hostile links. */
function rawFragment(format: number, length: number, crc: number, body: Uint8Array): string {
  const out = new Uint8Array(9 + body.length);
  const dv = new DataView(out.buffer);
  out[0] = format;
  dv.setUint32(1, length, true);
  dv.setUint32(5, crc, true);
  out.set(body, 9);
  return SHARE_PREFIX + base64urlEncode(out);
}

describe('base64url', () => {
  it('matches Node for every length 0..64 and decodes back', () => {
    const rng = createRng(3);
    for (let n = 0; n <= 64; n++) {
      const bytes = Uint8Array.from({ length: n }, () => rng.int(0, 255));
      const text = base64urlEncode(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      expect(base64urlDecode(text)).toEqual(bytes);
    }
  });

  it('refuses characters outside the alphabet and impossible lengths', () => {
    expect(base64urlDecode('ab+c')).toBeNull();
    expect(base64urlDecode('ab/c')).toBeNull();
    expect(base64urlDecode('ab c')).toBeNull();
    expect(base64urlDecode('abcdé')).toBeNull();
    expect(base64urlDecode('abcde')).toBeNull();
    expect(base64urlDecode('YQ==')).toEqual(Uint8Array.of(0x61));
  });
});

describe('share link', () => {
  it('round-trips a 31-layer report untrimmed, well under the URL budget', () => {
    const report = fakeReport({ layers: 31 });
    const link = encodeShareLink(report);
    expect(link.ok).toBe(true);
    if (!link.ok) return;
    expect(link.value.dropped).toEqual([]);
    expect(link.value.fragment.startsWith('#r=')).toBe(true);
    expect(link.value.fragment).toMatch(/^#r=[A-Za-z0-9_-]+$/);
    // Measured: docs/report.md records the figure (about 4 KB for 31 layers).
    expect(link.value.bytes).toBeLessThan(8 * 1024);
    const back = decodeShareLink(`https://example.org/app/${link.value.fragment}`);
    expect(back.ok && back.value).toEqual(json(report));
    expect(decodeShareLink(link.value.fragment).ok).toBe(true);
    expect(decodeShareLink(link.value.fragment.slice(1)).ok).toBe(true);
    expect(decodeShareLink(link.value.fragment.slice(3)).ok).toBe(true);
  });

  it('finds r= among other fragment parameters', () => {
    const frag = encodeReportFragment(fakeReport({ layers: 2 })).slice(1);
    expect(codeOf(`https://x.test/#view=layers&${frag}`)).toBe('ok');
    expect(codeOf('https://x.test/#view=layers')).toBe('NO_REPORT');
    expect(codeOf('https://x.test/')).toBe('NO_REPORT');
    expect(codeOf('#r=')).toBe('NO_REPORT');
  });

  it('drops extra counters, then counters, then the occupancy series, then layers, and says so', () => {
    const report = fakeReport({ layers: 31 });
    report.layers.forEach((l, i) => (l.extra = { ctr6: i * 977, ctr7: i * 131 }));
    const sizes = [
      [],
      ['extraCounters'],
      ['extraCounters', 'counters'],
      ['extraCounters', 'counters', 'liveBytes'],
      ['extraCounters', 'counters', 'liveBytes', 'layers'],
    ].map((steps) => {
      const budget = (() => {
        // Find the size of the step's encoding by asking for exactly that budget.
        let lo = 0;
        let hi = SHARE_MAX_FRAGMENT;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          const r = encodeShareLink(report, mid);
          if (r.ok && r.value.dropped.length <= steps.length) hi = mid;
          else lo = mid + 1;
        }
        return lo;
      })();
      return { steps, budget };
    });
    // Each step strictly shrinks the link.
    for (let i = 1; i < sizes.length; i++) {
      expect(sizes[i]!.budget).toBeLessThan(sizes[i - 1]!.budget);
    }
    const oneStep = encodeShareLink(report, sizes[1]!.budget);
    expect(oneStep.ok && oneStep.value.dropped).toEqual(['extraCounters']);
    const twoSteps = encodeShareLink(report, sizes[2]!.budget);
    expect(twoSteps.ok).toBe(true);
    if (!twoSteps.ok) return;
    expect(twoSteps.value.dropped).toEqual(['extraCounters', 'counters']);
    const decoded = decodeShareLink(twoSteps.value.fragment);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    const r = decoded.value;
    expect(r.trimmed?.dropped).toEqual(['extraCounters', 'counters']);
    expect(r.trimmed?.note).toMatch(/share link.*per-layer counters/);
    expect(r.layers).toHaveLength(31);
    expect(r.layers.every((l) => l.counters === undefined && l.extra === undefined)).toBe(true);
    expect(r.layers.map((l) => l.cycles)).toEqual(report.layers.map((l) => l.cycles));
    expect(r.summary).toEqual(json(report).summary);
    // The original is untouched.
    expect(report.layers[0]!.counters).toBeDefined();
    expect(report.trimmed).toBeUndefined();
  });

  it('refuses when not even the summary fits', () => {
    const r = encodeShareLink(fakeReport({ layers: 3 }), 100);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('TOO_LARGE');
  });

  it('reports a link cut short as TRUNCATED at every cut point', () => {
    const frag = encodeReportFragment(fakeReport({ layers: 31 }));
    const codes = new Set<string>();
    for (let cut = 3; cut < frag.length; cut += 7) {
      const c = codeOf(frag.slice(0, cut));
      expect(c).not.toBe('ok');
      codes.add(c);
    }
    // Cuts inside the payload are truncations; a few cut lengths are not valid base64.
    expect([...codes].every((c) => ['TRUNCATED', 'BAD_ENCODING', 'NO_REPORT'].includes(c))).toBe(
      true,
    );
    expect(codeOf(frag.slice(0, frag.length - 40))).toBe('TRUNCATED');
  });

  it('names each kind of damage', () => {
    const report = fakeReport({ layers: 2 });
    const text = new TextEncoder().encode(JSON.stringify(report));
    const body = deflateSync(text);
    expect(codeOf(rawFragment(1, text.length, crc32(text), body))).toBe('ok');
    expect(codeOf(rawFragment(2, text.length, crc32(text), body))).toBe('UNSUPPORTED_FORMAT');
    expect(codeOf(rawFragment(1, text.length, crc32(text) ^ 1, body))).toBe('CORRUPT');
    expect(codeOf(rawFragment(1, text.length - 1, crc32(text), body))).toBe('CORRUPT');
    expect(codeOf(rawFragment(1, text.length + 5, crc32(text), body))).toBe('TRUNCATED');
    expect(codeOf(rawFragment(1, 0xffffffff, 0, body))).toBe('CORRUPT');
    expect(codeOf(rawFragment(1, 10, 0, Uint8Array.of(0xff, 0xff, 0xff)))).toBe('CORRUPT');
    expect(codeOf(SHARE_PREFIX + base64urlEncode(Uint8Array.of(1, 0, 0)))).toBe('TRUNCATED');
    expect(codeOf('#r=not*base64')).toBe('BAD_ENCODING');
    const notJson = new TextEncoder().encode('{"reportVersion":1,');
    expect(codeOf(rawFragment(1, notJson.length, crc32(notJson), deflateSync(notJson)))).toBe(
      'CORRUPT',
    );
    const other = new TextEncoder().encode(JSON.stringify({ reportVersion: 1, hello: 'world' }));
    const bad = decodeShareLink(rawFragment(1, other.length, crc32(other), deflateSync(other)));
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('BAD_REPORT');
      expect(bad.error.reportError?.code).toBe('INVALID');
    }
  });

  it('survives fuzzed fragments: a typed error, or exactly the original report', () => {
    const report = fakeReport({ layers: 8 });
    const frag = encodeReportFragment(report);
    const want = json(report);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ %#&';
    const rng = createRng(2024);
    const codes = new Map<string, number>();
    for (let i = 0; i < 1500; i++) {
      let s = frag;
      const edits = rng.int(1, 4);
      for (let e = 0; e < edits; e++) {
        const at = rng.int(3, s.length - 1);
        const kind = rng.int(0, 3);
        const ch = alphabet[rng.int(0, alphabet.length - 1)]!;
        if (kind === 0) s = s.slice(0, at) + ch + s.slice(at + 1);
        else if (kind === 1) s = s.slice(0, at) + s.slice(at + 1);
        else if (kind === 2) s = s.slice(0, at) + ch + s.slice(at);
        else s = s.slice(0, at);
      }
      const d = decodeShareLink(s);
      const c = d.ok ? 'ok' : d.error.code;
      codes.set(c, (codes.get(c) ?? 0) + 1);
      if (d.ok) expect(d.value).toEqual(want);
      else expect(d.error.message.length).toBeGreaterThan(0);
    }
    expect(codes.get('ok') ?? 0).toBeLessThan(30);
    expect(codes.get('CORRUPT') ?? 0).toBeGreaterThan(0);
    expect(codes.get('TRUNCATED') ?? 0).toBeGreaterThan(0);
    expect(codes.get('BAD_ENCODING') ?? 0).toBeGreaterThan(0);
  });
});
