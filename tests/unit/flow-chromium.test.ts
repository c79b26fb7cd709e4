// The flow against the real reference (TFLite in headless Chromium) on the
// host board: the project's example models and, when the shared models are
// present, person_detect fed the shared sample image.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleBytes } from '../../src/core/examples/index.ts';
import { decodeBmp, imageToTensor, inputTargets } from '../../src/core/flow/inputs/index.ts';
import { runFlow } from '../../src/core/flow/run.ts';
import type { FlowResult } from '../../src/core/flow/types.ts';
import { checkReport } from '../../src/core/report/parse-report.ts';
import { readModel } from '../../src/core/tflite/read.ts';
import { launchReference, type ReferenceSession } from '../../src/node/reference-chromium.ts';
import { chromiumReference } from '../../src/node/run-flow.ts';
import { sharedModelsDir } from '../support/models.ts';
import { flowDeps, hostBoard, type HostBoard } from './flow-support.ts';

let session: ReferenceSession;
let board: HostBoard;

beforeAll(async () => {
  session = await launchReference();
  board = hostBoard();
});
afterAll(async () => {
  await board.stop();
  await session.close();
});

function passed(r: FlowResult): Extract<FlowResult, { ok: true }> {
  if (!r.ok) throw new Error(`${r.failure.stage}: ${r.failure.message}`);
  return r;
}

describe('runFlow against TFLite', () => {
  it('validates the example CNN and MLP', async () => {
    for (const id of ['cnn-int8', 'mlp-float']) {
      const bytes = exampleBytes(id) as Uint8Array;
      const r = passed(
        await runFlow(flowDeps(board.client, chromiumReference(session)), bytes, {
          boardId: 'host',
          modelName: `${id}.tflite`,
          inputSets: 6,
        }),
      );
      expect(r.verdict, `${id}: ${r.artifacts.validation.reason}`).toBe('pass');
      expect(checkReport(JSON.parse(JSON.stringify(r.artifacts.report))).ok).toBe(true);
    }
  });

  it('validates person_detect on the shared sample image', async () => {
    const dir = sharedModelsDir();
    if (!dir) return;
    const bytes = new Uint8Array(readFileSync(join(dir, 'tflm', 'person_detect.tflite')));
    const read = readModel(bytes);
    if (!read.ok) throw read.error;
    const [target] = inputTargets(read.value);
    if (!target) throw new Error('person_detect has no numeric input');
    const images = ['person_detect_person.bmp', 'person_detect_no_person.bmp'].map((f) =>
      imageToTensor(decodeBmp(new Uint8Array(readFileSync(join(dir, 'inputs', f)))), target),
    );
    const r = passed(
      await runFlow(flowDeps(board.client, chromiumReference(session)), bytes, {
        boardId: 'host',
        modelName: 'person_detect.tflite',
        userInputs: { [target.name]: images },
      }),
    );
    const v = r.artifacts.validation;
    expect(v.mode).toBe('layers');
    expect(r.verdict, v.reason).toBe('pass');
    expect(r.artifacts.inputs.sets).toHaveLength(2);
    // The reference's scores tell the two images apart (index 1 = person).
    const [person, none] = (r.artifacts.expected ?? []).map((s) => s[0] as Int8Array);
    expect((person?.[1] ?? 0) - (person?.[0] ?? 0)).toBeGreaterThan(
      (none?.[1] ?? 0) - (none?.[0] ?? 0),
    );
  });
});
