// Small models built from scratch with ModelBuilder: round-trip and fuzz
// seeds when the third-party models are absent, and examples for other tests.
// Weights are deterministic pseudo-random bytes (not trained).
import { ModelBuilder } from './build.ts';
import type { Model } from './model.ts';

function bytes(n: number, seed: number): Int8Array {
  const out = new Int8Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s & 0xff;
  }
  return out;
}

const q = (scale: number, zeroPoint = 0) => ({ scale, zeroPoint });

/** int8 CNN: CONV_2D -> DEPTHWISE_CONV_2D -> AVERAGE_POOL_2D -> RESHAPE -> FULLY_CONNECTED -> SOFTMAX. */
export function sampleConvNet(): Model {
  const b = new ModelBuilder('sample conv net');
  const input = b.addInput({ name: 'input', type: 'INT8', shape: [1, 8, 8, 1], quant: q(0.5, -1) });
  const w1 = b.addTensor({
    name: 'conv/w',
    type: 'INT8',
    shape: [4, 3, 3, 1],
    data: bytes(36, 1),
    quant: { scale: [0.01, 0.02, 0.03, 0.04], zeroPoint: [0, 0, 0, 0] },
  });
  const b1 = b.addTensor({ name: 'conv/b', type: 'INT32', shape: [4], data: [1, -2, 3, -4] });
  const c1 = b.addTensor({ name: 'conv/out', type: 'INT8', shape: [1, 8, 8, 4], quant: q(0.1, 3) });
  b.addOperator('CONV_2D', [input, w1, b1], [c1], {
    padding: 'SAME',
    strideW: 1,
    strideH: 1,
    fusedActivationFunction: 'RELU6',
  });
  const w2 = b.addTensor({
    name: 'dw/w',
    type: 'INT8',
    shape: [1, 3, 3, 4],
    data: bytes(36, 2),
    quant: q(0.02),
  });
  const c2 = b.addTensor({ name: 'dw/out', type: 'INT8', shape: [1, 4, 4, 4], quant: q(0.1, 3) });
  b.addOperator('DEPTHWISE_CONV_2D', [c1, w2, -1], [c2], {
    padding: 'SAME',
    strideW: 2,
    strideH: 2,
    depthMultiplier: 1,
  });
  const p = b.addTensor({ name: 'pool', type: 'INT8', shape: [1, 1, 1, 4], quant: q(0.1, 3) });
  b.addOperator('AVERAGE_POOL_2D', [c2], [p], {
    padding: 'VALID',
    strideW: 4,
    strideH: 4,
    filterWidth: 4,
    filterHeight: 4,
  });
  const shape = b.addTensor({ name: 'shape', type: 'INT32', shape: [2], data: [1, 4] });
  const flat = b.addTensor({ name: 'flat', type: 'INT8', shape: [1, 4], quant: q(0.1, 3) });
  b.addOperator('RESHAPE', [p, shape], [flat], { newShape: [1, 4] });
  const w3 = b.addTensor({
    name: 'fc/w',
    type: 'INT8',
    shape: [3, 4],
    data: bytes(12, 3),
    quant: q(0.03),
  });
  const logits = b.addTensor({ name: 'logits', type: 'INT8', shape: [1, 3], quant: q(0.2, -5) });
  b.addOperator('FULLY_CONNECTED', [flat, w3, -1], [logits]);
  const out = b.addOutput({ name: 'probs', type: 'INT8', shape: [1, 3], quant: q(1 / 256, -128) });
  b.addOperator('SOFTMAX', [logits], [out], { beta: 1 });
  return b.build();
}

