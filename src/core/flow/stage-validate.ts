// Stage 'validate': the same input sets through the reference and the
// board, the outputs judged (or, for models whose kernels may round one
// step differently from TFLite, measured, with every layer judged alone),
// and on a mismatch the first diverging layer found.
import type { PackageBuild } from '../package/build-package.ts';
import type { ReportDivergence } from '../report/types.ts';
import type { Model } from '../tflite/model.ts';
import { loosenedKernels } from '../validate/bounds.ts';
import { typeOfData, type TensorData } from '../validate/tensor-data.ts';
import { formatDecimal } from '../profile/csv.ts';
import { boardIo, runOnBoard, type BoardIo } from './board-io.ts';
import { checkAbort, classify, FlowStop, stop } from './failure.ts';
import { judgeOutputs } from './judge-outputs.ts';
import { checkLayers } from './layer-checks.ts';
import { localize } from './localize.ts';
import { planInputs } from './plan-inputs.ts';
import type {
  FlowArtifacts,
  FlowDeps,
  FlowLayerVerdict,
  FlowOptions,
  FlowProgressCallback,
  FlowValidation,
} from './types.ts';

export interface ValidateContext {
  deps: FlowDeps;
  modelBytes: Uint8Array;
  model: Model;
  build: PackageBuild;
  options: FlowOptions;
  onProgress: FlowProgressCallback;
  signal: AbortSignal | undefined;
  /** Where partial results go as they are produced. */
  artifacts: FlowArtifacts;
  /** Puts the model's package back on the board if something else was loaded. */
  ensureModelLoaded(): Promise<void>;
  /** Tells that another package was loaded. */
  replaced(): void;
}

