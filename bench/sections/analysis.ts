// Read + analyse + plan the largest model we have, in Node.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeModel } from '../../src/core/analysis/analyze.ts';
import { activationLifetimes } from '../../src/core/analysis/lifetimes.ts';
import { planMemory } from '../../src/core/analysis/planner.ts';
import type { Model } from '../../src/core/tflite/model.ts';
import { readModel } from '../../src/core/tflite/read.ts';
import { writeModel } from '../../src/core/tflite/write.ts';
import { listSharedModels, sharedModelsDir } from '../../tests/support/models.ts';
import { syntheticMobileNet } from '../lib/synthetic-mobilenet.ts';
import { measure, timingLine } from '../lib/timing.ts';

export const title = 'analysis: read + analyse + plan (Node)';

/** Aim from the issue: the whole pipeline on the ~4 MB model in under this. */
const TARGET_MS = 50;

function largestModel(): { name: string; bytes: Uint8Array } {
  const dir = sharedModelsDir();
  if (dir) {
    const files = listSharedModels().map((f) => ({ f, size: statSync(join(dir, f)).size }));
    const largest = files.sort((a, b) => b.size - a.size)[0];
    if (largest)
      return { name: largest.f, bytes: new Uint8Array(readFileSync(join(dir, largest.f))) };
  }
  return {
    name: 'synthetic MobileNetV2 (shared models absent)',
    bytes: writeModel(syntheticMobileNet()),
  };
}

function read(bytes: Uint8Array): Model {
  const r = readModel(bytes);
  if (!r.ok) throw r.error;
  return r.value;
}

export async function bench(): Promise<string[]> {
  const { name, bytes } = largestModel();
  const model = read(bytes);
  const steps = model.subgraphs[0]?.operators.length ?? 0;
  const lifetimes = activationLifetimes(model);
  const total = await measure(() => analyzeModel(read(bytes), bytes.length));
  const lines = [
    `  model: ${name}, ${bytes.length.toLocaleString('en-US')} bytes, ${steps} operators`,
    timingLine('read + analyse + plan', total),
    timingLine('read only', await measure(() => read(bytes))),
    timingLine(
      'analyse + plan (model already read)',
      await measure(() => analyzeModel(model, bytes.length)),
    ),
    timingLine('plan only (lifetimes given)', await measure(() => planMemory(lifetimes, steps))),
  ];
  const verdict = total.medianMs < TARGET_MS ? 'within' : 'OVER';
  lines.push(`  ${verdict} the ${TARGET_MS} ms target`);
  return lines;
}
