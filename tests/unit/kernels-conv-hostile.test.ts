// The conv / fc / pool kernels' check functions against hostile packages:
// params and tensor records are rewritten (CRC recomputed, so they reach the
// kernel checks) and loaded by the sanitized host runtime. A rewrite must be
// rejected, or, if accepted, run without any AddressSanitizer/UBSan report.
import { describe, expect, it } from 'vitest';

import { activationLifetimes } from '../../src/core/analysis/lifetimes.ts';
import { planMemory } from '../../src/core/analysis/planner.ts';
import { buildPackage, type PackageBuild } from '../../src/core/package/build-package.ts';
import type { PackageContents } from '../../src/core/package/package-types.ts';
import { writePackage } from '../../src/core/package/write-package.ts';
import { ModelBuilder } from '../../src/core/tflite/build.ts';
import type { Model } from '../../src/core/tflite/model.ts';
import { fuzzLoad, loadStatuses, runPackage } from '../support/host-runtime.ts';

const q8 = (scale: number, zeroPoint = 0) => ({ scale, zeroPoint });

function conv(kind: 's8' | 's16' | 'f32', depthwise: boolean): Model {
  const b = new ModelBuilder();
  const t = kind === 's8' ? 'INT8' : kind === 's16' ? 'INT16' : 'FLOAT32';
  const q = kind !== 'f32';
  const x = b.addInput({
    type: t,
    shape: [1, 5, 6, 2],
    quant: q ? q8(0.05, kind === 's8' ? 3 : 0) : null,
  });
  const co = 4;
  const fShape = depthwise ? [1, 3, 3, co] : [co, 3, 3, 2];
  const f = b.addTensor({
    type: q ? 'INT8' : 'FLOAT32',
    shape: fShape,
    quant: q
      ? {
          scale: [0.01, 0.02, 0.03, 0.04],
          zeroPoint: [0, 0, 0, 0],
          quantizedDimension: depthwise ? 3 : 0,
        }
      : null,
    data: Array.from({ length: 36 * (depthwise ? 1 : 2) }, (_, i) => (i % 11) - 5),
  });
  const bias = b.addTensor({
    type: kind === 's8' ? 'INT32' : kind === 's16' ? 'INT64' : 'FLOAT32',
    shape: [co],
    data: [10, -20, 30, -40],
  });
  const o = b.addOutput({
    type: t,
    shape: [1, 3, 3, co],
    quant: q ? q8(0.1, kind === 's8' ? -2 : 0) : null,
  });
  b.addOperator(depthwise ? 'DEPTHWISE_CONV_2D' : 'CONV_2D', [x, f, bias], [o], {
    padding: 'SAME',
    strideW: 2,
    strideH: 2,
    fusedActivationFunction: 'RELU',
  });
  return b.build();
}

function fc(kind: 's8' | 's16' | 'f32'): Model {
  const b = new ModelBuilder();
  const t = kind === 's8' ? 'INT8' : kind === 's16' ? 'INT16' : 'FLOAT32';
  const q = kind !== 'f32';
  const x = b.addInput({ type: t, shape: [2, 3, 4], quant: q ? q8(0.05) : null });
  const w = b.addTensor({
    type: q ? 'INT8' : 'FLOAT32',
    shape: [5, 4],
    quant: q ? q8(0.02) : null,
    data: Array.from({ length: 20 }, (_, i) => i - 10),
  });
  const bias = b.addTensor({
    type: kind === 's8' ? 'INT32' : kind === 's16' ? 'INT64' : 'FLOAT32',
    shape: [5],
    data: [1, 2, 3, 4, 5],
  });
  const o = b.addOutput({ type: t, shape: [2, 3, 5], quant: q ? q8(0.1) : null });
  b.addOperator('FULLY_CONNECTED', [x, w, bias], [o], { keepNumDims: true });
  return b.build();
}

function pool(kind: 's8' | 'f32', average: boolean): Model {
  const b = new ModelBuilder();
  const t = kind === 's8' ? 'INT8' : 'FLOAT32';
  const x = b.addInput({ type: t, shape: [1, 5, 5, 3], quant: kind === 's8' ? q8(0.05, 1) : null });
  const o = b.addOutput({
    type: t,
    shape: [1, 3, 3, 3],
    quant: kind === 's8' ? q8(0.05, 1) : null,
  });
  b.addOperator(average ? 'AVERAGE_POOL_2D' : 'MAX_POOL_2D', [x], [o], {
    padding: 'SAME',
    strideW: 2,
    strideH: 2,
    filterWidth: 3,
    filterHeight: 3,
  });
  return b.build();
}

