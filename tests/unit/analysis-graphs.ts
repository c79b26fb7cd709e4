// Test helpers for the analysis and planner tests: one-op models, seeded
// random numbers and random graphs built with the model builder.
import { ModelBuilder } from '../../src/core/tflite/build.ts';
import type { OptionFields, TensorSpec } from '../../src/core/tflite/build.ts';
import type { Model, TensorType } from '../../src/core/tflite/model.ts';

/** mulberry32: small, fast, good enough to drive test cases. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const randInt = (rand: () => number, lo: number, hi: number): number =>
  lo + Math.floor(rand() * (hi - lo + 1));

/** A run-time tensor. */
export const act = (shape: number[], type: TensorType = 'INT8'): TensorSpec => ({ type, shape });

/** A constant tensor with zeroed contents of the right size. */
export function weights(shape: number[], type: TensorType = 'INT8'): TensorSpec {
  const size = { INT8: 1, INT16: 2, INT32: 4, FLOAT32: 4 }[type as string] ?? 1;
  return {
    type,
    shape,
    data: new Uint8Array(
      Math.max(
        1,
        shape.reduce((p, d) => p * d, 1),
      ) * size,
    ),
  };
}

/** An int32 constant (axis, paddings, perm, begin/end, ...). */
export const ints = (values: number[], shape = [values.length]): TensorSpec => ({
  type: 'INT32',
  shape,
  data: values,
});

/**
 * A model with one operator. Inputs without data become graph inputs; null
 * marks an omitted optional input (-1).
 */
export function oneOp(
  op: string,
  inputs: Array<TensorSpec | null>,
  outputs: TensorSpec[],
  fields: OptionFields = {},
): Model {
  const b = new ModelBuilder(`one ${op}`);
  const ins = inputs.map((s) =>
    s === null ? -1 : s.data !== undefined || s.isVariable ? b.addTensor(s) : b.addInput(s),
  );
  const outs = outputs.map((s) => b.addOutput(s));
  b.addOperator(op, ins, outs, fields);
  return b.build();
}

const TYPES: TensorType[] = ['INT8', 'INT16', 'FLOAT32', 'UINT8', 'INT32'];

/**
 * A random DAG in execution order: each op reads 1-3 earlier run-time tensors
 * (and sometimes a constant or a variable state tensor) and writes 1-2 new
 * ones with unaligned sizes. Ops are custom (arbitrary arity); some outputs
 * are never read, some are graph outputs.
 */
export function randomModel(rand: () => number): Model {
  const b = new ModelBuilder('random graph');
  const tensor = (): TensorSpec => ({
    type: TYPES[randInt(rand, 0, TYPES.length - 1)] as TensorType,
    shape: [1, randInt(rand, 0, 300)],
  });
  const live: number[] = [];
  for (let i = randInt(rand, 1, 3); i > 0; i--) live.push(b.addInput(tensor()));
  const produced: number[] = [];
  const ops = randInt(rand, 1, 25);
  for (let k = 0; k < ops; k++) {
    const ins: number[] = [];
    for (let i = randInt(rand, 1, 3); i > 0; i--) {
      // Prefer recent tensors so lifetimes look like real graphs, with some long skips.
      const back = rand() < 0.8 ? randInt(rand, 0, 2) : randInt(rand, 0, live.length - 1);
      const t = live[Math.max(0, live.length - 1 - back)];
      if (t !== undefined && !ins.includes(t)) ins.push(t);
    }
    if (rand() < 0.3)
      ins.push(b.addTensor({ ...tensor(), data: new Uint8Array(randInt(rand, 1, 64)) }));
    if (rand() < 0.1) ins.push(b.addTensor({ ...tensor(), isVariable: true }));
    if (rand() < 0.1) ins.push(-1);
    const outs: number[] = [];
    for (let i = randInt(rand, 1, 2); i > 0; i--) outs.push(b.addTensor(tensor()));
    b.addOperator('CUSTOM:Random', ins, outs);
    live.push(...outs);
    produced.push(...outs);
  }
  const outputs = produced.filter(() => rand() < 0.15);
  const last = produced[produced.length - 1];
  if (last !== undefined && !outputs.includes(last)) outputs.push(last);
  b.setOutputs(...outputs);
  return b.build();
}
