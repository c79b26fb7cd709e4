// npm run verify:kernels [-- --seed N --cases N --sets N --only TEXT --case I
//                         --no-shared --no-catalogue]
// Every kernel against TFLite: see src/node/verify-kernels.ts. Exits 1 when
// any row misses its bound (docs/numerics.md), printing how to replay it.
import { parseArgs } from 'node:util';
import { launchReference } from '../src/node/reference-chromium.ts';
import { verifyKernels, type SubjectResult } from '../src/node/verify-kernels.ts';
import { formatFailures, formatRows, toRows } from '../src/node/verify-table.ts';
import { hostDevice } from '../tests/support/host-device.ts';
import { sharedModelsDir } from '../tests/support/models.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    cases: { type: 'string', default: '230' },
    sets: { type: 'string', default: '20' },
    only: { type: 'string' },
    case: { type: 'string' },
    'no-shared': { type: 'boolean', default: false },
    'no-catalogue': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
});

const int = (s: string | undefined, name: string): number => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name} wants a non-negative integer, got ${s}`);
  return n;
};

const started = performance.now();
const reference = await launchReference();
let results: SubjectResult[];
try {
  let done = 0;
  results = await verifyKernels({
    device: hostDevice(),
    reference,
    seed: int(values.seed, 'seed'),
    sets: int(values.sets, 'sets'),
    randomCases: int(values.cases, 'cases'),
    ...(values.case !== undefined ? { randomIndex: int(values.case, 'case') } : {}),
    catalogue: !values['no-catalogue'] && values.case === undefined,
    sharedDir: values['no-shared'] || values.case !== undefined ? null : sharedModelsDir(),
    ...(values.only !== undefined ? { filter: values.only } : {}),
    onResult: (r) => {
      done++;
      if (!values.quiet && r.status !== 'pass' && r.status !== 'unsupported') {
        console.error(`[${done}] ${r.status}: ${r.name} ${r.detail}`);
      }
    },
  });
} finally {
  await reference.close();
}

const rows = toRows(results);
console.log(formatRows(rows));
const failures = formatFailures(results, 'npm run verify:kernels --');
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const bad = rows.filter((r) => r.status === 'fail' || r.status === 'error').length;
console.log(`\n${results.length} subjects, ${rows.length} rows, ${bad} failing, ${seconds} s`);
if (failures) console.log(`\n${failures}`);
process.exit(bad > 0 ? 1 : 0);