function tconv(): Model {
  const b = new ModelBuilder();
  const s = b.addInput({ type: 'INT32', shape: [4] });
  const w = b.addTensor({
    type: 'INT8',
    shape: [3, 3, 3, 2],
    quant: { scale: [0.01, 0.02, 0.03], zeroPoint: [0, 0, 0], quantizedDimension: 0 },
    data: Array.from({ length: 54 }, (_, i) => (i % 7) - 3),
  });
  const x = b.addInput({ type: 'INT16', shape: [1, 3, 4, 2], quant: q8(0.001) });
  const bias = b.addTensor({ type: 'INT64', shape: [3], data: [100, -100, 7] });
  const o = b.addOutput({ type: 'INT16', shape: [1, 6, 8, 3], quant: q8(0.002) });
  b.addOperator('TRANSPOSE_CONV', [s, w, x, bias], [o], {
    padding: 'SAME',
    strideW: 2,
    strideH: 2,
  });
  return b.build();
}

const MODELS: [string, Model][] = [
  ['CONV_2D_S8', conv('s8', false)],
  ['CONV_2D_S16', conv('s16', false)],
  ['CONV_2D_F32', conv('f32', false)],
  ['DEPTHWISE_CONV_2D_S8', conv('s8', true)],
  ['DEPTHWISE_CONV_2D_F32', conv('f32', true)],
  ['FULLY_CONNECTED_S8', fc('s8')],
  ['FULLY_CONNECTED_S16', fc('s16')],
  ['FULLY_CONNECTED_F32', fc('f32')],
  ['AVERAGE_POOL_2D_S8', pool('s8', true)],
  ['AVERAGE_POOL_2D_F32', pool('f32', true)],
  ['MAX_POOL_2D_S8', pool('s8', false)],
  ['MAX_POOL_2D_F32', pool('f32', false)],
  ['TRANSPOSE_CONV_S16', tconv()],
];

