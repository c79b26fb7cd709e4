import { launchReference } from '../src/node/reference-chromium.ts';
import { writeModel } from '../src/core/tflite/write.ts';
import { singleOp } from '../tests/support/reference/elementwise-models.ts';
import { runOnHost, decode } from '../tests/support/conv-run.ts';
import type { Model, TensorType } from '../src/core/tflite/model.ts';
const ref = await launchReference();
let seed = 99;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
async function probe(name: string, model: Model, inputs: (Int8Array | Int16Array | Float32Array)[], outType: TensorType) {
  const r = await ref.run({ model: writeModel(model), inputSets: [inputs as never], profile: true });
  if (!r.ok) { console.log(name, r.error); return; }
  const tfl = Array.from(r.outputSets[0]![0]!);
  const host = runOnHost(model, inputs.map((a) => new Uint8Array(a.buffer)));
  if (!host.ok) { console.log(name, host.error); return; }
  const ours = decode(outType, host.outputs[0]!);
  const d = tfl.filter((v, i) => v !== ours[i]).length;
  console.log(name.padEnd(28), JSON.stringify(r.nodeTypes), 'diffs', d, 'of', tfl.length);
}
const q = (scale: number, zeroPoint: number) => ({ scale, zeroPoint });
const i8 = (n: number) => Int8Array.from({ length: n }, () => Math.floor(rand() * 256) - 128);
const i16 = (n: number) => Int16Array.from({ length: n }, () => Math.floor(rand() * 65536) - 32768);
const N = 2048;
for (let k = 0; k < 3; k++) {
  const s1 = 0.01 + rand() * 0.1, s2 = 0.01 + rand() * 0.1;
  await probe('requant i8->i8', singleOp('QUANTIZE', [{ type: 'INT8', shape: [N], quant: q(s1, 3) }], { type: 'INT8', shape: [N], quant: q(s2, -9) }), [i8(N)], 'INT8');
  await probe('requant i16->i8', singleOp('QUANTIZE', [{ type: 'INT16', shape: [N], quant: q(s1 / 200, 0) }], { type: 'INT8', shape: [N], quant: q(s2, -9) }), [i16(N)], 'INT8');
  await probe('requant i8->i16', singleOp('QUANTIZE', [{ type: 'INT8', shape: [N], quant: q(s1, 3) }], { type: 'INT16', shape: [N], quant: q(s2 / 300, 0) }), [i8(N)], 'INT16');
  await probe('mul i8', singleOp('MUL', [{ type: 'INT8', shape: [N], quant: q(s1, 3) }, { type: 'INT8', shape: [N], quant: q(s2, -3) }], { type: 'INT8', shape: [N], quant: q(s1 * s2 * 40, 5) }), [i8(N), i8(N)], 'INT8');
  await probe('leaky i8', singleOp('LEAKY_RELU', [{ type: 'INT8', shape: [N], quant: q(s1, 3) }], { type: 'INT8', shape: [N], quant: q(s2, -5) }, { alpha: 0.1 + rand() }), [i8(N)], 'INT8');
  await probe('add i8', singleOp('ADD', [{ type: 'INT8', shape: [N], quant: q(s1, 3) }, { type: 'INT8', shape: [N], quant: q(s2, -3) }], { type: 'INT8', shape: [N], quant: q(s1 + s2, 5) }), [i8(N), i8(N)], 'INT8');
  await probe('sub i8', singleOp('SUB', [{ type: 'INT8', shape: [N], quant: q(s1, 3) }, { type: 'INT8', shape: [N], quant: q(s2, -3) }], { type: 'INT8', shape: [N], quant: q(s1 + s2, 5) }), [i8(N), i8(N)], 'INT8');
  await probe('relu i8', singleOp('RELU', [{ type: 'INT8', shape: [N], quant: q(s1, 3) }], { type: 'INT8', shape: [N], quant: q(s2, -128) }), [i8(N)], 'INT8');
  await probe('relu6 i8', singleOp('RELU6', [{ type: 'INT8', shape: [N], quant: q(s1, 3) }], { type: 'INT8', shape: [N], quant: q(6 / 255, -128) }), [i8(N)], 'INT8');
  await probe('hswish i8', singleOp('HARD_SWISH', [{ type: 'INT8', shape: [N], quant: q(s1, 3) }], { type: 'INT8', shape: [N], quant: q(s2, -50) }), [i8(N)], 'INT8');
  await probe('tanh i8', singleOp('TANH', [{ type: 'INT8', shape: [N], quant: q(s1 * 3, 3) }], { type: 'INT8', shape: [N], quant: q(1 / 128, 0) }), [i8(N)], 'INT8');
  await probe('logistic i8', singleOp('LOGISTIC', [{ type: 'INT8', shape: [N], quant: q(s1 * 3, 3) }], { type: 'INT8', shape: [N], quant: q(1 / 256, -128) }), [i8(N)], 'INT8');
  await probe('softmax i8', singleOp('SOFTMAX', [{ type: 'INT8', shape: [16, 128], quant: q(s1, 3) }], { type: 'INT8', shape: [16, 128], quant: q(1 / 256, -128) }, { beta: 1 }), [i8(N)], 'INT8');
  await probe('concat requant', singleOp('CONCATENATION', [{ type: 'INT8', shape: [2, N / 2], quant: q(s1, 3) }, { type: 'INT8', shape: [2, N / 2], quant: q(s2, -3) }], { type: 'INT8', shape: [2, N], quant: q(s2, -3) }, { axis: 1 }), [i8(N), i8(N)], 'INT8');
  await probe('mean4d', singleOp('MEAN', [{ type: 'INT8', shape: [2, 8, 8, 32], quant: q(s1, 3) }, { type: 'INT32', shape: [2], data: [1, 2] }], { type: 'INT8', shape: [2, 1, 1, 32], quant: q(s2, -3) }, { keepDims: true }), [i8(N * 2)], 'INT8');
  await probe('leaky i16', singleOp('LEAKY_RELU', [{ type: 'INT16', shape: [N], quant: q(s1 / 300, 0) }], { type: 'INT16', shape: [N], quant: q(s2 / 300, 0) }, { alpha: 0.1 + rand() }), [i16(N)], 'INT16');
}
await ref.close();
