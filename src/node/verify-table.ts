// The verify:kernels table: results merged per row (a model, a catalogue
// case, a seanet folder, a kernel's random cases), and the replay list.
import { describeBound } from '../core/validate/bounds.ts';
import type { SubjectResult } from './verify-kernels.ts';

export interface Row {
  label: string;
  subjects: number;
  /** Inferences compared. */
  cases: number;
  /** 0..1 over every integer and float output element; null if nothing ran. */
  exactShare: number | null;
  /** Largest integer difference, in quantization steps (null: no integer outputs). */
  maxSteps: number | null;
  /** Largest float relative error (null: no float outputs). */
  maxRel: number | null;
  bounds: string;
  status: 'pass' | 'fail' | 'error' | 'unsupported';
  note: string;
}

export function toRows(results: readonly SubjectResult[]): Row[] {
  const groups = new Map<string, SubjectResult[]>();
  for (const r of results) groups.set(r.group, [...(groups.get(r.group) ?? []), r]);
  return [...groups].map(([label, rs]): Row => {
    let elements = 0;
    let exact = 0;
    let maxSteps: number | null = null;
    let maxRel: number | null = null;
    const bounds = new Set<string>();
    for (const r of rs) {
      for (const o of r.verdict?.outputs ?? []) {
        elements += o.metrics.elements;
        exact += o.metrics.exactShare * o.metrics.elements;
        bounds.add(describeBound(o.bound));
        if (o.metrics.type === 'FLOAT32') maxRel = Math.max(maxRel ?? 0, o.metrics.maxRelError);
        else maxSteps = Math.max(maxSteps ?? 0, o.metrics.maxAbsDiff);
      }
    }
    const statuses = new Set(rs.map((r) => r.status));
    const status = statuses.has('fail')
      ? 'fail'
      : statuses.has('error')
        ? 'error'
        : statuses.has('pass')
          ? 'pass'
          : 'unsupported';
    const unsupported = [
      ...new Set(rs.filter((r) => r.status === 'unsupported').map((r) => r.detail)),
    ];
    const failed = rs.filter((r) => r.status === 'fail' || r.status === 'error').length;
    const layers = rs.flatMap((r) => r.layers ?? []);
    const layerSteps = Math.max(
      0,
      ...layers.flatMap((l) =>
        (l.verdict?.outputs ?? [])
          .filter((v) => v.metrics.type !== 'FLOAT32')
          .map((v) => v.metrics.maxAbsDiff),
      ),
    );
    const layerNote =
      layers.length > 0
        ? `${layers.filter((l) => l.pass).length}/${layers.length} layers within bound, worst layer |Δ| ${layerSteps}`
        : '';
    return {
      label,
      subjects: rs.length,
      cases: rs.reduce((n, r) => n + r.sets, 0),
      exactShare: elements > 0 ? exact / elements : null,
      maxSteps,
      maxRel,
      bounds: [...bounds].join(', '),
      status,
      note: [failed > 0 ? `${failed}/${rs.length} failed` : '', layerNote, ...unsupported]
        .filter(Boolean)
        .join('; '),
    };
  });
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

export function formatRows(rows: readonly Row[]): string {
  const head = [
    'model or op',
    'cases',
    'bit-exact %',
    'max |Δ| steps',
    'max rel err',
    'bound',
    'status',
  ];
  const cells = rows.map((r) => [
    r.subjects > 1 ? `${r.label} (${r.subjects})` : r.label,
    String(r.cases),
    r.exactShare === null ? '-' : (r.exactShare * 100).toFixed(2),
    r.maxSteps === null ? '-' : String(r.maxSteps),
    r.maxRel === null ? '-' : r.maxRel.toExponential(2),
    r.bounds || '-',
    // An unsupported model's note already reads "unsupported: <ops>".
    r.status === 'unsupported' && r.note ? r.note : r.status + (r.note ? ` (${r.note})` : ''),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]): string =>
    c
      .map((x, i) => (i >= 1 && i <= 4 ? lpad(x, widths[i] ?? 0) : pad(x, widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** One line per failing subject, with what reproduces it. */
export function formatFailures(results: readonly SubjectResult[], command: string): string {
  return results
    .filter((r) => r.status === 'fail' || r.status === 'error')
    .map(
      (r) => `${r.status.toUpperCase()} ${r.name}: ${r.detail}\n  reproduce: ${command} ${r.repro}`,
    )
    .join('\n');
}