async function runReference(
  deps: FlowDeps,
  modelBytes: Uint8Array,
  sets: TensorData[][],
  io: BoardIo,
): Promise<TensorData[][]> {
  let expected: TensorData[][];
  try {
    expected = await deps.reference.run(modelBytes, sets);
  } catch (e) {
    if (e instanceof FlowStop) throw e;
    return stop(
      'validate',
      'REFERENCE',
      `the TFLite reference could not run the model: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  const outputs = io.outputs.length;
  if (expected.length !== sets.length || expected.some((s) => s.length !== outputs)) {
    stop(
      'validate',
      'REFERENCE',
      `the reference returned ${expected.length} output set(s) of ` +
        `${expected[0]?.length ?? 0} tensor(s); expected ${sets.length} of ${outputs}`,
    );
  }
  expected[0]?.forEach((t, o) => {
    const want = io.outputTypes[o];
    if (typeOfData(t) !== want) {
      stop(
        'validate',
        'REFERENCE',
        `reference output ${o} is ${typeOfData(t)}, the model declares ${want ?? 'nothing'}`,
      );
    }
  });
  return expected;
}

const percent = (share: number): string => `${formatDecimal(share * 100, 2)}%`;

function layerName(l: FlowLayerVerdict): string {
  return `layer ${l.layer} (${l.op}${l.kernel ? `, ${l.kernel}` : ''})`;
}

function layerDivergence(l: FlowLayerVerdict): ReportDivergence | null {
  const m = l.metrics;
  if (!m) return null;
  const unit = m.type === 'FLOAT32' ? 'value' : 'steps';
  return {
    layer: l.layer,
    op: l.op,
    maxAbsDiff: Number.isFinite(m.maxAbsDiff) ? m.maxAbsDiff : null,
    unit,
    bitExactShare: m.exactShare,
    message: `${layerName(l)} is the first layer to fail alone, on TFLite's activations: ${l.reason}`,
  };
}

/** Layered mode's verdict: every checked layer within its bound, and the outputs' top-1 where asked. */
function layeredVerdict(
  outputs: FlowValidation['outputs'],
  verdicts: FlowLayerVerdict[],
): { pass: boolean; reason: string } {
  const bad = verdicts.filter((l) => !l.pass);
  const badOutputs = outputs.filter((o) => !o.pass);
  const checked = verdicts.filter((l) => l.checked).length;
  const skipped = verdicts.length - checked;
  const e2e = outputs
    .map(
      (o) =>
        `output ${o.index} max |Δ| ${o.metrics.type === 'FLOAT32' ? Number(o.metrics.maxAbsDiff.toPrecision(4)) : `${o.metrics.maxAbsDiff} step(s)`}, ${percent(o.metrics.exactShare)} bit-exact`,
    )
    .join('; ');
  if (bad.length > 0 || badOutputs.length > 0) {
    const parts = [
      ...bad.map((l) => `${layerName(l)} alone: ${l.reason}`),
      ...badOutputs.map((o) => `output ${o.index} ('${o.name}'): ${o.reason}`),
    ];
    return { pass: false, reason: parts.join('; ') };
  }
  if (checked === 0) {
    return {
      pass: false,
      reason: 'no layer could be judged alone, and the outputs have no end-to-end bound',
    };
  }
  return {
    pass: true,
    reason:
      `all ${checked} layer(s) within their bounds alone on TFLite's activations` +
      `${skipped > 0 ? ` (${skipped} not checkable alone)` : ''}; end to end: ${e2e}`,
  };
}

export async function validate(ctx: ValidateContext): Promise<FlowValidation> {
  const { deps, model, build, options, onProgress, signal, artifacts: a } = ctx;
  const inputs = planInputs(model, options);
  a.inputs = inputs;
  const io = boardIo(model, build);
  onProgress({
    stage: 'validate',
    done: 0,
    total: inputs.sets.length,
    message: 'running the reference',
  });
  const expected = await runReference(deps, ctx.modelBytes, inputs.sets, io);
  a.expected = expected;
  checkAbort(signal, 'validate', 'after the reference');
  await runOnBoard(deps.board, io, inputs.sets, onProgress, signal, (actual) => {
    a.actual = actual;
  });
  const actual = a.actual ?? [];
  const thresholds = options.thresholds ?? {};
  const loosened = loosenedKernels(model, build.layers);
  const layered = build.layers.length > 1 && loosened.length > 0;
  const judged = judgeOutputs(model, loosened, actual, expected, thresholds, layered);
  let validation: FlowValidation = { ...judged, mode: layered ? 'layers' : 'outputs' };
  a.validation = validation;
  let divergence: ReportDivergence | null = null;
  if (layered) {
    const kernels = new Map(build.layers.map((l) => [l.sourceOp, l.kernel as string]));
    ctx.replaced();
    const { layers, sets } = await checkLayers(
      {
        board: deps.board,
        reference: deps.reference,
        model,
        kernels,
        thresholds,
        onProgress,
        signal,
      },
      inputs.sets,
    );
    validation = {
      ...validation,
      ...layeredVerdict(validation.outputs, layers),
      layers: { sets, verdicts: layers },
    };
    const firstBad = layers.find((l) => !l.pass);
    divergence = firstBad ? layerDivergence(firstBad) : null;
    a.validation = validation;
  }
  if (!validation.pass && options.localize !== false) {
    const worst =
      validation.outputs.find((o) => !o.pass)?.worstSet ?? validation.outputs[0]?.worstSet ?? 0;
    try {
      await ctx.ensureModelLoaded();
      const localization = await localize(
        {
          board: deps.board,
          reference: deps.reference,
          model,
          build,
          io,
          thresholds,
          onProgress,
          signal,
        },
        inputs.sets[worst] ?? [],
        worst,
      );
      // A layer failing alone is the sharper finding; the chain comparison stays beside it.
      validation = {
        ...validation,
        localization: divergence ? { ...localization, divergence } : localization,
      };
    } catch (e) {
      if (e instanceof FlowStop && e.failure.code === 'CANCELLED') throw e;
      validation = {
        ...validation,
        localization: {
          inputSet: worst,
          layers: [],
          divergence,
          note: `localisation failed: ${classify(e, 'validate').message}`,
        },
      };
    }
    a.validation = validation;
  } else if (divergence) {
    validation = { ...validation, localization: { inputSet: 0, layers: [], divergence } };
    a.validation = validation;
  }
  return validation;
}
