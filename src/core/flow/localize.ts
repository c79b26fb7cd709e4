// Layer-by-layer localisation of a mismatch. The reference runs the model
// with every intermediate tensor made a graph output; the board runs the
// same input set stopping after each layer in turn, and hands back that
// layer's output. The first layer whose output exceeds its bound (or, when
// all are within bounds, the first that is not bit-exact) is named.
import type { PackageBuild } from '../package/build-package.ts';
import { formatDecimal } from '../profile/csv.ts';
import type { ReportDivergence } from '../report/types.ts';
import type { Model } from '../tflite/model.ts';
import { writeModel } from '../tflite/write.ts';
import { boundFor, describeBound, loosenedKernels, meetsBound } from '../validate/bounds.ts';
import { exposeIntermediates } from '../validate/layer-model.ts';
import { compareTensors, type TensorMetrics } from '../validate/metrics.ts';
import { isNumericType, type TensorData } from '../validate/tensor-data.ts';
import { boardData, writeInputs, type BoardIo } from './board-io.ts';
import { checkAbort } from './failure.ts';
import { applyThresholds, quantOf } from './judge-outputs.ts';
import type {
  FlowBoard,
  FlowLayerCheck,
  FlowProgressCallback,
  FlowThresholds,
  FlowValidation,
  Reference,
} from './types.ts';

type Localization = NonNullable<FlowValidation['localization']>;

const unitOf = (type: string): 'steps' | 'value' => (type === 'FLOAT32' ? 'value' : 'steps');

function diffText(m: TensorMetrics): string {
  if (!Number.isFinite(m.maxAbsDiff)) return 'infinite';
  if (m.type === 'FLOAT32') return String(Number(m.maxAbsDiff.toPrecision(4)));
  return `${m.maxAbsDiff} step${m.maxAbsDiff === 1 ? '' : 's'}`;
}

function divergenceOf(check: FlowLayerCheck, why: string, inputSet: number): ReportDivergence {
  const m = check.metrics;
  return {
    layer: check.layer,
    op: check.op,
    maxAbsDiff: Number.isFinite(m.maxAbsDiff) ? m.maxAbsDiff : null,
    unit: unitOf(m.type),
    bitExactShare: m.exactShare,
    message:
      `layer ${check.layer} (${check.op}) is the first to ${why}: max |Δ| ${diffText(m)}, ` +
      `${formatDecimal(m.exactShare * 100, 2)}% bit-exact (input set ${inputSet})`,
  };
}

export interface LocalizeContext {
  board: FlowBoard;
  reference: Reference;
  model: Model;
  build: PackageBuild;
  io: BoardIo;
  thresholds: FlowThresholds;
  onProgress: FlowProgressCallback;
  signal: AbortSignal | undefined;
}

export async function localize(
  ctx: LocalizeContext,
  set: TensorData[],
  inputSet: number,
): Promise<Localization> {
  const { board, model, build } = ctx;
  const sg = model.subgraphs[0];
  const exposed = exposeIntermediates(model);
  checkAbort(ctx.signal, 'validate', 'before the layer-by-layer reference run');
  const refRun = await ctx.reference.run(writeModel(exposed.model), [set]);
  const refOut = refRun[0] ?? [];
  const byTensor = new Map<number, TensorData>();
  exposed.outputs.forEach((t, k) => {
    const d = refOut[k];
    if (d) byTensor.set(t, d);
  });
  const layers: FlowLayerCheck[] = [];
  const ops = build.contents.ops;
  let note: string | undefined;
  for (const [l, op] of ops.entries()) {
    checkAbort(ctx.signal, 'validate', `localising, before layer ${l}`);
    ctx.onProgress({
      stage: 'validate',
      done: l,
      total: ops.length,
      message: `comparing layer ${l} of ${ops.length} with the reference`,
    });
    const pkgTensor = op.outputs[0];
    const source = pkgTensor === undefined ? -1 : (build.contents.tensors[pkgTensor]?.source ?? -1);
    const tensor = sg?.tensors[source];
    const expected = byTensor.get(source);
    if (pkgTensor === undefined || !tensor || !expected || !isNumericType(tensor.type)) continue;
    // Inputs may share arena space with later activations: write them for every run.
    await writeInputs(board, ctx.io, set);
    await board.invoke({ stopAfterLayer: l });
    const got = boardData(
      await board.getTensor(pkgTensor),
      tensor.type,
      `layer ${l} output`,
      'validate',
    );
    if (got.length !== expected.length) {
      note = `layer ${l}: board tensor has ${got.length} elements, the reference ${expected.length}; stopped`;
      break;
    }
    const layer = build.layers[l];
    layers.push({
      layer: l,
      sourceOp: layer?.sourceOp ?? op.sourceOp,
      op: layer?.op ?? 'UNKNOWN',
      tensor: source,
      metrics: compareTensors(got, expected, { quant: quantOf(tensor) ?? undefined }),
    });
  }
  ctx.onProgress({
    stage: 'validate',
    done: ops.length,
    total: ops.length,
    message: 'layers compared',
  });
  const boundOf = (c: FlowLayerCheck) => {
    const layer = build.layers[c.layer];
    const loosened = layer ? loosenedKernels(model, [layer]) : [];
    return applyThresholds(boundFor(c.metrics.type, loosened), c.metrics.type, ctx.thresholds);
  };
  const over = layers.find((c) => !meetsBound(c.metrics, boundOf(c)));
  const inexact = layers.find((c) => c.metrics.exactShare < 1 || c.metrics.nonFiniteMismatch > 0);
  let divergence: ReportDivergence | null = null;
  if (over)
    divergence = divergenceOf(over, `exceed its bound (${describeBound(boundOf(over))})`, inputSet);
  else if (inexact) divergence = divergenceOf(inexact, 'differ', inputSet);
  else if (!note) {
    note =
      'every layer output agrees with the reference on this input set: the difference ' +
      'arises after the last layer (reading the outputs back) or on another input set';
  }
  return note === undefined
    ? { inputSet, layers, divergence }
    : { inputSet, layers, divergence, note };
}
