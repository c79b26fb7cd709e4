import { launchReference } from '../src/node/reference-chromium.ts';
import { writeModel } from '../src/core/tflite/write.ts';
import { singleOp } from '../tests/support/reference/elementwise-models.ts';
import { runOnHost, decode } from '../tests/support/conv-run.ts';
import { referenceOp } from '../tests/support/reference/elementwise.ts';
import type { Model } from '../src/core/tflite/model.ts';

const ref = await launchReference();
async function probe(name: string, model: Model, inputs: Int8Array[] | Int16Array[]) {
  const r = await ref.run({ model: writeModel(model), inputSets: [inputs as never], profile: true });
  const tfl = Array.from((r as any).outputSets?.[0]?.[0] ?? (r as any).outputs?.[0]?.[0] ?? []);
  const host = runOnHost(model, inputs.map((a) => new Uint8Array(a.buffer)));
  const ours = host.ok ? decode('INT8', host.outputs[0]!) : [];
  const mine = referenceOp(model, 0, inputs.map((a) => Array.from(a)));
  let diffs = 0;
  const ex: string[] = [];
  tfl.forEach((v, i) => { if (v !== ours[i]) { diffs++; if (ex.length < 6) ex.push(`x=${Array.from(inputs.map(a=>a[i]))} tfl=${v} ours=${ours[i]} ref=${mine[i]}`); } });
  console.log(name, 'nodes', JSON.stringify((r as any).profile ?? (r as any).nodeTypes ?? Object.keys(r)), 'diffs', diffs, ex.join(' | '));
}
const all = Int8Array.from({ length: 256 }, (_, i) => i - 128);
const q = (scale: number, zeroPoint: number) => ({ scale, zeroPoint });
await probe('leaky', singleOp('LEAKY_RELU', [{ type: 'INT8', shape: [256], quant: q(0.05, 4) }], { type: 'INT8', shape: [256], quant: q(0.04, -30) }, { alpha: 0.2 }), [all]);
await probe('requant', singleOp('QUANTIZE', [{ type: 'INT8', shape: [256], quant: q(0.05, 3) }], { type: 'INT8', shape: [256], quant: q(0.03, -20) }), [all]);
const b = Int8Array.from({ length: 256 }, (_, i) => ((i * 73) % 256) - 128);
await probe('mul', singleOp('MUL', [{ type: 'INT8', shape: [256], quant: q(0.05, 4) }, { type: 'INT8', shape: [256], quant: q(0.03, -7) }], { type: 'INT8', shape: [256], quant: q(0.1, 2) }), [all, b]);
await probe('mean', singleOp('MEAN', [{ type: 'INT8', shape: [1, 4, 8, 8], quant: q(0.05, 4) }, { type: 'INT32', shape: [2], data: [1, 2] }], { type: 'INT8', shape: [1, 1, 1, 8], quant: q(0.03, -7) }, { keepDims: true }), [all]);
await probe('mean-generic', singleOp('MEAN', [{ type: 'INT8', shape: [4, 8, 8], quant: q(0.05, 4) }, { type: 'INT32', shape: [1], data: [1] }], { type: 'INT8', shape: [4, 8], quant: q(0.03, -7) }, { keepDims: false }), [all]);
await probe('mean-same', singleOp('MEAN', [{ type: 'INT8', shape: [4, 8, 8], quant: q(0.05, 4) }, { type: 'INT32', shape: [1], data: [1] }], { type: 'INT8', shape: [4, 8], quant: q(0.05, 4) }, { keepDims: false }), [all]);
await ref.close();
