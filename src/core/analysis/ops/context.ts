// What an op analyser sees, and what it reports back.
import type { Model, Operator, Subgraph, Tensor } from '../../tflite/model.ts';
import type { Activation, Padding } from '../types.ts';
import { constantInts } from '../tensors.ts';
import { optActivation } from '../options.ts';

export interface OpContext {
  model: Model;
  sg: Subgraph;
  op: Operator;
  /** Op name, e.g. 'CONV_2D'. */
  name: string;
}

export interface OpFacts {
  macs: number;
  filterShape: number[] | null;
  stride: [number, number] | null;
  dilation: [number, number] | null;
  padding: Padding | null;
  activation: Activation | null;
  warnings: string[];
}

export type OpAnalyser = (c: OpContext) => OpFacts;

export function baseFacts(c: OpContext): OpFacts {
  return {
    macs: 0,
    filterShape: null,
    stride: null,
    dilation: null,
    padding: null,
    activation: optActivation(c.op),
    warnings: [],
  };
}

/** Input tensor at a position; undefined when omitted (-1) or absent. */
export function input(c: OpContext, i: number): Tensor | undefined {
  const idx = c.op.inputs[i];
  return idx === undefined || idx < 0 ? undefined : c.sg.tensors[idx];
}

export function output(c: OpContext, i: number): Tensor | undefined {
  const idx = c.op.outputs[i];
  return idx === undefined || idx < 0 ? undefined : c.sg.tensors[idx];
}

export function inShape(c: OpContext, i: number): number[] | undefined {
  return input(c, i)?.shape;
}

export function outShape(c: OpContext, i: number): number[] | undefined {
  return output(c, i)?.shape;
}

/** A constant integer input (axis, paddings, perm, ...); null when computed at run time. */
export function constInput(c: OpContext, i: number): number[] | null {
  return constantInts(c.model, input(c, i));
}

/**
 * Checks that the listed positions hold tensors of the given ranks (null: any
 * rank). Returns false, with a warning, when the op cannot be checked further.
 */
export function expectShapes(
  c: OpContext,
  f: OpFacts,
  inputs: (number | null)[],
  outputs: (number | null)[],
): boolean {
  const check = (kind: 'input' | 'output', i: number, rank: number | null): boolean => {
    const t = kind === 'input' ? input(c, i) : output(c, i);
    if (!t) {
      f.warnings.push(`${c.name}: ${kind} ${i} is missing`);
      return false;
    }
    if (rank !== null && t.shape.length !== rank) {
      f.warnings.push(`${c.name}: ${kind} ${i} has rank ${t.shape.length}, expected ${rank}`);
      return false;
    }
    return true;
  };
  let good = true;
  inputs.forEach((r, i) => (good = check('input', i, r) && good));
  outputs.forEach((r, i) => (good = check('output', i, r) && good));
  return good;
}
