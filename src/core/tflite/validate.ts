// Graph-level checks on a decoded Model: every index refers to something that
// exists, and operators are in execution order (each tensor has at most one
// producer, and nothing is read before the operator that writes it).
// Constant tensors, graph inputs and variables have no producer: that is fine.
import { ModelError } from '../errors.ts';
import type { Model, Subgraph } from './model.ts';
import { opName } from './ops.ts';

/** Subgraph-index fields of control-flow options, checked against the model. */
const SUBGRAPH_FIELDS = new Set([
  'subgraph',
  'thenSubgraphIndex',
  'elseSubgraphIndex',
  'condSubgraphIndex',
  'bodySubgraphIndex',
  'initSubgraphIndex',
  'decompositionSubgraphIndex',
  'comparatorSubgraphIndex',
  'updateComputationSubgraphIndex',
  'branchSubgraphIndices',
]);

/** The first problem found, or null when the model is consistent. */
export function validateModel(model: Model): ModelError | null {
  if (model.subgraphs.length === 0)
    return new ModelError('NO_SUBGRAPH', 'the model has no subgraphs');
  for (const [i, m] of model.metadata.entries()) {
    if (m.buffer >= model.buffers.length) {
      return ref(
        `metadata ${i} (${JSON.stringify(m.name)}) refers to buffer ${m.buffer}, but the model has ${model.buffers.length} buffers`,
      );
    }
  }
  for (const [i, sig] of model.signatureDefs.entries()) {
    const sg = model.subgraphs[sig.subgraphIndex];
    if (!sg) {
      return ref(
        `signature def ${i} (${JSON.stringify(sig.signatureKey)}) refers to subgraph ${sig.subgraphIndex}, but the model has ${model.subgraphs.length} subgraphs`,
      );
    }
    for (const [kind, maps] of [
      ['input', sig.inputs],
      ['output', sig.outputs],
    ] as const) {
      for (const [j, tm] of maps.entries()) {
        if (tm.tensorIndex >= sg.tensors.length) {
          return ref(
            `signature def ${i} ${kind} ${j} (${JSON.stringify(tm.name)}) refers to tensor ${tm.tensorIndex}, but subgraph ${sig.subgraphIndex} has ${sg.tensors.length} tensors`,
          );
        }
      }
    }
  }
  for (const [s, sg] of model.subgraphs.entries()) {
    const problem = validateSubgraph(model, sg, s);
    if (problem) return problem;
  }
  return null;
}

function ref(message: string): ModelError {
  return new ModelError('BAD_REFERENCE', message);
}

function validateSubgraph(model: Model, sg: Subgraph, s: number): ModelError | null {
  const nTensors = sg.tensors.length;
  for (const [i, t] of sg.tensors.entries()) {
    if (t.buffer >= model.buffers.length) {
      return ref(
        `subgraph ${s} tensor ${i} (${JSON.stringify(t.name)}) refers to buffer ${t.buffer}, but the model has ${model.buffers.length} buffers`,
      );
    }
  }
  for (const [kind, list] of [
    ['input', sg.inputs],
    ['output', sg.outputs],
  ] as const) {
    for (const [j, t] of list.entries()) {
      if (!(t >= 0 && t < nTensors)) {
        return ref(
          `subgraph ${s} ${kind} ${j} refers to tensor ${t}, but subgraph ${s} has ${nTensors} tensors`,
        );
      }
    }
  }
  // producer[t] = index of the operator that writes tensor t, or -1.
  const producer = new Int32Array(nTensors).fill(-1);
  for (const [o, op] of sg.operators.entries()) {
    if (op.opcodeIndex >= model.operatorCodes.length) {
      return ref(
        `subgraph ${s} operator ${o} uses opcode ${op.opcodeIndex}, but the model has ${model.operatorCodes.length} operator codes`,
      );
    }
    const label = `subgraph ${s} operator ${o} (${opName(model, op.opcodeIndex)})`;
    for (const [kind, list] of [
      ['input', op.inputs],
      ['output', op.outputs],
      ['intermediate', op.intermediates],
    ] as const) {
      for (const [j, t] of list.entries()) {
        // -1 marks an omitted optional tensor.
        if (t !== -1 && !(t >= 0 && t < nTensors)) {
          return ref(
            `${label} ${kind} ${j} refers to tensor ${t}, but subgraph ${s} has ${nTensors} tensors`,
          );
        }
      }
    }
    for (const t of op.outputs) {
      if (t === -1) continue;
      const p = producer[t] as number;
      if (p !== -1) {
        return new ModelError(
          'CYCLE',
          `subgraph ${s} tensor ${t} (${JSON.stringify(sg.tensors[t]?.name)}) is produced by both operator ${p} and operator ${o}`,
        );
      }
      producer[t] = o;
    }
    for (const options of [op.builtinOptions, op.builtinOptions2]) {
      if (!options) continue;
      for (const [key, value] of Object.entries(options.fields)) {
        if (!SUBGRAPH_FIELDS.has(key)) continue;
        for (const v of Array.isArray(value) ? value : [value]) {
          if (typeof v === 'number' && !(v >= 0 && v < model.subgraphs.length)) {
            return ref(
              `${label} option ${key} refers to subgraph ${v}, but the model has ${model.subgraphs.length} subgraphs`,
            );
          }
        }
      }
    }
  }
  // Execution order: nothing may be read before (or by) the operator that
  // writes it; and whatever is read without a producer must have a value.
  const isInput = new Uint8Array(nTensors);
  for (const t of sg.inputs) isInput[t] = 1;
  const hasValue = (t: number): boolean => {
    const tensor = sg.tensors[t];
    if (!tensor || isInput[t] || tensor.isVariable) return true;
    if ((model.buffers[tensor.buffer]?.data.length ?? 0) > 0) return true;
    return tensor.shape.some((d) => d === 0); // an empty constant needs no bytes
  };
  for (const [o, op] of sg.operators.entries()) {
    for (const [j, t] of op.inputs.entries()) {
      if (t === -1) continue;
      const p = producer[t] as number;
      const label = `subgraph ${s} operator ${o} (${opName(model, op.opcodeIndex)}) input ${j}`;
      if (p >= o) {
        return new ModelError(
          'CYCLE',
          `${label} reads tensor ${t}, which operator ${p} produces: the operators are not in execution order or form a cycle`,
        );
      }
      if (p === -1 && !hasValue(t)) return dangling(`${label} reads tensor ${t}`, sg, t);
    }
  }
  for (const [j, t] of sg.outputs.entries()) {
    if (producer[t] === -1 && !hasValue(t))
      return dangling(`subgraph ${s} output ${j} is tensor ${t}`, sg, t);
  }
  return null;
}

function dangling(what: string, sg: Subgraph, t: number): ModelError {
  return ref(
    `${what} (${JSON.stringify(sg.tensors[t]?.name)}), which no operator produces and which is not a graph input, a constant or a variable`,
  );
}
