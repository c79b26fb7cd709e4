// Assembles a one-operator model from tensor specs: graph inputs, constants
// and omitted optional inputs, in operator input order.
import { ModelBuilder, type OptionFields, type TensorSpec } from '../tflite/build.ts';
import type { Model } from '../tflite/model.ts';
import { isNumericType } from '../validate/tensor-data.ts';
import type { InputSpec } from '../validate/inputs.ts';

export type OpInput =
  /** A graph input; `gen` adjusts how inputs are drawn (range, fixed values). */
  | { input: TensorSpec; gen?: Partial<InputSpec> }
  | { constant: TensorSpec }
  /** An omitted optional input (-1 in the operator). */
  | null;

export interface SingleOp {
  model: Model;
  inputs: InputSpec[];
}

export function singleOpModel(
  op: string,
  inputs: OpInput[],
  outputs: TensorSpec[],
  fields: OptionFields = {},
): SingleOp {
  const b = new ModelBuilder(`TinyDeploy testgen: ${op}`);
  const specs: InputSpec[] = [];
  const graphInputs: number[] = [];
  const opInputs = inputs.map((x, i) => {
    if (x === null) return -1;
    if ('constant' in x) return b.addTensor({ name: `const${i}`, ...x.constant });
    const t = x.input;
    if (!isNumericType(t.type)) throw new Error(`input ${i}: cannot generate ${t.type} values`);
    const index = b.addTensor({ name: `input${i}`, ...t });
    graphInputs.push(index);
    const zp = t.quant && !Array.isArray(t.quant.zeroPoint) ? t.quant.zeroPoint : undefined;
    specs.push({
      type: t.type,
      shape: [...t.shape],
      ...(zp === undefined ? {} : { zeroPoint: zp }),
      ...x.gen,
    });
    return index;
  });
  const outs = outputs.map((t, i) => b.addTensor({ name: `output${i}`, ...t }));
  b.addOperator(op, opInputs, outs, fields);
  b.setInputs(...graphInputs).setOutputs(...outs);
  return { model: b.build(), inputs: specs };
}