function build(model: Model): PackageBuild {
  const plan = planMemory(activationLifetimes(model, 0), model.subgraphs[0]?.operators.length ?? 0);
  const r = buildPackage(model, plan);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const BUILT = MODELS.map(([name, m]) => [name, build(m)] as const);

const withOp = (
  c: PackageContents,
  edit: (op: PackageContents['ops'][number]) => void,
): Uint8Array => {
  const copy = structuredClone(c);
  edit(copy.ops[0] as PackageContents['ops'][number]);
  return writePackage(copy);
};

/** Input bytes of one sample (zeros; the output-shape input gets its shape). */
function zeroInputs(c: PackageContents): Uint8Array {
  const n = c.inputs.reduce((s, t) => s + (c.tensors[t]?.bytes ?? 0), 0);
  return new Uint8Array(n);
}

describe('conv/fc/pool kernels reject hostile params', () => {
  it('every kernel loads and runs its valid package', () => {
    for (const [name, b] of BUILT) {
      expect(b.layers[0]?.kernel).toBe(name);
      const r = runPackage(b.bytes, zeroInputs(b.contents), { sanitize: true });
      expect(r.ok, name).toBe(true);
    }
  });

  it('targeted rewrites are rejected with TD_ERR_BAD_PARAMS', () => {
    const bad: Uint8Array[] = [];
    const labels: string[] = [];
    for (const [name, b] of BUILT) {
      const c = b.contents;
      const add = (label: string, pkg: Uint8Array): void => {
        bad.push(pkg);
        labels.push(`${name}: ${label}`);
      };
      add(
        'one param word missing',
        withOp(c, (op) => {
          op.params.pop();
          op.arrays = op.arrays.filter((a) => a.word < op.params.length);
        }),
      );
      add(
        'one param word too many',
        withOp(c, (op) => op.params.push(0)),
      );
      if (!name.startsWith('FULLY'))
        add(
          'stride 0',
          withOp(c, (op) => (op.params[0] = 0)),
        );
      if (name === 'FULLY_CONNECTED_S8' || name === 'FULLY_CONNECTED_S16') {
        add(
          'act_min beyond int16',
          withOp(c, (op) => (op.params[3] = 40000)),
        );
      }
      if (name.startsWith('FULLY_CONNECTED_F32')) {
        add(
          'act_min > act_max',
          withOp(c, (op) => ([op.params[0], op.params[1]] = [0x40000000, 0x3f800000])),
        );
      }
      if (/^(CONV|DEPTHWISE)_.*_S(8|16)$/.test(name)) {
        add(
          'n_mult = channels + 1',
          withOp(c, (op) => (op.params[10] = 5)),
        );
        add(
          'n_mult = 0',
          withOp(c, (op) => (op.params[10] = 0)),
        );
        add(
          'act_min > act_max',
          withOp(c, (op) => ([op.params[8], op.params[9]] = [10, 5])),
        );
        add(
          'pad beyond 2^15',
          withOp(c, (op) => (op.params[4] = 0x10000)),
        );
        add(
          'dilation 2^31-1',
          withOp(c, (op) => (op.params[2] = 0x7fffffff)),
        );
        add(
          'acc64 flipped against the bias type',
          withOp(c, (op) => (op.params[13] = name.endsWith('S16') ? 0 : 1)),
        );
        add(
          'multiplier array offset outside the constants',
          withOp(c, (op) => (op.params[11] = 0xfffffff0)),
        );
      }
      if (name === 'TRANSPOSE_CONV_S16') {
        add(
          'n_mult = 2',
          withOp(c, (op) => (op.params[6] = 2)),
        );
        add(
          'act range beyond int16',
          withOp(c, (op) => (op.params[5] = 40000)),
        );
      }
      if (name === 'FULLY_CONNECTED_S8' || name === 'FULLY_CONNECTED_S16') {
        add(
          'n_mult = units + 1',
          withOp(c, (op) => (op.params[5] = 6)),
        );
        add(
          'acc64 = 7',
          withOp(c, (op) => (op.params[8] = 7)),
        );
      }
      if (name.startsWith('AVERAGE_POOL') || name.startsWith('MAX_POOL')) {
        add(
          'window 0',
          withOp(c, (op) => (op.params[2] = 0)),
        );
        add(
          'window 2^20',
          withOp(c, (op) => (op.params[3] = 1 << 20)),
        );
      }
      if (!name.startsWith('AVERAGE') && !name.startsWith('MAX')) {
        add(
          'bias dropped to a missing input',
          withOp(c, (op) => (op.inputs[op.inputs.length - 1] = op.inputs[0] as number)),
        );
      }
    }
    const statuses = loadStatuses(bad, true);
    const unexpected = statuses
      .map((s, i) => [labels[i], s] as const)
      .filter(
        ([, s]) => !['TD_ERR_BAD_PARAMS', 'TD_ERR_OUT_OF_BOUNDS', 'TD_ERR_ALIGNMENT'].includes(s),
      );
    expect(unexpected).toEqual([]);
    // The precise rejection comes from the kernel for all but the
    // array-offset rewrites, which the loader's own bounds check sees first.
    const notKernel = statuses.filter(
      (s, i) => s !== 'TD_ERR_BAD_PARAMS' && !labels[i]?.includes('offset'),
    );
    expect(notKernel).toEqual([]);
  });

  it('rewritten tensor shapes are rejected', () => {
    const bad: Uint8Array[] = [];
    for (const [, b] of BUILT) {
      const c = structuredClone(b.contents);
      const out = c.tensors[c.ops[0]?.outputs[0] as number];
      if (!out) continue;
      // Same bytes, different channel split: inconsistent with the weights.
      const s = out.shape;
      const last = s[s.length - 1] as number;
      if (last % 2 === 0 && s.length >= 2) {
        s[s.length - 1] = last / 2;
        s[s.length - 2] = (s[s.length - 2] as number) * 2;
        bad.push(writePackage(c));
      }
    }
    expect(bad.length).toBeGreaterThan(3);
    const statuses = loadStatuses(bad, true);
    expect(statuses.every((s) => s === 'TD_ERR_BAD_PARAMS')).toBe(true);
  });

  it('random mutations never trip the sanitizers', () => {
    const r = fuzzLoad(
      BUILT.map(([, b]) => b.bytes),
      20240611,
      1200,
    );
    if (!r.ok) throw new Error(r.stderr);
    expect(r.report.cases).toBe(1200);
    expect(r.report.invoked).toBeGreaterThan(0);
  });
});
