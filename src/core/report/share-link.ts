// A report in a URL fragment (#r=...): nothing leaves the browser, the link
// is the data. Layout before base64url:
//
//   u8  format (1)
//   u32 JSON length in bytes (little-endian)
//   u32 CRC-32 of the JSON bytes
//   ... raw DEFLATE of the JSON (UTF-8)
//
// The length and CRC tell a truncated or altered link apart from a report
// that simply fails to parse, and bound what inflating may allocate.
// docs/report.md records the sizes measured for real reports.
import { deflateSync, inflateSync } from 'fflate';
import { err, ok, type Result } from '../errors.ts';
import { crc32 } from '../package/crc32.ts';
import { checkReport, ReportError } from './parse-report.ts';
import type { Report, TrimStep } from './types.ts';

export const SHARE_PREFIX = '#r=';
export const SHARE_FORMAT = 1;
const HEAD = 9;
/** Default budget for the fragment, prefix included (browsers and chat apps cope with this). */
export const SHARE_MAX_FRAGMENT = 64 * 1024;
/** Largest JSON a link may expand to: a 64 KB fragment never holds more than this honestly. */
export const SHARE_MAX_JSON = 16 * 1024 * 1024;

export type ShareLinkErrorCode =
  | 'NO_REPORT'
  | 'BAD_ENCODING'
  | 'TRUNCATED'
  | 'CORRUPT'
  | 'UNSUPPORTED_FORMAT'
  | 'TOO_LARGE'
  | 'BAD_REPORT';

export class ShareLinkError extends Error {
  override readonly name = 'ShareLinkError';
  constructor(
    readonly code: ShareLinkErrorCode,
    message: string,
    /** The report check's error, for BAD_REPORT. */
    readonly reportError?: ReportError,
  ) {
    super(message);
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) t[ALPHABET.charCodeAt(i)] = i;
  return t;
})();

/** RFC 4648 §5 base64url, no padding. */
export function base64urlEncode(bytes: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const n =
      ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    s +=
      ALPHABET[n >>> 18]! +
      ALPHABET[(n >>> 12) & 63]! +
      ALPHABET[(n >>> 6) & 63]! +
      ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    s += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]!;
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    s += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]!;
  }
  return s;
}

