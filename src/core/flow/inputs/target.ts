// What an input file must fill: one input tensor's type, shape and
// quantization, and the conversions every parser shares.
import type { Model } from '../../tflite/model.ts';
import type { Quant } from '../../validate/metrics.ts';
import { TYPE_RANGE } from '../../validate/inputs.ts';
import {
  allocTensorData,
  isNumericType,
  type NumericType,
  type TensorData,
} from '../../validate/tensor-data.ts';
import { quantOf } from '../judge-outputs.ts';
import { InputFileError } from './errors.ts';

export interface InputTarget {
  name: string;
  type: NumericType;
  shape: number[];
  /** Per-tensor quantization of an integer tensor; null for float or unquantized. */
  quant: Quant | null;
}

export const elementsOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The targets of a model's inputs, in subgraph order (null where not numeric). */
export function inputTargets(model: Model): (InputTarget | null)[] {
  const sg = model.subgraphs[0];
  return (sg?.inputs ?? []).map((t) => {
    const tensor = sg?.tensors[t];
    if (!tensor || !isNumericType(tensor.type)) return null;
    return {
      name: tensor.name,
      type: tensor.type,
      shape: [...tensor.shape],
      quant: quantOf(tensor),
    };
  });
}

/** The full range of an integer type (TYPE_RANGE narrows INT32 for generation). */
export function integerRange(type: NumericType): [number, number] {
  return type === 'INT32' ? [-2147483648, 2147483647] : TYPE_RANGE[type];
}

/** round(x / scale) + zero point, clamped to the type (TFLite's QUANTIZE rounding: half away from zero). */
export function quantize(x: number, quant: Quant, type: NumericType): number {
  const [lo, hi] = integerRange(type);
  const q = Math.sign(x / quant.scale) * Math.round(Math.abs(x / quant.scale)) + quant.zeroPoint;
  return Math.min(hi, Math.max(lo, q));
}

/**
 * Splits `values` into input sets of the target's size: the count must be
 * a whole multiple of one tensor. `how(i)` gives element i in the target's type.
 */
export function toSets(
  target: InputTarget,
  count: number,
  what: string,
  value: (i: number) => number,
): TensorData[] {
  const per = elementsOf(target.shape);
  if (count === 0 || per === 0 || count % per !== 0) {
    throw new InputFileError(
      'SIZE_MISMATCH',
      `${what} holds ${count} value(s); input '${target.name}' takes ${per} ` +
        `(shape [${target.shape.join(', ')}]), or a whole multiple for several input sets`,
    );
  }
  const sets: TensorData[] = [];
  for (let s = 0; s < count / per; s++) {
    const t = allocTensorData(target.type, per);
    for (let i = 0; i < per; i++) t[i] = value(s * per + i);
    sets.push(t);
  }
  return sets;
}

/** Checks an integer value fits the target's type (exact values only: no silent wrap). */
export function checkInteger(v: number, target: InputTarget, what: string): number {
  const [lo, hi] = integerRange(target.type);
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new InputFileError(
      'INCOMPATIBLE',
      `${what}: value ${v} does not fit input '${target.name}' (${target.type}, ${lo}..${hi})`,
    );
  }
  return v;
}

/**
 * One value into the target's type. `real` values (floats from a file) are
 * quantized with the target's scale and zero point when it is a quantized
 * integer tensor; integer values must fit the type as they are.
 */
export function converter(target: InputTarget, real: boolean, what: string): (v: number) => number {
  if (target.type === 'FLOAT32') return (v) => v;
  const quant = target.quant;
  if (real && quant) {
    return (v) => {
      if (!Number.isFinite(v)) {
        throw new InputFileError('INCOMPATIBLE', `${what}: ${v} cannot be quantized`);
      }
      return quantize(v, quant, target.type);
    };
  }
  return (v) => checkInteger(v, target, what);
}
