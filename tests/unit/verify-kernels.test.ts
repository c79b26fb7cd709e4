// verify:kernels in CI: the catalogue and a round of random single-op models
// (few input sets each), person_detect layer by layer, and the seanet golden
// vectors, all through the host runtime against TFLite in Chromium.
// `npm run verify:kernels` runs the full-size version.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchReference, type ReferenceSession } from '../../src/node/reference-chromium.ts';
import {
  verifyKernels,
  type SubjectResult,
  type VerifyOptions,
} from '../../src/node/verify-kernels.ts';
import { formatFailures } from '../../src/node/verify-table.ts';
import { hostDevice } from '../support/host-device.ts';
import { sharedModelsDir } from '../support/models.ts';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const shared = sharedModelsDir();

function expectAllPass(results: SubjectResult[], minimum: number): void {
  expect(results.length).toBeGreaterThanOrEqual(minimum);
  expect(formatFailures(results, 'npm run verify:kernels --')).toBe('');
}

describe.skipIf(!existsSync(chromium))('verify:kernels (small)', () => {
  let reference: ReferenceSession;
  let base: Omit<VerifyOptions, 'catalogue' | 'randomCases' | 'sharedDir'>;

  beforeAll(async () => {
    reference = await launchReference({ executablePath: chromium });
    base = { device: hostDevice(), reference, seed: 20261126, sets: 3 };
  });
  afterAll(async () => {
    await reference?.close();
  });

  it('catalogue and one random model per kernel agree with TFLite', async () => {
    const results = await verifyKernels({
      ...base,
      catalogue: true,
      randomCases: 46,
      sharedDir: null,
    });
    expectAllPass(results, 46 + 100);
    expect(results.filter((r) => r.status === 'pass').length).toBe(results.length);
  });

  it('catches a device that is one step off, and says how to replay it', async () => {
    const device = hostDevice();
    const offByOne: VerifyOptions['device'] = async (pkg, inputs) => {
      const r = await device(pkg, inputs);
      if (r.ok) r.outputs[r.outputs.length - 1] = (r.outputs[r.outputs.length - 1] as number) ^ 1;
      return r;
    };
    const results = await verifyKernels({
      ...base,
      device: offByOne,
      catalogue: true,
      randomCases: 0,
      sharedDir: null,
      filter: 'softmax_s8/row_beta1',
    });
    expect(results.map((r) => r.status)).toEqual(['fail']);
    expect(formatFailures(results, 'npm run verify:kernels --')).toContain(
      'npm run verify:kernels -- --only softmax_s8/row_beta1 --seed 20261126',
    );
  });

  it.skipIf(!shared)('person_detect agrees with TFLite layer by layer', async () => {
    const results = await verifyKernels({
      ...base,
      catalogue: false,
      randomCases: 0,
      sharedDir: shared,
      filter: 'tflm/person_detect',
    });
    expectAllPass(results, 1);
    expect(results[0]?.layers?.length).toBe(31);
  });

  it.skipIf(!shared)(
    'seanet models reproduce their golden vectors and agree with TFLite',
    async () => {
      const results = await verifyKernels({
        ...base,
        sets: 1,
        catalogue: false,
        randomCases: 0,
        sharedDir: shared,
        filter: 'seanet/',
      });
      const golden = results.filter((r) => r.kind === 'golden');
      expect(golden.length).toBeGreaterThanOrEqual(127);
      expectAllPass(results, 254);
    },
  );
});