/** Strict base64url (padding tolerated): null on any other character or an impossible length. */
export function base64urlDecode(text: string): Uint8Array | null {
  const s = text.replace(/=+$/, '');
  if (s.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? (DECODE[c] as number) : -1;
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

/** The fragment for a report as it is (no trimming). */
export function encodeReportFragment(report: Report): string {
  const json = new TextEncoder().encode(JSON.stringify(report));
  const packed = deflateSync(json, { level: 9 });
  const out = new Uint8Array(HEAD + packed.length);
  const dv = new DataView(out.buffer);
  out[0] = SHARE_FORMAT;
  dv.setUint32(1, json.length, true);
  dv.setUint32(5, crc32(json), true);
  out.set(packed, HEAD);
  return SHARE_PREFIX + base64urlEncode(out);
}

const TRIM_NOTES: Record<TrimStep, string> = {
  extraCounters: 'board-defined per-layer counters beyond the CSV columns',
  counters: 'per-layer counters (cpi ... ihitsline); cycles and time kept',
  liveBytes: 'the per-layer arena occupancy series',
  layers: 'the per-layer table; summary kept',
};

/** A copy of the report without the parts named in `steps`, saying so in `trimmed`. */
export function trimReport(report: Report, steps: readonly TrimStep[]): Report {
  if (steps.length === 0) return report;
  const r: Report = structuredClone(report);
  const drop = new Set(steps);
  if (drop.has('layers')) r.layers = [];
  for (const l of r.layers) {
    if (drop.has('extraCounters')) delete l.extra;
    if (drop.has('counters')) delete l.counters;
  }
  if (drop.has('liveBytes')) delete r.memory.liveBytesPerStep;
  const dropped = [...new Set([...(report.trimmed?.dropped ?? []), ...steps])];
  r.trimmed = {
    dropped,
    note:
      'Shortened to fit a share link; dropped: ' +
      dropped.map((s) => TRIM_NOTES[s]).join('; ') +
      '. The full report is in the JSON file.',
  };
  return r;
}

/** The order parts are given up to fit the budget: least useful first. */
export const TRIM_LADDER: readonly TrimStep[][] = [
  [],
  ['extraCounters'],
  ['extraCounters', 'counters'],
  ['extraCounters', 'counters', 'liveBytes'],
  ['extraCounters', 'counters', 'liveBytes', 'layers'],
];

export interface ShareLink {
  /** `#r=...`; append to the app's URL. */
  fragment: string;
  /** Fragment length in characters (= bytes: base64url is ASCII). */
  bytes: number;
  /** What was dropped to fit; empty when the whole report fits. */
  dropped: TrimStep[];
  /** The report the link decodes to. */
  report: Report;
}

/**
 * The share-link fragment for a report, trimmed step by step (TRIM_LADDER)
 * until it fits `maxFragment` characters.
 */
export function encodeShareLink(
  report: Report,
  maxFragment = SHARE_MAX_FRAGMENT,
): Result<ShareLink, ShareLinkError> {
  // Only layer-level steps change anything when the report has no such parts.
  for (const steps of TRIM_LADDER) {
    const r = trimReport(report, steps);
    const fragment = encodeReportFragment(r);
    if (fragment.length <= maxFragment) {
      return ok({ fragment, bytes: fragment.length, dropped: [...steps], report: r });
    }
  }
  return err(
    new ShareLinkError(
      'TOO_LARGE',
      `the report does not fit a ${maxFragment}-character link even without per-layer data`,
    ),
  );
}

/** The `r` value of a URL or fragment ("https://…#r=…", "#r=…", "r=…" or the bare payload). */
function payloadOf(input: string): string | null {
  const hash = input.indexOf('#');
  if (hash < 0 && input.includes('://')) return null; // a URL without a fragment
  const frag = hash >= 0 ? input.slice(hash + 1) : input;
  for (const part of frag.split('&')) {
    if (part.startsWith('r=')) return part.slice(2);
  }
  if (hash >= 0 || frag.includes('=')) return null;
  return frag;
}

/** Reads a share link back; every way it can be damaged is a typed error. */
export function decodeShareLink(input: string): Result<Report, ShareLinkError> {
  const payload = payloadOf(input.trim());
  if (payload === null || payload.length === 0) {
    return err(new ShareLinkError('NO_REPORT', 'the link carries no report (#r=... missing)'));
  }
  const bytes = base64urlDecode(payload);
  if (!bytes) {
    return err(
      new ShareLinkError('BAD_ENCODING', 'the link is not valid base64url (was it altered?)'),
    );
  }
  if (bytes.length < 1) return err(new ShareLinkError('TRUNCATED', 'the link is cut short'));
  if (bytes[0] !== SHARE_FORMAT) {
    return err(
      new ShareLinkError(
        'UNSUPPORTED_FORMAT',
        `link format ${bytes[0]}; this version reads format ${SHARE_FORMAT}`,
      ),
    );
  }
  if (bytes.length <= HEAD) {
    return err(new ShareLinkError('TRUNCATED', 'the link is cut short (no report data)'));
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = dv.getUint32(1, true);
  const crc = dv.getUint32(5, true);
  if (length > SHARE_MAX_JSON) {
    return err(new ShareLinkError('CORRUPT', `the link claims a ${length}-byte report; refused`));
  }
  // One byte of room: a stream that inflates past `length` shows up as too long.
  const out = new Uint8Array(length + 1);
  let json: Uint8Array;
  try {
    json = inflateSync(bytes.subarray(HEAD), { out });
  } catch (e) {
    const eof = /unexpected EOF/i.test((e as Error).message);
    return err(
      new ShareLinkError(
        eof ? 'TRUNCATED' : 'CORRUPT',
        eof ? 'the link is cut short (copy the whole URL)' : 'the link is damaged',
      ),
    );
  }
  if (json.length < length) {
    return err(new ShareLinkError('TRUNCATED', 'the link is cut short (copy the whole URL)'));
  }
  if (json.length !== length || crc32(json) !== crc) {
    return err(new ShareLinkError('CORRUPT', 'the link is damaged (checksum mismatch)'));
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch {
    return err(new ShareLinkError('CORRUPT', 'the link decodes to text that is not JSON'));
  }
  const checked = checkReport(value);
  if (!checked.ok) {
    return err(
      new ShareLinkError(
        'BAD_REPORT',
        `the link holds no usable report: ${checked.error.message}`,
        checked.error,
      ),
    );
  }
  return ok(checked.value);
}
