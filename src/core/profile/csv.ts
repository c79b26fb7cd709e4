// The per-layer profile as CSV, in the reference system's column order.
// Counters a board does not report are empty cells. Provenance goes in
// leading '#' comment lines (pandas: read_csv(path, comment='#')); pass
// { comments: false } for a file that starts at the header.
import { sourceLabel } from './source.ts';
import { COUNTER_COLUMNS, type Profile, type ProfileRow } from './types.ts';

export const PROFILE_CSV_COLUMNS = [
  'Event',
  'Tag',
  'uSeconds',
  'Est MACs',
  'cycles',
  ...COUNTER_COLUMNS,
] as const;

/** A decimal with at most `digits` fraction digits, trailing zeros dropped. */
export function formatDecimal(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return '';
  const s = x.toFixed(digits);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** RFC 4180 quoting when a cell holds a comma, quote or line break. */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const count = (v: number | null): string => (v === null ? '' : String(v));

/** Text safe for one comment line. */
const oneLine = (s: string): string => s.replace(/[\r\n]+/g, ' ');

export function csvRow(r: ProfileRow): string[] {
  return [
    String(r.event),
    r.tag,
    formatDecimal(r.us, 3),
    String(r.macs),
    String(r.cycles),
    ...COUNTER_COLUMNS.map((c) => count(r[c])),
  ];
}

export function profileCsv(profile: Profile, options: { comments?: boolean } = {}): string {
  const lines: string[] = [];
  if (options.comments ?? true) {
    lines.push(
      `# TinyDeploy per-layer profile; figures ${sourceLabel(profile.source, profile.board)}`,
    );
    lines.push(
      `# source=${profile.source}; board=${oneLine(profile.board)}; clock_mhz=${formatDecimal(profile.clockMhz, 6)}; uSeconds=cycles/clock_mhz`,
    );
  }
  lines.push(PROFILE_CSV_COLUMNS.join(','));
  for (const r of profile.rows) lines.push(csvRow(r).map(csvCell).join(','));
  return lines.join('\n') + '\n';
}
