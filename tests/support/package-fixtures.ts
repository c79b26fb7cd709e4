// Models and packages for the package and runtime tests, built here so the
// tests stand without the third-party models; plus, when present, every
// shared or sample model the current kernels can package.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { activationLifetimes } from '../../src/core/analysis/lifetimes.ts';
import { planMemory } from '../../src/core/analysis/planner.ts';
import type { MemoryPlan } from '../../src/core/analysis/types.ts';
import { buildExample, EXAMPLES } from '../../src/core/examples/index.ts';
import { buildPackage, type PackageBuild } from '../../src/core/package/build-package.ts';
import { plannerFor } from '../../src/core/package/kernels/index.ts';
import { ModelBuilder } from '../../src/core/tflite/build.ts';
import type { Model } from '../../src/core/tflite/model.ts';
import { opName } from '../../src/core/tflite/ops.ts';
import { readModel } from '../../src/core/tflite/read.ts';
import { sampleModels } from '../../src/core/tflite/samples.ts';
import { listSharedModels, sharedModelsDir } from './models.ts';

export function planFor(model: Model): MemoryPlan {
  return planMemory(activationLifetimes(model, 0), model.subgraphs[0]?.operators.length ?? 0);
}

/**
 * Two inputs of different dtypes through RESHAPE, SQUEEZE and EXPAND_DIMS
 * to two outputs: exercises every aliasing-op planner, constant shape
 * operands (left out of the package), and multi-input/output I/O.
 */
export function reshapeChain(): Model {
  const b = new ModelBuilder('reshape chain');
  const q = { scale: 0.25, zeroPoint: -3 };
  const x = b.addInput({ name: 'x', type: 'INT8', shape: [1, 4, 6], quant: q });
  const y = b.addInput({ name: 'y', type: 'FLOAT32', shape: [3, 2] });
  const shape = b.addTensor({ name: 'shape', type: 'INT32', shape: [2], data: [1, 24] });
  const flat = b.addTensor({ name: 'flat', type: 'INT8', shape: [1, 24], quant: q });
  b.addOperator('RESHAPE', [x, shape], [flat], { newShape: [1, 24] });
  const squeezed = b.addTensor({ name: 'squeezed', type: 'INT8', shape: [24], quant: q });
  b.addOperator('SQUEEZE', [flat], [squeezed], { squeezeDims: [0] });
  const axis = b.addTensor({ name: 'axis', type: 'INT32', shape: [1], data: [1] });
  const out1 = b.addOutput({ name: 'out1', type: 'INT8', shape: [24, 1], quant: q });
  b.addOperator('EXPAND_DIMS', [squeezed, axis], [out1]);
  const shape2 = b.addTensor({ name: 'shape2', type: 'INT32', shape: [1], data: [6] });
  const out2 = b.addOutput({ name: 'out2', type: 'FLOAT32', shape: [6] });
  b.addOperator('RESHAPE', [y, shape2], [out2], { newShape: [6] });
  return b.build();
}

/** Builds a package with the default kernels and the model's own memory plan; throws on failure. */
export function packageOf(model: Model): PackageBuild {
  const r = buildPackage(model, planFor(model));
  if (!r.ok) throw r.error;
  return r.value;
}

export interface NamedPackage {
  name: string;
  model: Model;
  build: PackageBuild;
}

/**
 * Every model the current kernels can package: ours, the samples, the
 * examples, and (when present) the shared third-party models up to
 * `maxModelBytes`. Grows by itself as kernels are added.
 */
export function packageableModels(maxModelBytes = Infinity): NamedPackage[] {
  const candidates: [string, Model][] = [['reshape-chain', reshapeChain()], ...sampleModels()];
  for (const e of EXAMPLES) {
    const m = buildExample(e.id);
    if (m) candidates.push([`example:${e.id}`, m]);
  }
  const dir = sharedModelsDir();
  if (dir) {
    for (const file of listSharedModels()) {
      const bytes = new Uint8Array(readFileSync(join(dir, file)));
      if (bytes.length > maxModelBytes) continue;
      const m = readModel(bytes);
      if (m.ok) candidates.push([file, m.value]);
    }
  }
  const out: NamedPackage[] = [];
  for (const [name, model] of candidates) {
    // Skip planning memory for models with an op no kernel covers.
    const ops = model.subgraphs[0]?.operators ?? [];
    if (!ops.every((op) => plannerFor(opName(model, op.opcodeIndex)))) continue;
    const r = buildPackage(model, planFor(model));
    if (r.ok) out.push({ name, model, build: r.value });
  }
  return out;
}

/** Deterministic pseudo-random bytes (xorshift32). */
export function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s & 0xff;
  }
  return out;
}

/**
 * One package per distinct set of kernels (the smallest), so that tests
 * that spawn the runtime per model cover every kernel combination once.
 */
export function representativePackages(maxModelBytes = Infinity): NamedPackage[] {
  const best = new Map<string, NamedPackage>();
  for (const p of packageableModels(maxModelBytes)) {
    const key = [...new Set(p.build.contents.ops.map((op) => op.kernelId))]
      .sort((a, b) => a - b)
      .join(',');
    const seen = best.get(key);
    if (!seen || p.build.bytes.length < seen.build.bytes.length) best.set(key, p);
  }
  return [...best.values()];
}
