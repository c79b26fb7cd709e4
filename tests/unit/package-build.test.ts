// buildPackage: model + memory plan -> package contents.
import { describe, expect, it } from 'vitest';
import type { MemoryPlan } from '../../src/core/analysis/types.ts';
import { buildPackage } from '../../src/core/package/build-package.ts';
import { KERNEL_IDS } from '../../src/core/package/kernel-ids.ts';
import type { PlanKernel } from '../../src/core/package/kernel-plan.ts';
import { parsePackage } from '../../src/core/package/parse-package.ts';
import { ModelBuilder } from '../../src/core/tflite/build.ts';
import type { Model } from '../../src/core/tflite/model.ts';
import { packageableModels, planFor, reshapeChain } from '../support/package-fixtures.ts';

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: Error }): T {
  if (!r.ok) throw r.error;
  return r.value;
}

/** y = op(x, w) with a constant w shared by two ops, to test params and dedupe. */
function twoOpModel(op = 'ADD'): Model {
  const b = new ModelBuilder();
  const x = b.addInput({ type: 'INT8', shape: [1, 8], quant: { scale: 0.5, zeroPoint: 1 } });
  const w = b.addTensor({ name: 'w', type: 'INT8', shape: [1, 8], data: [1, 2, 3, 4, 5, 6, 7, 8] });
  const h = b.addTensor({ type: 'INT8', shape: [1, 8], quant: { scale: 0.5, zeroPoint: 1 } });
  b.addOperator(op, [x, w], [h]);
  const w2 = b.addTensor({ name: 'w-again', type: 'INT8', shape: [1, 8], data: [] });
  const model = b.build();
  const sg = model.subgraphs[0] as Model['subgraphs'][number];
  // Share w's buffer: same bytes, one copy in the package.
  (sg.tensors[w2] as Model['subgraphs'][number]['tensors'][number]).buffer = (
    sg.tensors[w] as Model['subgraphs'][number]['tensors'][number]
  ).buffer;
  const y = sg.tensors.length;
  sg.tensors.push({
    ...(sg.tensors[h] as Model['subgraphs'][number]['tensors'][number]),
    name: 'y',
  });
  sg.operators.push({
    ...(sg.operators[0] as Model['subgraphs'][number]['operators'][number]),
    inputs: [h, w2],
    outputs: [y],
  });
  sg.outputs = [y];
  return model;
}

const fakeAdd: PlanKernel = (ctx) => ({
  kernel: 'ADD_S8',
  params: [
    -7,
    0xfffffff0,
    { f32: 0.1 },
    { array: new Int32Array([ctx.index, -1, 2]) },
    { array: new Int8Array([5]) },
  ],
  scratchBytes: 64 * (ctx.index + 1),
});

