// A sequential int8 network on top of ModelBuilder: each call appends one
// layer after the current activation, with the weight layouts, quantization
// parameters and options the TFLite converter would write. Shared by the
// int8 example models.
import { ModelBuilder, type QuantSpec } from '../tflite/build.ts';
import type { Model } from '../tflite/model.ts';
import { quantizedBias, quantizedWeights, rng } from './synth.ts';

export type Act = 'NONE' | 'RELU' | 'RELU6';
export type Pad = 'SAME' | 'VALID';

export interface ActQuant {
  scale: number;
  zeroPoint: number;
}

/** Output quantization for an activation: ReLU ranges start at zero (zp -128). */
export function outputQuant(act: Act, range: number): ActQuant {
  if (act === 'RELU6') return { scale: 6 / 255, zeroPoint: -128 };
  if (act === 'RELU') return { scale: range / 255, zeroPoint: -128 };
  return { scale: (2 * range) / 255, zeroPoint: 0 };
}

const outSize = (size: number, kernel: number, stride: number, pad: Pad): number =>
  pad === 'SAME' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;

export class Int8Net {
  readonly b: ModelBuilder;
  private readonly random: () => number;
  private current: number;
  private shape: number[];
  private quant: ActQuant;

  /** Starts from an existing int8 tensor (a graph input or a front end's output). */
  constructor(b: ModelBuilder, seed: number, tensor: number, shape: number[], quant: ActQuant) {
    this.b = b;
    this.random = rng(seed);
    this.current = tensor;
    this.shape = [...shape];
    this.quant = quant;
  }

  private q(a: ActQuant): QuantSpec {
    return { scale: a.scale, zeroPoint: a.zeroPoint };
  }

  private activation(name: string, shape: number[], quant: ActQuant): number {
    return this.b.addTensor({ name, type: 'INT8', shape, quant: this.q(quant) });
  }

  private advance(tensor: number, shape: number[], quant: ActQuant): this {
    this.current = tensor;
    this.shape = shape;
    this.quant = quant;
    return this;
  }

  conv(
    name: string,
    filters: number,
    [kh, kw]: [number, number],
    [sh, sw]: [number, number],
    pad: Pad,
    act: Act,
    range = 6,
  ): this {
    const [n, h, w, c] = this.shape as [number, number, number, number];
    const wq = quantizedWeights(
      this.random,
      filters * kh * kw * c,
      filters,
      (i) => Math.floor(i / (kh * kw * c)),
      kh * kw * c,
    );
    const bq = quantizedBias(this.random, this.quant.scale, wq.scales);
    const filter = this.b.addTensor({
      name: `${name}/weights`,
      type: 'INT8',
      shape: [filters, kh, kw, c],
      quant: { scale: wq.scales, zeroPoint: wq.scales.map(() => 0), quantizedDimension: 0 },
      data: wq.values,
    });
    const bias = this.b.addTensor({
      name: `${name}/bias`,
      type: 'INT32',
      shape: [filters],
      quant: { scale: bq.scales, zeroPoint: bq.scales.map(() => 0), quantizedDimension: 0 },
      data: bq.values,
    });
    const shape = [n, outSize(h, kh, sh, pad), outSize(w, kw, sw, pad), filters];
    const quant = outputQuant(act, range);
    const out = this.activation(
      `${name}/${act === 'NONE' ? 'BiasAdd' : act === 'RELU6' ? 'Relu6' : 'Relu'}`,
      shape,
      quant,
    );
    this.b.addOperator('CONV_2D', [this.current, filter, bias], [out], {
      padding: pad,
      strideH: sh,
      strideW: sw,
      fusedActivationFunction: act,
    });
    return this.advance(out, shape, quant);
  }

