// A MobileNetV2-shaped int8 model built from scratch (untrained, zero
// weights): a large model for the benchmark when the shared models are
// absent, and a realistic graph (residual ADDs, long skips) for planner tests.
import { ModelBuilder } from '../../src/core/tflite/build.ts';
import type { Model } from '../../src/core/tflite/model.ts';

export interface SyntheticOptions {
  /** Input height and width (224 in the real network). */
  resolution: number;
  /** Channel width multiplier (1 in the real network). */
  width: number;
  classes: number;
}

// MobileNetV2 stages: expansion t, output channels c, repeats n, first stride s.
const STAGES: ReadonlyArray<readonly [number, number, number, number]> = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

const q = { scale: 0.05, zeroPoint: 0 };

export function syntheticMobileNet(
  opts: SyntheticOptions = { resolution: 224, width: 1, classes: 1000 },
): Model {
  const b = new ModelBuilder('synthetic MobileNetV2');
  const ch = (c: number): number => Math.max(8, Math.round((c * opts.width) / 8) * 8);
  let h = opts.resolution;
  let c = 3;
  let x = b.addInput({ name: 'input', type: 'INT8', shape: [1, h, h, c], quant: q });
  let n = 0;
  const act = (hw: number, channels: number): number =>
    b.addTensor({ name: `act${n++}`, type: 'INT8', shape: [1, hw, hw, channels], quant: q });
  const conv = (
    input: number,
    out: number,
    k: number,
    stride: number,
    relu: boolean,
    dw = false,
  ): number => {
    const outH = Math.ceil(h / stride);
    const filter = dw ? [1, k, k, c] : [out, k, k, c];
    const w = b.addTensor({
      name: `w${n}`,
      type: 'INT8',
      shape: filter,
      data: new Uint8Array(filter.reduce((p, d) => p * d, 1)),
      quant: q,
    });
    const bias = b.addTensor({
      name: `b${n}`,
      type: 'INT32',
      shape: [out],
      data: new Int32Array(out),
    });
    const y = act(outH, out);
    b.addOperator(dw ? 'DEPTHWISE_CONV_2D' : 'CONV_2D', [input, w, bias], [y], {
      padding: 'SAME',
      strideH: stride,
      strideW: stride,
      fusedActivationFunction: relu ? 'RELU6' : 'NONE',
      ...(dw ? { depthMultiplier: 1 } : {}),
    });
    h = outH;
    c = out;
    return y;
  };
  x = conv(x, ch(32), 3, 2, true);
  for (const [t, cOut, repeats, firstStride] of STAGES) {
    for (let r = 0; r < repeats; r++) {
      const stride = r === 0 ? firstStride : 1;
      const blockIn = x;
      const cIn = c;
      let y = t === 1 ? x : conv(x, cIn * t, 1, 1, true);
      y = conv(y, c, 3, stride, true, true);
      y = conv(y, ch(cOut), 1, 1, false);
      if (stride === 1 && cIn === c) {
        const sum = act(h, c);
        b.addOperator('ADD', [blockIn, y], [sum]);
        y = sum;
      }
      x = y;
    }
  }
  x = conv(x, ch(1280), 1, 1, true);
  const pooled = act(1, c);
  b.addOperator('AVERAGE_POOL_2D', [x], [pooled], {
    padding: 'VALID',
    strideH: 1,
    strideW: 1,
    filterHeight: h,
    filterWidth: h,
  });
  const shape = b.addTensor({ name: 'shape', type: 'INT32', shape: [2], data: [1, c] });
  const flat = b.addTensor({ name: 'flat', type: 'INT8', shape: [1, c], quant: q });
  b.addOperator('RESHAPE', [pooled, shape], [flat]);
  const w = b.addTensor({
    name: 'fc/w',
    type: 'INT8',
    shape: [opts.classes, c],
    data: new Uint8Array(opts.classes * c),
    quant: q,
  });
  const logits = b.addTensor({ name: 'logits', type: 'INT8', shape: [1, opts.classes], quant: q });
  b.addOperator('FULLY_CONNECTED', [flat, w], [logits]);
  const probs = b.addOutput({ name: 'probs', type: 'INT8', shape: [1, opts.classes], quant: q });
  b.addOperator('SOFTMAX', [logits], [probs], { beta: 1 });
  return b.build();
}
