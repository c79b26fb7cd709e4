// Reading a report back (a --baseline file, a share link) with a check of
// every field the renderers and the comparison read. docs/report-schema.json
// is the full contract; this check is its runtime subset and, unlike the
// schema, lets unknown fields through so a newer minor writer stays readable.
import { err, ok, type Result } from '../errors.ts';
import { COUNTER_COLUMNS } from '../profile/types.ts';
import { REPORT_VERSION, type Report } from './types.ts';

export type ReportErrorCode = 'BAD_JSON' | 'NOT_A_REPORT' | 'UNSUPPORTED_VERSION' | 'INVALID';

export class ReportError extends Error {
  override readonly name = 'ReportError';
  constructor(
    readonly code: ReportErrorCode,
    message: string,
    /** Each field that failed, as "path: problem". */
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

type Check = (v: unknown, path: string, out: string[]) => void;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const num: Check = (v, p, out) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) out.push(`${p}: expected a finite number`);
};
const count: Check = (v, p, out) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    out.push(`${p}: expected a non-negative integer`);
  }
};
const nonNeg: Check = (v, p, out) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    out.push(`${p}: expected a non-negative number`);
  }
};
const share: Check = (v, p, out) => {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) out.push(`${p}: expected a share in 0..1`);
};
const str: Check = (v, p, out) => {
  if (typeof v !== 'string') out.push(`${p}: expected a string`);
};
const bool: Check = (v, p, out) => {
  if (typeof v !== 'boolean') out.push(`${p}: expected true or false`);
};
const hex64: Check = (v, p, out) => {
  if (typeof v !== 'string' || !/^[0-9a-f]{64}$/.test(v)) {
    out.push(`${p}: expected 64 lowercase hex digits`);
  }
};
const oneOf =
  (...values: readonly unknown[]): Check =>
  (v, p, out) => {
    if (!values.includes(v)) out.push(`${p}: expected one of ${values.join(', ')}`);
  };
const nullable =
  (c: Check): Check =>
  (v, p, out) => {
    if (v !== null) c(v, p, out);
  };
const arr =
  (c: Check): Check =>
  (v, p, out) => {
    if (!Array.isArray(v)) out.push(`${p}: expected an array`);
    else v.forEach((x, i) => c(x, `${p}[${i}]`, out));
  };
const rec =
  (c: Check): Check =>
  (v, p, out) => {
    if (!isObject(v)) out.push(`${p}: expected an object`);
    else for (const [k, x] of Object.entries(v)) c(x, `${p}.${k}`, out);
  };
const obj =
  (required: Record<string, Check>, optional: Record<string, Check> = {}): Check =>
  (v, p, out) => {
    if (!isObject(v)) {
      out.push(`${p}: expected an object`);
      return;
    }
    for (const [k, c] of Object.entries(required)) {
      if (!(k in v)) out.push(`${p}.${k}: missing`);
      else c(v[k], `${p}.${k}`, out);
    }
    for (const [k, c] of Object.entries(optional)) if (k in v) c(v[k], `${p}.${k}`, out);
  };

const unit = oneOf('steps', 'value');
const source = oneOf('emulated', 'measured', 'host');

const output = obj({
  index: count,
  name: str,
  type: str,
  elements: count,
  unit,
  bitExactShare: share,
  maxAbsDiff: nullable(nonNeg),
  maxRelError: nullable(nonNeg),
  mae: nonNeg,
  rmse: nonNeg,
  cosine: num,
  top1Agreement: share,
  nonFiniteMismatch: count,
  bound: str,
  pass: bool,
  reason: str,
  worstSet: count,
});

const layer = obj(
  { index: count, op: str, kernel: nullable(str), macs: count, cycles: count, us: nonNeg },
  {
    counters: obj(Object.fromEntries(COUNTER_COLUMNS.map((c) => [c, nullable(count)]))),
    extra: rec(count),
  },
);

const energyMode = obj({
  mode: oneOf('low-power', 'high-performance'),
  mhz: nonNeg,
  timeMs: nonNeg,
  energyUj: nonNeg,
  powerMw: nonNeg,
  currentUa: nullable(nonNeg),
  basis: oneOf('current', 'power'),
});

const reportCheck = obj(
  {
    reportVersion: oneOf(REPORT_VERSION),
    model: obj({ name: str, fileBytes: count, layers: count }),
    verdict: oneOf('pass', 'fail'),
    verdictReason: str,
    outputs: arr(output),
    layers: arr(layer),
    summary: obj({
      source,
      clockMhz: nonNeg,
      inferenceMs: nonNeg,
      totalMacs: count,
      totalCycles: count,
      layers: count,
      macsPerSecond: nullable(nonNeg),
      cyclesPerMac: nullable(nonNeg),
      arenaBytes: count,
      weightBytes: count,
      codeBytes: count,
      energy: nullable(
        obj({
          estimated: oneOf(true),
          source: str,
          supplyVolts: nullable(nonNeg),
          modes: arr(energyMode),
        }),
      ),
    }),
    memory: obj(
      { arenaBytes: count, weightBytes: count, codeBytes: count, codeBytesPerKernel: rec(count) },
      { liveBytesPerStep: arr(count) },
    ),
    provenance: obj({
      source,
      modelSha256: hex64,
      firmware: obj({ buildId: str, sha256: hex64 }, { sourceId: str }),
      toolVersion: str,
      board: obj({ name: str, clockMhz: nonNeg }, { core: str }),
      seed: count,
      inputSets: count,
      inputsSha256: hex64,
      timestamp: str,
    }),
    warnings: arr(str),
  },
  {
    divergence: obj({
      layer: count,
      op: str,
      maxAbsDiff: nullable(nonNeg),
      unit,
      bitExactShare: share,
      message: str,
    }),
    trimmed: obj({
      dropped: arr(oneOf('extraCounters', 'counters', 'liveBytes', 'layers')),
      note: str,
    }),
  },
);

/** Checks a parsed value is a report this version can read. */
export function checkReport(value: unknown): Result<Report, ReportError> {
  if (!isObject(value) || !('reportVersion' in value)) {
    return err(new ReportError('NOT_A_REPORT', 'not a TinyDeploy report (no reportVersion)'));
  }
  if (value.reportVersion !== REPORT_VERSION) {
    return err(
      new ReportError(
        'UNSUPPORTED_VERSION',
        `report version ${String(value.reportVersion)}; this tool reads version ${REPORT_VERSION}`,
      ),
    );
  }
  const problems: string[] = [];
  reportCheck(value, 'report', problems);
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join('; ');
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    return err(new ReportError('INVALID', `invalid report: ${shown}${more}`, problems));
  }
  return ok(value as unknown as Report);
}

/** Parses report JSON text (a --baseline file). */
export function parseReport(text: string): Result<Report, ReportError> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return err(new ReportError('BAD_JSON', `report is not JSON: ${(e as Error).message}`));
  }
  return checkReport(value);
}

/** The report as JSON text, stable key order as built. */
export function reportJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
