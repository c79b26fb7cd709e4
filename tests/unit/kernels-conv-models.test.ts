// Real layers: every CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED and pool of
// the small shared models (person_detect, micro_speech, the MLPerf Tiny
// wake-word and anomaly models, hello_world) is cut out into a single-op
// model with its real weights, quantization and options, run on the host
// runtime with a random input, and compared with the TFLite reference model
// (tests/support/reference/conv.ts). Skipped when the shared models are absent.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { ModelBuilder } from '../../src/core/tflite/build.ts';
import type { Model, Tensor } from '../../src/core/tflite/model.ts';
import { opName } from '../../src/core/tflite/ops.ts';
import { readModel } from '../../src/core/tflite/read.ts';
import { decode, encode, rng, runOnHost } from '../support/conv-run.ts';
import { sharedModelsDir } from '../support/models.ts';
import {
  refConv,
  refFullyConnected,
  refPool,
  type Act,
  type Pad,
  type RefTensor,
} from '../support/reference/conv.ts';

const root = sharedModelsDir();
/** Model, and the stride through its layers (person_detect: every third, for time). */
const MODELS: [string, number][] = [
  ['tflm/person_detect.tflite', 3],
  ['tflm/micro_speech_quantized.tflite', 1],
  ['mlperf-tiny/str_ww_ref_model.tflite', 1],
  ['mlperf-tiny/ad01_int8.tflite', 1],
  ['mlperf-tiny/ad01_fp32.tflite', 1],
  ['tflm/hello_world_int8.tflite', 1],
  ['tflm/hello_world_float.tflite', 1],
];
const OPS = new Set([
  'CONV_2D',
  'DEPTHWISE_CONV_2D',
  'FULLY_CONNECTED',
  'AVERAGE_POOL_2D',
  'MAX_POOL_2D',
]);

function values(model: Model, t: Tensor): number[] {
  const data = model.buffers[t.buffer]?.data ?? new Uint8Array(0);
  if (t.type === 'INT64') return [...new BigInt64Array(data.slice().buffer)].map(Number);
  return decode(t.type, data);
}

const refTensor = (t: Tensor, v: number[]): RefTensor => ({
  shape: [...t.shape],
  values: v,
  scale: t.quantization?.scale,
  zeroPoint: t.quantization?.zeroPoint,
});

/** One operator of `model` as a model of its own; returns it and the reference result. */
function cutOut(
  model: Model,
  opIndex: number,
  seed: number,
): { model: Model; input: Uint8Array; want: number[]; outType: Tensor['type'] } {
  const sg = model.subgraphs[0];
  const op = sg?.operators[opIndex];
  if (!sg || !op) throw new Error('no such op');
  const name = opName(model, op.opcodeIndex);
  const b = new ModelBuilder();
  const r = rng(seed);
  const refs: (RefTensor | null)[] = [];
  let input: Uint8Array = new Uint8Array(0);
  const ins = op.inputs.map((ti) => {
    if (ti < 0) {
      refs.push(null);
      return -1;
    }
    const t = sg.tensors[ti] as Tensor;
    const q = t.quantization && t.quantization.scale.length > 0 ? t.quantization : null;
    const quant = q
      ? { scale: q.scale, zeroPoint: q.zeroPoint, quantizedDimension: q.quantizedDimension }
      : null;
    const data = model.buffers[t.buffer]?.data;
    if (t.buffer > 0 && data && data.length > 0) {
      refs.push(refTensor(t, values(model, t)));
      return b.addTensor({ type: t.type, shape: t.shape, quant, data });
    }
    const n = t.shape.reduce((a, c) => a * c, 1);
    const v = Array.from({ length: n }, () =>
      t.type === 'FLOAT32' ? Math.fround(r.float(-2, 2)) : r.int(-128, 127),
    );
    refs.push(refTensor(t, v));
    input = encode(t.type, v);
    return b.addInput({ type: t.type, shape: t.shape, quant });
  });
  const out = sg.tensors[op.outputs[0] as number] as Tensor;
  const oq = out.quantization && out.quantization.scale.length > 0 ? out.quantization : null;
  const oi = b.addOutput({
    type: out.type,
    shape: out.shape,
    quant: oq ? { scale: oq.scale, zeroPoint: oq.zeroPoint } : null,
  });
  const fields = op.builtinOptions?.fields ?? {};
  b.addOperator(name, ins, [oi], fields);

  const kind = out.type === 'FLOAT32' ? 'f32' : 's8';
  const ro = { shape: [...out.shape], scale: oq?.scale[0], zeroPoint: oq?.zeroPoint[0] ?? 0 };
  const act = (fields.fusedActivationFunction ?? 'NONE') as Act;
  const [x, f, bias] = refs as [RefTensor, RefTensor | null, RefTensor | null];
  let want: number[];
  if (name === 'CONV_2D' || name === 'DEPTHWISE_CONV_2D') {
    want = refConv(
      kind,
      x,
      f as RefTensor,
      bias ?? null,
      ro,
      {
        padding: fields.padding as Pad,
        strideW: fields.strideW as number,
        strideH: fields.strideH as number,
        dilationW: fields.dilationWFactor as number,
        dilationH: fields.dilationHFactor as number,
        activation: act,
      },
      name === 'DEPTHWISE_CONV_2D',
    );
  } else if (name === 'FULLY_CONNECTED') {
    want = refFullyConnected(kind, x, f as RefTensor, bias ?? null, ro, act);
  } else {
    want = refPool(kind, name === 'AVERAGE_POOL_2D', x, ro, {
      padding: fields.padding as Pad,
      strideW: fields.strideW as number,
      strideH: fields.strideH as number,
      filterW: fields.filterWidth as number,
      filterH: fields.filterHeight as number,
      activation: act,
    });
  }
  return { model: b.build(), input, want, outType: out.type };
}

describe.skipIf(!root)('real model layers match the TFLite reference model', () => {
  for (const [file, every] of MODELS) {
    it(file, () => {
      const read = readModel(new Uint8Array(readFileSync(join(root as string, file))));
      if (!read.ok) throw new Error(read.error.message);
      const model = read.value;
      const ops = (model.subgraphs[0]?.operators ?? [])
        .map((op, i) => [opName(model, op.opcodeIndex), i] as const)
        .filter(([name]) => OPS.has(name))
        .filter(
          ([name], k, all) => k % every === 0 || k === all.length - 1 || name.endsWith('POOL_2D'),
        );
      expect(ops.length).toBeGreaterThan(0);
      for (const [name, i] of ops) {
        const cut = cutOut(model, i, 500 + i);
        const res = runOnHost(cut.model, [cut.input]);
        if (!res.ok) throw new Error(`${file} op ${i} ${name}: ${res.error}`);
        const got = decode(cut.outType, res.outputs[0] as Uint8Array);
        const bad = got.findIndex((v, k) => v !== cut.want[k]);
        expect(
          bad === -1 ? null : `op ${i} ${name}: [${bad}] = ${got[bad]}, want ${cut.want[bad]}`,
        ).toBeNull();
        expect(got.length).toBe(cut.want.length);
      }
    });
  }
});
