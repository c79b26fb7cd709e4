// The whole analysis of a model: per-layer facts, totals, op set and the
// memory plan, for the main subgraph (0) in execution order.
import type { Model, Operator, Subgraph } from '../tflite/model.ts';
import { opName } from '../tflite/ops.ts';
import { activationLifetimes } from './lifetimes.ts';
import { OP_ANALYSERS } from './ops/index.ts';
import type { OpFacts } from './ops/context.ts';
import { baseFacts } from './ops/context.ts';
import { planMemory } from './planner.ts';
import { isConstant, tensorRef, tensorSize } from './tensors.ts';
import type { Analysis, Layer, OpUse } from './types.ts';

function analyseLayer(model: Model, sg: Subgraph, op: Operator, index: number): Layer {
  const name = opName(model, op.opcodeIndex);
  const analyser = OP_ANALYSERS[name];
  const ctx = { model, sg, op, name };
  let facts: OpFacts;
  try {
    facts = analyser ? analyser(ctx) : baseFacts(ctx);
  } catch (e) {
    // A malformed op must not stop the analysis of the others.
    facts = baseFacts(ctx);
    facts.warnings.push(`${name}: could not be analysed (${(e as Error).message})`);
  }
  const present = (ts: number[]): number[] => ts.filter((t) => t >= 0);
  const inputs = present(op.inputs).map((t) => tensorRef(sg, t));
  const outputs = present(op.outputs).map((t) => tensorRef(sg, t));
  const warnings = [...facts.warnings];
  for (const t of [...present(op.inputs), ...present(op.outputs)]) {
    const tensor = sg.tensors[t];
    if (!tensor) warnings.push(`${name}: tensor index ${t} does not exist`);
    else {
      const w = tensorSize(tensor).warning;
      if (w && !warnings.includes(w)) warnings.push(w);
    }
  }
  // Each constant tensor counts once per layer, even if read twice.
  const constants = new Set(
    present(op.inputs).filter((t) => {
      const tensor = sg.tensors[t];
      return tensor !== undefined && isConstant(model, tensor);
    }),
  );
  let paramBytes = 0;
  for (const t of constants)
    paramBytes += model.buffers[sg.tensors[t]?.buffer ?? 0]?.data.length ?? 0;
  return {
    index,
    op: name,
    supported: analyser !== undefined,
    inputShapes: inputs.map((r) => r.shape),
    outputShapes: outputs.map((r) => r.shape),
    inputs,
    outputs,
    filterShape: facts.filterShape ? [...facts.filterShape] : null,
    stride: facts.stride,
    dilation: facts.dilation,
    padding: facts.padding,
    activation: facts.activation,
    macs: facts.macs,
    paramBytes,
    outputBytes: outputs.reduce((s, r) => s + r.bytes, 0),
    warnings,
  };
}

function opSet(layers: Layer[]): OpUse[] {
  const uses = new Map<string, OpUse>();
  for (const l of layers) {
    const u = uses.get(l.op) ?? { op: l.op, count: 0, supported: l.supported };
    u.count++;
    uses.set(l.op, u);
  }
  return [...uses.values()].sort((a, b) => (a.op < b.op ? -1 : a.op > b.op ? 1 : 0));
}

/** Bytes of distinct constant buffers read by the subgraph's ops (shared buffers count once). */
function uniqueParamBytes(model: Model, sg: Subgraph): number {
  const buffers = new Set<number>();
  for (const op of sg.operators) {
    for (const t of op.inputs) {
      const tensor = t >= 0 ? sg.tensors[t] : undefined;
      if (tensor && isConstant(model, tensor)) buffers.add(tensor.buffer);
    }
  }
  let sum = 0;
  for (const b of buffers) sum += model.buffers[b]?.data.length ?? 0;
  return sum;
}

const EMPTY_SUBGRAPH: Subgraph = { name: '', tensors: [], inputs: [], outputs: [], operators: [] };

export function analyzeModel(model: Model, fileBytes: number): Analysis {
  const sg = model.subgraphs[0] ?? EMPTY_SUBGRAPH;
  const warnings: string[] = [];
  if (model.subgraphs.length === 0) warnings.push('model has no subgraph');
  if (model.subgraphs.length > 1) {
    warnings.push(`model has ${model.subgraphs.length} subgraphs; only subgraph 0 is analysed`);
  }
  const layers = sg.operators.map((op, i) => analyseLayer(model, sg, op, i));
  const ops = opSet(layers);
  const declared = [...new Set(model.operatorCodes.map((_, i) => opName(model, i)))].sort();
  const unused = declared.filter((name) => !ops.some((u) => u.op === name));
  if (unused.length > 0)
    warnings.push(`operator codes declared but not used: ${unused.join(', ')}`);
  const memory = planMemory(activationLifetimes(model, 0), layers.length);
  return {
    model: {
      version: model.version,
      description: model.description,
      subgraphs: model.subgraphs.length,
      tensors: sg.tensors.length,
      ops: declared,
      inputs: sg.inputs.map((t) => tensorRef(sg, t)),
      outputs: sg.outputs.map((t) => tensorRef(sg, t)),
      fileBytes,
    },
    layers,
    totals: {
      macs: layers.reduce((s, l) => s + l.macs, 0),
      paramBytes: uniqueParamBytes(model, sg),
      outputBytes: layers.reduce((s, l) => s + l.outputBytes, 0),
      layers: layers.length,
    },
    opSet: ops,
    unsupportedOps: ops.filter((u) => !u.supported).map((u) => u.op),
    memory,
    warnings,
  };
}