describe('buildPackage', () => {
  it('round-trips through parsePackage', () => {
    const build = unwrap(
      buildPackage(twoOpModel(), planFor(twoOpModel()), { kernels: { ADD: fakeAdd } }),
    );
    expect(unwrap(parsePackage(build.bytes))).toEqual(build.contents);
  });

  it('serialises param words, floats and arrays, 16-byte aligned in the constant region', () => {
    const { contents } = unwrap(
      buildPackage(twoOpModel(), planFor(twoOpModel()), { kernels: { ADD: fakeAdd } }),
    );
    const op = contents.ops[1];
    expect(op?.kernelId).toBe(KERNEL_IDS.ADD_S8);
    expect(op?.params.slice(0, 3)).toEqual([-7 >>> 0, 0xfffffff0, 0x3dcccccd]);
    expect(op?.arrays).toEqual([
      { word: 3, bytes: 12 },
      { word: 4, bytes: 1 },
    ]);
    const off = op?.params[3] as number;
    expect(off % 16).toBe(0);
    const dv = new DataView(contents.constData.buffer, contents.constData.byteOffset);
    expect([0, 4, 8].map((i) => dv.getInt32(off + i, true))).toEqual([1, -1, 2]);
    expect(contents.constData[op?.params[4] as number]).toBe(5);
    expect(contents.scratchBytes).toBe(128);
  });

  it('stores a constant buffer once however many tensors use it', () => {
    const { contents } = unwrap(
      buildPackage(twoOpModel(), planFor(twoOpModel()), { kernels: { ADD: fakeAdd } }),
    );
    const consts = contents.tensors.filter((t) => t.kind === 'const');
    expect(consts).toHaveLength(2);
    expect(consts[0]?.offset).toBe(consts[1]?.offset);
    expect([
      ...contents.constData.subarray(consts[0]?.offset, (consts[0]?.offset ?? 0) + 8),
    ]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('takes arena offsets from the memory plan and records the source of every tensor and layer', () => {
    const model = reshapeChain();
    const plan = planFor(model);
    const build = unwrap(buildPackage(model, plan));
    const sg = model.subgraphs[0] as Model['subgraphs'][number];
    for (const t of build.contents.tensors) {
      expect(t.kind).toBe('arena');
      expect(t.offset).toBe(plan.blocks.find((b) => b.tensor === t.source)?.offset);
      expect(t.shape).toEqual(sg.tensors[t.source]?.shape);
    }
    expect(build.contents.arenaBytes).toBe(plan.arenaBytes);
    expect(build.layers.map((l) => [l.op, l.kernel, l.sourceOp])).toEqual([
      ['RESHAPE', 'RESHAPE', 0],
      ['SQUEEZE', 'RESHAPE', 1],
      ['EXPAND_DIMS', 'RESHAPE', 2],
      ['RESHAPE', 'RESHAPE', 3],
    ]);
    // The shape operands are folded into the output dims: not in the package.
    expect(build.contents.ops.every((op) => op.inputs.length === 1)).toBe(true);
    expect(build.contents.inputs.map((i) => build.contents.tensors[i]?.source)).toEqual(sg.inputs);
    expect(build.contents.outputs.map((i) => build.contents.tensors[i]?.source)).toEqual(
      sg.outputs,
    );
    const x = build.contents.tensors[build.contents.inputs[0] as number];
    expect([x?.zeroPoint, x?.scale]).toEqual([-3, 0.25]);
  });

  it('names every unsupported op, with its layer and reason', () => {
    const b = new ModelBuilder();
    const x = b.addInput({ type: 'INT8', shape: [4] });
    const a = b.addTensor({ type: 'INT8', shape: [4] });
    const c = b.addTensor({ type: 'INT8', shape: [2, 2] });
    const d = b.addOutput({ type: 'INT8', shape: [4] });
    b.addOperator('CUSTOM:Mystery', [x], [a]);
    b.addOperator('RESHAPE', [a], [c], { newShape: [2, 2] });
    b.addOperator('RESHAPE', [c], [d], { newShape: [4] });
    b.addOperator('GELU', [d], [d]);
    const model = b.build();
    const r = buildPackage(model, planFor(model), {
      kernels: {
        RESHAPE: () => ({ op: 'RESHAPE', reason: 'test says no' }),
        GELU: () => {
          throw new Error('boom');
        },
      },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('UNSUPPORTED_OPS');
    expect(r.error.unsupported.map((u) => [u.layer, u.op])).toEqual([
      [0, 'CUSTOM:Mystery'],
      [1, 'RESHAPE'],
      [2, 'RESHAPE'],
      [3, 'GELU'],
    ]);
    expect(r.error.message).toContain('CUSTOM:Mystery');
    expect(r.error.message).toContain('test says no');
    expect(r.error.message).toContain('boom');
  });

  it('refuses a reshape whose output does not hold the input elements', () => {
    const b = new ModelBuilder();
    const x = b.addInput({ type: 'INT8', shape: [4] });
    const y = b.addOutput({ type: 'INT8', shape: [5] });
    b.addOperator('RESHAPE', [x], [y], { newShape: [5] });
    const model = b.build();
    const r = buildPackage(model, planFor(model));
    expect(!r.ok && r.error.unsupported[0]?.reason).toMatch(/same elements/);
  });

  it('refuses tensors the runtime cannot hold, and tensors the plan left out', () => {
    const b = new ModelBuilder();
    const x = b.addInput({ type: 'FLOAT16', shape: [4] });
    const y = b.addOutput({ type: 'FLOAT16', shape: [2, 2] });
    b.addOperator('RESHAPE', [x], [y], { newShape: [2, 2] });
    const half = b.build();
    const r1 = buildPackage(half, planFor(half));
    expect(!r1.ok && r1.error.code).toBe('BAD_TENSOR_TYPE');

    const model = reshapeChain();
    const plan = planFor(model);
    const partial: MemoryPlan = { ...plan, blocks: plan.blocks.slice(1) };
    const r2 = buildPackage(model, partial);
    expect(!r2.ok && r2.error.code).toBe('NOT_PLANNED');

    const shifted: MemoryPlan = {
      ...plan,
      blocks: plan.blocks.map((bl) => ({ ...bl, offset: bl.offset + 8 })),
    };
    const r3 = buildPackage(model, shifted);
    expect(!r3.ok && r3.error.code).toBe('BAD_PLAN');
  });

  it('packages every buildable model so that parsing gives back its contents', () => {
    const all = packageableModels(512 * 1024);
    expect(all.length).toBeGreaterThan(0);
    for (const { name, build } of all) {
      const parsed = unwrap(parsePackage(build.bytes));
      // Constants compared as bytes: deep equality walks them element by element.
      expect({ ...parsed, constData: null }, name).toEqual({ ...build.contents, constData: null });
      expect(Buffer.compare(parsed.constData, build.contents.constData), name).toBe(0);
    }
  });
});
