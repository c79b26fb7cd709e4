// Input specs for an arbitrary model's graph inputs. Most inputs take random
// values over their whole range; a few carry structure that random values
// would break, so they get the only values that make sense.
import { opName } from '../tflite/ops.ts';
import type { Model } from '../tflite/model.ts';
import type { InputSpec } from './inputs.ts';
import { isNumericType } from './tensor-data.ts';

export interface InputSpecResult {
  specs: InputSpec[];
  /** Why a model cannot be fed random inputs (e.g. an INT64 or BOOL input). */
  problem: string | null;
}

export function inputSpecsFor(model: Model): InputSpecResult {
  const sg = model.subgraphs[0];
  if (!sg) return { specs: [], problem: 'no subgraph' };
  const specs: InputSpec[] = [];
  for (const t of sg.inputs) {
    const tensor = sg.tensors[t];
    if (!tensor) return { specs, problem: `input tensor ${t} missing` };
    if (!isNumericType(tensor.type)) {
      return { specs, problem: `input '${tensor.name}' is ${tensor.type}; cannot generate values` };
    }
    const spec: InputSpec = { type: tensor.type, shape: [...tensor.shape] };
    const zp = tensor.quantization?.zeroPoint;
    if (zp && zp.length === 1) spec.zeroPoint = zp[0] as number;
    // TRANSPOSE_CONV's output shape given at run time (seanet does this):
    // it must equal the output tensor's shape.
    for (const op of sg.operators) {
      if (opName(model, op.opcodeIndex) === 'TRANSPOSE_CONV' && op.inputs[0] === t) {
        const out = sg.tensors[op.outputs[0] ?? -1];
        if (out) spec.fixed = [...out.shape];
      }
    }
    specs.push(spec);
  }
  return { specs, problem: null };
}
