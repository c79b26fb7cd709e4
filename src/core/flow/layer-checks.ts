// Each layer judged alone, on TFLite's own activations for its inputs, with
// the bound of its kernel (docs/numerics.md). A whole model whose kernels
// may round one step differently from TFLite has no end-to-end bound (a
// step early on can grow through later layers), so its layers are judged
// instead, as verify:kernels does. Each layer is cut out as a model of its
// own (extractLayer), packaged, uploaded to the board and run there.
import { analyzeModel } from '../analysis/analyze.ts';
import { buildPackage } from '../package/build-package.ts';
import type { Model } from '../tflite/model.ts';
import { opName } from '../tflite/ops.ts';
import { writeModel } from '../tflite/write.ts';
import { describeBound, loosenedKernels } from '../validate/bounds.ts';
import { exposeIntermediates, extractLayer } from '../validate/layer-model.ts';
import { elementBytes, isNumericType, type TensorData } from '../validate/tensor-data.ts';
import { boardIo, runOnBoard } from './board-io.ts';
import { checkAbort } from './failure.ts';
import { judgeOutputs } from './judge-outputs.ts';
import type {
  FlowBoard,
  FlowLayerVerdict,
  FlowProgressCallback,
  FlowThresholds,
  Reference,
} from './types.ts';

/** At most this many input sets are replayed layer by layer. */
export const LAYER_SETS = 4;
/** ... and at most this many bytes of activations fetched from the reference. */
const LAYER_BUDGET = 32 << 20;

export interface LayerCheckContext {
  board: FlowBoard;
  reference: Reference;
  model: Model;
  /** Kernel of each TFLite operator, when packaged (by operator index). */
  kernels: Map<number, string>;
  thresholds: FlowThresholds;
  onProgress: FlowProgressCallback;
  signal: AbortSignal | undefined;
}

function activationBytes(model: Model, tensors: readonly number[]): number {
  const sg = model.subgraphs[0];
  let n = 0;
  for (const t of tensors) {
    const tensor = sg?.tensors[t];
    if (tensor && isNumericType(tensor.type)) {
      n += tensor.shape.reduce((a, b) => a * b, 1) * elementBytes(tensor.type);
    }
  }
  return n;
}

/** The layer verdicts, in operator order. */
export async function checkLayers(
  ctx: LayerCheckContext,
  inputSets: TensorData[][],
): Promise<{ layers: FlowLayerVerdict[]; sets: number }> {
  const { model } = ctx;
  // Top-1 is a property of the model's outputs, not of a layer's.
  const layerThresholds: FlowThresholds = { ...ctx.thresholds };
  delete layerThresholds.minTop1;
  const sg = model.subgraphs[0];
  if (!sg) return { layers: [], sets: 0 };
  const exposed = exposeIntermediates(model);
  const perSet = Math.max(1, activationBytes(model, exposed.outputs));
  const n = Math.max(1, Math.min(inputSets.length, LAYER_SETS, Math.floor(LAYER_BUDGET / perSet)));
  const sets = inputSets.slice(0, n);
  checkAbort(ctx.signal, 'validate', 'before the layer-by-layer reference run');
  const ref = await ctx.reference.run(writeModel(exposed.model), sets);
  const activation = (t: number, s: number): TensorData | undefined => {
    const k = sg.inputs.indexOf(t);
    if (k >= 0) return sets[s]?.[k];
    const j = exposed.outputs.indexOf(t);
    return j >= 0 ? ref[s]?.[j] : undefined;
  };
  const layers: FlowLayerVerdict[] = [];
  const total = sg.operators.length;
  for (const [index, op] of sg.operators.entries()) {
    checkAbort(ctx.signal, 'validate', `judging layer ${index} alone`);
    ctx.onProgress({
      stage: 'validate',
      done: index,
      total,
      message: `layer ${index} of ${total} alone on TFLite's activations`,
    });
    const name = opName(model, op.opcodeIndex);
    const base = { layer: index, op: name, kernel: ctx.kernels.get(index) ?? null };
    const skip = (why: string): void => {
      layers.push({ ...base, checked: false, pass: true, bound: null, metrics: null, reason: why });
    };
    const layer = extractLayer(model, index);
    const analysis = analyzeModel(layer.model, 0);
    const built = buildPackage(layer.model, analysis.memory);
    if (!built.ok) {
      skip(`not checked alone: ${built.error.message}`);
      continue;
    }
    const layerSets = sets.map((_, s) => layer.sourceInputs.map((t) => activation(t, s)));
    if (layerSets.some((set) => set.some((t) => t === undefined))) {
      skip('not checked alone: the reference did not return its input activations');
      continue;
    }
    const given = layerSets as TensorData[][];
    const expected = await ctx.reference.run(writeModel(layer.model), given);
    await ctx.board.loadPackage(built.value.bytes);
    const actual = await runOnBoard(
      ctx.board,
      boardIo(layer.model, built.value),
      given,
      () => {},
      ctx.signal,
      () => {},
    );
    const loosened = loosenedKernels(layer.model, built.value.layers);
    const v = judgeOutputs(layer.model, loosened, actual, expected, layerThresholds);
    const worst = v.outputs.find((o) => !o.pass) ?? v.outputs[0];
    layers.push({
      ...base,
      checked: true,
      pass: v.pass,
      bound: worst ? describeBound(worst.bound) : null,
      metrics: worst?.metrics ?? null,
      reason: worst ? worst.reason : 'no outputs',
    });
  }
  ctx.onProgress({ stage: 'validate', done: total, total, message: 'layers judged' });
  return { layers, sets: n };
}