  depthwise(
    name: string,
    [kh, kw]: [number, number],
    [sh, sw]: [number, number],
    pad: Pad,
    act: Act,
    range = 6,
  ): this {
    const [n, h, w, c] = this.shape as [number, number, number, number];
    const wq = quantizedWeights(this.random, kh * kw * c, c, (i) => i % c, kh * kw);
    const bq = quantizedBias(this.random, this.quant.scale, wq.scales);
    const filter = this.b.addTensor({
      name: `${name}/depthwise_weights`,
      type: 'INT8',
      shape: [1, kh, kw, c],
      quant: { scale: wq.scales, zeroPoint: wq.scales.map(() => 0), quantizedDimension: 3 },
      data: wq.values,
    });
    const bias = this.b.addTensor({
      name: `${name}/bias`,
      type: 'INT32',
      shape: [c],
      quant: { scale: bq.scales, zeroPoint: bq.scales.map(() => 0), quantizedDimension: 0 },
      data: bq.values,
    });
    const shape = [n, outSize(h, kh, sh, pad), outSize(w, kw, sw, pad), c];
    const quant = outputQuant(act, range);
    const out = this.activation(
      `${name}/${act === 'RELU6' ? 'Relu6' : act === 'RELU' ? 'Relu' : 'BiasAdd'}`,
      shape,
      quant,
    );
    this.b.addOperator('DEPTHWISE_CONV_2D', [this.current, filter, bias], [out], {
      padding: pad,
      strideH: sh,
      strideW: sw,
      depthMultiplier: 1,
      fusedActivationFunction: act,
    });
    return this.advance(out, shape, quant);
  }

  /** Global average pool over the spatial dims (quantization passes through). */
  averagePool(name: string): this {
    const [n, h, w, c] = this.shape as [number, number, number, number];
    const shape = [n, 1, 1, c];
    const out = this.activation(`${name}/AvgPool`, shape, this.quant);
    this.b.addOperator('AVERAGE_POOL_2D', [this.current], [out], {
      padding: 'VALID',
      strideH: h,
      strideW: w,
      filterHeight: h,
      filterWidth: w,
    });
    return this.advance(out, shape, this.quant);
  }

  reshape(name: string, shape: number[]): this {
    const target = this.b.addTensor({
      name: `${name}/shape`,
      type: 'INT32',
      shape: [shape.length],
      data: shape,
    });
    const out = this.activation(`${name}/Reshape`, shape, this.quant);
    this.b.addOperator('RESHAPE', [this.current, target], [out], { newShape: shape });
    return this.advance(out, shape, this.quant);
  }

  fullyConnected(name: string, units: number, act: Act, range = 8): this {
    const inputs = this.shape[this.shape.length - 1] ?? 1;
    const wq = quantizedWeights(
      this.random,
      units * inputs,
      units,
      (i) => Math.floor(i / inputs),
      inputs,
    );
    const bq = quantizedBias(this.random, this.quant.scale, wq.scales);
    const weights = this.b.addTensor({
      name: `${name}/weights`,
      type: 'INT8',
      shape: [units, inputs],
      quant: { scale: wq.scales, zeroPoint: wq.scales.map(() => 0), quantizedDimension: 0 },
      data: wq.values,
    });
    const bias = this.b.addTensor({
      name: `${name}/bias`,
      type: 'INT32',
      shape: [units],
      quant: { scale: bq.scales, zeroPoint: bq.scales.map(() => 0), quantizedDimension: 0 },
      data: bq.values,
    });
    const shape = [...this.shape.slice(0, -1), units];
    const quant = outputQuant(act, range);
    const out = this.activation(`${name}/MatMul`, shape, quant);
    this.b.addOperator('FULLY_CONNECTED', [this.current, weights, bias], [out], {
      fusedActivationFunction: act,
    });
    return this.advance(out, shape, quant);
  }

  /** Softmax into the graph output, at the converter's fixed 1/256, -128. */
  softmax(name: string): this {
    const quant = { scale: 1 / 256, zeroPoint: -128 };
    const out = this.b.addOutput({
      name: `${name}/Softmax`,
      type: 'INT8',
      shape: this.shape,
      quant: this.q(quant),
    });
    this.b.addOperator('SOFTMAX', [this.current], [out], { beta: 1 });
    return this.advance(out, this.shape, quant);
  }

  build(): Model {
    return this.b.build();
  }
}
