// Model surgery for layer-by-layer checking: a one-operator model cut out of
// a larger one (so each layer can be judged alone, on the reference's own
// activations), and a copy of a model whose intermediate tensors are all
// graph outputs (so the reference hands those activations back).
import type { Buffer, Model, Tensor } from '../tflite/model.ts';
import { isNumericType } from './tensor-data.ts';

const isConst = (model: Model, t: Tensor): boolean =>
  (model.buffers[t.buffer]?.data.byteLength ?? 0) > 0;

export interface LayerModel {
  model: Model;
  /** Tensor indices (in the source subgraph) feeding the layer model's inputs, in order. */
  sourceInputs: number[];
  /** Tensor indices (in the source subgraph) of its outputs, in order. */
  sourceOutputs: number[];
}

/** Operator `opIndex` of subgraph 0 as a model of its own. */
export function extractLayer(model: Model, opIndex: number): LayerModel {
  const sg = model.subgraphs[0];
  const op = sg?.operators[opIndex];
  if (!sg || !op) throw new Error(`no operator ${opIndex}`);
  const tensors: Tensor[] = [];
  const buffers: Buffer[] = [{ data: new Uint8Array(0) }];
  const index = new Map<number, number>();
  const take = (t: number): number => {
    if (t < 0) return -1;
    const known = index.get(t);
    if (known !== undefined) return known;
    const tensor = sg.tensors[t];
    if (!tensor) throw new Error(`operator ${opIndex} uses missing tensor ${t}`);
    let buffer = 0;
    if (isConst(model, tensor)) {
      buffers.push({ data: model.buffers[tensor.buffer]?.data ?? new Uint8Array(0) });
      buffer = buffers.length - 1;
    }
    tensors.push({ ...structuredClone(tensor), buffer });
    index.set(t, tensors.length - 1);
    return tensors.length - 1;
  };
  const inputs = op.inputs.map(take);
  const outputs = op.outputs.map(take);
  const sourceInputs = [
    ...new Set(op.inputs.filter((t) => t >= 0 && !isConst(model, sg.tensors[t] as Tensor))),
  ];
  const code = model.operatorCodes[op.opcodeIndex];
  if (!code) throw new Error(`operator ${opIndex} has no operator code`);
  return {
    model: {
      version: model.version,
      description: `layer ${opIndex} of ${model.description}`,
      operatorCodes: [{ ...code }],
      subgraphs: [
        {
          name: `layer${opIndex}`,
          tensors,
          inputs: sourceInputs.map((t) => index.get(t) as number),
          outputs,
          operators: [
            {
              opcodeIndex: 0,
              inputs,
              outputs,
              intermediates: [],
              builtinOptions: structuredClone(op.builtinOptions),
              builtinOptions2: structuredClone(op.builtinOptions2),
              customOptions: op.customOptions,
            },
          ],
        },
      ],
      buffers,
      metadata: [],
      signatureDefs: [],
    },
    sourceInputs,
    sourceOutputs: [...op.outputs],
  };
}

/**
 * A copy whose subgraph-0 outputs are the model's outputs followed by every
 * other operator output (numeric types only). Returns the tensor index of
 * each output, in order.
 */
export function exposeIntermediates(model: Model): { model: Model; outputs: number[] } {
  const copy: Model = {
    ...model,
    subgraphs: model.subgraphs.map((s) => ({ ...s, outputs: [...s.outputs] })),
  };
  const sg = copy.subgraphs[0];
  if (!sg) return { model: copy, outputs: [] };
  const seen = new Set(sg.outputs);
  for (const op of sg.operators) {
    for (const t of op.outputs) {
      const tensor = sg.tensors[t];
      if (t >= 0 && tensor && !seen.has(t) && isNumericType(tensor.type)) {
        seen.add(t);
        sg.outputs.push(t);
      }
    }
  }
  return { model: copy, outputs: [...sg.outputs] };
}
