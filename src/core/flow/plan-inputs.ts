// The input sets of a run: the user's values where given, seeded random
// values (src/core/validate/inputs.ts) for every other input tensor.
import { hashInputSets } from '../report/build-report.ts';
import type { Model } from '../tflite/model.ts';
import { generateInputSet } from '../validate/inputs.ts';
import { inputSpecsFor } from '../validate/model-inputs.ts';
import { typeOfData, type TensorData } from '../validate/tensor-data.ts';
import { stop } from './failure.ts';
import { DEFAULT_INPUT_SETS, DEFAULT_SEED, type FlowInputs, type FlowOptions } from './types.ts';

const count = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Which input tensor a user key names: its name, or its position as a decimal string. */
export function resolveInputKey(model: Model, key: string): number | null {
  const sg = model.subgraphs[0];
  if (!sg) return null;
  const byName = sg.inputs.findIndex((t) => sg.tensors[t]?.name === key);
  if (byName >= 0) return byName;
  if (/^\d+$/.test(key)) {
    const i = Number(key);
    return i < sg.inputs.length ? i : null;
  }
  return null;
}

export function planInputs(model: Model, options: FlowOptions): FlowInputs {
  const sg = model.subgraphs[0];
  if (!sg) return stop('validate', 'BAD_MODEL', 'the model has no subgraph');
  const { specs, problem } = inputSpecsFor(model);
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    stop('validate', 'BAD_INPUT', `seed must be an integer in 0..4294967295, got ${seed}`);
  }
  const user = new Map<number, TensorData[]>();
  for (const [key, values] of Object.entries(options.userInputs ?? {})) {
    const i = resolveInputKey(model, key);
    const names = sg.inputs.map((t) => `'${sg.tensors[t]?.name}'`).join(', ');
    if (i === null) {
      stop('validate', 'BAD_INPUT', `the model has no input '${key}' (its inputs: ${names})`);
    }
    const spec = specs[i];
    const name = sg.tensors[sg.inputs[i] as number]?.name ?? `input ${i}`;
    if (!spec) return stop('validate', 'BAD_INPUT', `input '${name}': ${problem ?? 'no spec'}`);
    if (values.length === 0) stop('validate', 'BAD_INPUT', `input '${name}': no values given`);
    values.forEach((v, s) => {
      const want = count(spec.shape);
      if (typeOfData(v) !== spec.type || v.length !== want) {
        stop(
          'validate',
          'BAD_INPUT',
          `input '${name}' set ${s}: got ${typeOfData(v)}[${v.length}], the model wants ` +
            `${spec.type}[${want}] (shape [${spec.shape.join(', ')}])`,
        );
      }
    });
    user.set(i, values);
  }
  if (problem !== null && user.size < sg.inputs.length) {
    stop('validate', 'BAD_INPUT', `cannot generate inputs: ${problem}; supply them instead`);
  }
  const longest = Math.max(0, ...[...user.values()].map((v) => v.length));
  const n = user.size > 0 ? longest : (options.inputSets ?? DEFAULT_INPUT_SETS);
  if (!Number.isInteger(n) || n < 1) {
    stop('validate', 'BAD_INPUT', `the number of input sets must be at least 1, got ${n}`);
  }
  for (const [i, values] of user) {
    if (values.length !== 1 && values.length !== n) {
      const name = sg.tensors[sg.inputs[i] as number]?.name ?? `input ${i}`;
      stop(
        'validate',
        'BAD_INPUT',
        `input '${name}' has ${values.length} sets, another input has ${n}: give 1 or ${n}`,
      );
    }
  }
  const sets: TensorData[][] = [];
  for (let k = 0; k < n; k++) {
    const generated = problem === null ? generateInputSet(specs, seed, k) : [];
    sets.push(
      sg.inputs.map((_, i) => {
        const given = user.get(i);
        if (given) return (given.length === 1 ? given[0] : given[k]) as TensorData;
        return generated[i] as TensorData;
      }),
    );
  }
  return {
    sets,
    seed,
    userSupplied: sg.inputs.map((_, i) => user.has(i)),
    sha256: hashInputSets(sets),
  };
}
