// td_invoke (and td_invoke_range) on the host: runs packages on many
// samples, layer by layer, deterministically, and clean under the sanitizers.
import { describe, expect, it } from 'vitest';
import type { MemoryPlan } from '../../src/core/analysis/types.ts';
import { buildExample } from '../../src/core/examples/index.ts';
import { buildPackage } from '../../src/core/package/build-package.ts';
import type { PackageBuild } from '../../src/core/package/build-package.ts';
import { ModelBuilder } from '../../src/core/tflite/build.ts';
import { runPackage } from '../support/host-runtime.ts';
import {
  packageOf,
  planFor,
  randomBytes,
  representativePackages,
  reshapeChain,
} from '../support/package-fixtures.ts';

const ioBytes = (build: PackageBuild, which: 'inputs' | 'outputs'): number =>
  build.contents[which].reduce((s, t) => s + (build.contents.tensors[t]?.bytes ?? 0), 0);

function mustRun(...args: Parameters<typeof runPackage>): {
  outputs: Uint8Array;
  layers: Uint8Array | null;
} {
  const r = runPackage(...args);
  if (!r.ok) throw new Error(`td-run failed (${r.status ?? r.exitCode}): ${r.stderr}`);
  return r;
}

describe('td_invoke', () => {
  it('runs 20 samples through reshapes: outputs carry the input bytes', () => {
    const build = packageOf(reshapeChain());
    const samples = 20;
    const inputs = randomBytes(samples * 48, 5);
    const { outputs } = mustRun(build.bytes, inputs, { sanitize: true });
    // Per sample: x (24 int8) -> out1, y (6 float32) -> out2, in the same order.
    expect(outputs).toEqual(inputs);
  });

  it("calls the after-layer hook once per layer with that layer's outputs", () => {
    const build = packageOf(reshapeChain());
    const inputs = randomBytes(2 * 48, 8);
    const { layers } = mustRun(build.bytes, inputs, { layers: true });
    const perSample = build.contents.ops.reduce(
      (s, op) => s + op.outputs.reduce((n, t) => n + (build.contents.tensors[t]?.bytes ?? 0), 0),
      0,
    );
    expect(layers?.length).toBe(2 * perSample);
    // Layers 0-2 pass x along (24 bytes each), layer 3 passes y (24 bytes).
    for (let s = 0; s < 2; s++) {
      const x = inputs.subarray(s * 48, s * 48 + 24);
      const y = inputs.subarray(s * 48 + 24, s * 48 + 48);
      const l = layers?.subarray(s * perSample, (s + 1) * perSample);
      expect([0, 1, 2].map((i) => l?.subarray(24 * i, 24 * i + 24))).toEqual([x, x, x]);
      expect(l?.subarray(72, 96)).toEqual(y);
    }
  });

  it('copies when the plan aliases nothing, and does nothing when it aliases in place', () => {
    const b = new ModelBuilder();
    const x = b.addInput({ type: 'INT16', shape: [2, 5] });
    const y = b.addOutput({ type: 'INT16', shape: [10] });
    b.addOperator('RESHAPE', [x], [y], { newShape: [10] });
    const model = b.build();
    const apart = planFor(model);
    const inPlace: MemoryPlan = {
      ...apart,
      arenaBytes: 32,
      blocks: apart.blocks.map((bl) => ({ ...bl, offset: 0 })),
    };
    const inputs = randomBytes(20 * 20, 3);
    for (const plan of [apart, inPlace]) {
      const r = buildPackage(model, plan);
      if (!r.ok) throw r.error;
      expect(mustRun(r.value.bytes, inputs, { sanitize: true }).outputs).toEqual(inputs);
    }
  });

  it('refuses a partial overlap that a copy could not handle', () => {
    const b = new ModelBuilder();
    const x = b.addInput({ type: 'INT8', shape: [32] });
    const y = b.addOutput({ type: 'INT8', shape: [2, 16] });
    b.addOperator('RESHAPE', [x], [y], { newShape: [2, 16] });
    const model = b.build();
    const plan = planFor(model);
    const overlapping: MemoryPlan = {
      ...plan,
      arenaBytes: 48,
      blocks: plan.blocks.map((bl) => ({ ...bl, offset: bl.tensor === y ? 16 : 0 })),
    };
    const r = buildPackage(model, overlapping);
    if (!r.ok) throw r.error;
    const run = runPackage(r.value.bytes, new Uint8Array(32));
    expect(!run.ok && [run.status, run.layer]).toEqual(['TD_ERR_BAD_PARAMS', 0]);
  });

  it('gives the same outputs whatever the arena held before, for one model per kernel combination', () => {
    const all = representativePackages(256 * 1024);
    expect(all.length).toBeGreaterThan(0);
    for (const { name, build } of all) {
      const inputs = randomBytes(3 * ioBytes(build, 'inputs'), name.length);
      const a = mustRun(build.bytes, inputs, { fill: 0x00, sanitize: true });
      const b = mustRun(build.bytes, inputs, { fill: 0xa5 });
      expect(a.outputs.length, name).toBe(3 * ioBytes(build, 'outputs'));
      expect(b.outputs, name).toEqual(a.outputs);
    }
  });

  it('td_invoke_range runs layers first..last and stops; a second call resumes where the first stopped', () => {
    const build = packageOf(buildExample('cnn-int8')!);
    const ops = build.contents.ops;
    expect(ops.length).toBeGreaterThan(4);
    const samples = 2;
    const inputs = randomBytes(samples * ioBytes(build, 'inputs'), 31);
    const full = mustRun(build.bytes, inputs, { layers: true, sanitize: true }).layers!;
    // Each sample's dump, cut per layer.
    const outBytes = ops.map((op) =>
      op.outputs.reduce((n, t) => n + (build.contents.tensors[t]?.bytes ?? 0), 0),
    );
    const perSample = outBytes.reduce((a, b) => a + b, 0);
    const dumpOf = (
      layers: Uint8Array,
      sample: number,
      first: number,
      last: number,
    ): Uint8Array => {
      const size = outBytes.slice(first, last + 1).reduce((a, b) => a + b, 0);
      return layers.subarray(sample * size, (sample + 1) * size);
    };
    const fullOf = (sample: number, first: number, last: number): Uint8Array => {
      const at = sample * perSample + outBytes.slice(0, first).reduce((a, b) => a + b, 0);
      return full.subarray(at, at + outBytes.slice(first, last + 1).reduce((a, b) => a + b, 0));
    };
    const n = ops.length;
    for (const [first, last] of [
      [0, 0],
      [0, 2],
      [3, 3],
      [2, n - 2],
      [1, n - 1],
    ] as const) {
      const got = mustRun(build.bytes, inputs, {
        layers: true,
        range: { first, last },
        sanitize: true,
      }).layers!;
      // The hooks saw exactly layers first..last, by their model index.
      expect(got.length, `${first}:${last}`).toBe(
        samples * outBytes.slice(first, last + 1).reduce((a, b) => a + b, 0),
      );
      for (let s = 0; s < samples; s++)
        expect(dumpOf(got, s, first, last), `${first}:${last}`).toEqual(fullOf(s, first, last));
    }
    // The whole model as a range is the whole model.
    const whole = mustRun(build.bytes, inputs, { range: { first: 0, last: n - 1 } });
    expect(whole.outputs).toEqual(mustRun(build.bytes, inputs).outputs);
  });

  it('td_invoke_range refuses a range that is empty or past the last layer, running nothing', () => {
    const build = packageOf(reshapeChain());
    const n = build.contents.ops.length;
    const inputs = randomBytes(48, 3);
    for (const range of [
      { first: 2, last: 1 },
      { first: 0, last: n },
      { first: n, last: n },
    ]) {
      const r = runPackage(build.bytes, inputs, { layers: true, range, sanitize: true });
      expect(r.ok, JSON.stringify(range)).toBe(false);
      if (!r.ok) {
        expect(r.status).toBe('TD_ERR_BAD_INDEX');
        expect(r.layer).toBeNull(); // no layer ran, none failed
      }
    }
  });

  it('rejects an inputs file that is not whole samples', () => {
    const r = runPackage(packageOf(reshapeChain()).bytes, new Uint8Array(47));
    expect(!r.ok && r.exitCode).toBe(1);
  });
});