/** float32 model touching many option tables, a custom op and metadata. */
export function sampleKitchenSink(): Model {
  const b = new ModelBuilder('kitchen sink');
  const f = (name: string, shape: number[]) => b.addTensor({ name, type: 'FLOAT32', shape });
  const x = b.addInput({
    name: 'x',
    type: 'FLOAT32',
    shape: [1, 4, 4, 2],
    shapeSignature: [-1, 4, 4, 2],
  });
  const y = b.addInput({ name: 'y', type: 'FLOAT32', shape: [1, 4, 4, 2] });
  const a = f('add', [1, 4, 4, 2]);
  b.addOperator('ADD', [x, y], [a], { fusedActivationFunction: 'RELU' });
  const s = f('sub', [1, 4, 4, 2]);
  b.addOperator('SUB', [a, y], [s], { potScaleInt16: false });
  const m = f('mul', [1, 4, 4, 2]);
  b.addOperator('MUL', [s, x], [m], { fusedActivationFunction: 'TANH' });
  const l = f('leaky', [1, 4, 4, 2]);
  b.addOperator('LEAKY_RELU', [m], [l], { alpha: 0.1 });
  const hs = f('hswish', [1, 4, 4, 2]);
  b.addOperator('HARD_SWISH', [l], [hs]);
  const pads = b.addTensor({
    name: 'pads',
    type: 'INT32',
    shape: [4, 2],
    data: [0, 0, 1, 1, 1, 1, 0, 0],
  });
  const padded = f('pad', [1, 6, 6, 2]);
  b.addOperator('PAD', [hs, pads], [padded]);
  const axes = b.addTensor({ name: 'axes', type: 'INT32', shape: [2], data: [1, 2] });
  const mean = f('mean', [1, 1, 1, 2]);
  b.addOperator('MEAN', [padded, axes], [mean], { keepDims: true });
  const perm = b.addTensor({ name: 'perm', type: 'INT32', shape: [4], data: [0, 3, 1, 2] });
  const tr = f('transpose', [1, 2, 1, 1]);
  b.addOperator('TRANSPOSE', [mean, perm], [tr]);
  const sq = f('squeeze', [2]);
  b.addOperator('SQUEEZE', [tr], [sq], { squeezeDims: [0, 2, 3] });
  const begin = b.addTensor({ name: 'begin', type: 'INT32', shape: [1], data: [0] });
  const end = b.addTensor({ name: 'end', type: 'INT32', shape: [1], data: [1] });
  const strides = b.addTensor({ name: 'strides', type: 'INT32', shape: [1], data: [1] });
  const ss = f('slice', [1]);
  b.addOperator('STRIDED_SLICE', [sq, begin, end, strides], [ss], {
    beginMask: 1,
    shrinkAxisMask: 0,
  });
  const cat = f('concat', [3]);
  b.addOperator('CONCATENATION', [sq, ss], [cat], { axis: 0 });
  const cust = f('custom', [3]);
  b.addOperator(
    'CUSTOM:TinyDeployTest',
    [cat],
    [cust],
    {},
    { customOptions: new Uint8Array([1, 2, 3, 4, 5]) },
  );
  const maxed = f('max', [3]);
  b.addOperator('MAXIMUM', [cust, cat], [maxed]);
  const cast = b.addOutput({ name: 'cast', type: 'INT32', shape: [3] });
  b.addOperator('CAST', [maxed], [cast], { inDataType: 'FLOAT32', outDataType: 'INT32' });
  const model = b.build();
  const meta = model.buffers.push({ data: new TextEncoder().encode('1.14.0') }) - 1;
  model.metadata.push({ name: 'min_runtime_version', buffer: meta });
  model.signatureDefs.push({
    signatureKey: 'serving_default',
    subgraphIndex: 0,
    inputs: [
      { name: 'x', tensorIndex: x },
      { name: 'y', tensorIndex: y },
    ],
    outputs: [{ name: 'cast', tensorIndex: cast }],
  });
  return model;
}

/** An op whose options live in the second union, and an op code above 127. */
export function sampleHighOpcodes(): Model {
  const b = new ModelBuilder('high opcodes');
  const x = b.addInput({ name: 'x', type: 'FLOAT32', shape: [2, 3] });
  const y = b.addTensor({ name: 'y', type: 'FLOAT32', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] });
  const c = b.addTensor({ name: 'concat', type: 'FLOAT32', shape: [4, 3] });
  b.addOperator('STABLEHLO_CONCATENATE', [x, y], [c], { dimension: 0 });
  const g = b.addOutput({ name: 'gelu', type: 'FLOAT32', shape: [4, 3] });
  b.addOperator('GELU', [c], [g], { approximate: true });
  return b.build();
}

export function sampleModels(): Array<[string, Model]> {
  return [
    ['conv net', sampleConvNet()],
    ['kitchen sink', sampleKitchenSink()],
    ['high opcodes', sampleHighOpcodes()],
  ];
}
