// runFlow: package → load → validate → profile → report, on any board and
// any reference, with progress, cancellation and partial results. Pure core:
// the board (a BoardClient over any Transport), the reference and the clock
// are injected, so the same code runs in the app's worker and in the CLI.
import { boardPowerFor } from '../profile/board-power.ts';
import { abortableBoard, abortableReference } from './abortable.ts';
import { boardIo, writeInputs } from './board-io.ts';
import { checkAbort, classify, stop } from './failure.ts';
import { packageModel, readAndAnalyse } from './stage-package.ts';
import { loadOnBoard } from './stage-load.ts';
import { figuresFor, profileFrom } from './stage-profile.ts';
import { validate } from './stage-validate.ts';
import { makeReport } from './stage-report.ts';
import type {
  Clock,
  FlowArtifacts,
  FlowDeps,
  FlowOptions,
  FlowProgressCallback,
  FlowResult,
  FlowStage,
} from './types.ts';

/** The optional extras of FlowDeps (kept for callers that import the name). */
export type FlowExtras = Pick<FlowDeps, 'power' | 'kernelCodeBytes'>;

const systemClock: Clock = { now: () => globalThis.performance.now() };

export async function runFlow(
  deps: FlowDeps,
  modelBytes: Uint8Array,
  options: FlowOptions,
  onProgress: FlowProgressCallback = () => {},
  signal?: AbortSignal,
): Promise<FlowResult> {
  const a: FlowArtifacts = { timings: {}, warnings: [] };
  const clock = deps.clock ?? systemClock;
  let stage: FlowStage = 'package';
  const board = abortableBoard(deps.board, signal, () => stage);
  const reference = abortableReference(deps.reference, signal, () => stage);
  // Read late: a caller may fill in what identifies the firmware once the
  // board is open (the CLI opens boards on first use).
  const live = (): FlowDeps => ({ ...deps, board, reference });
  const begin = (s: FlowStage): number => {
    stage = s;
    checkAbort(signal, s, 'before the stage');
    return clock.now();
  };
  const end = (s: FlowStage, t0: number): void => {
    a.timings[s] = clock.now() - t0;
  };
  try {
    // ---- package ----
    let t0 = begin('package');
    onProgress({ stage, done: 0, total: 2, message: 'reading and analysing the model' });
    const { model, analysis } = readAndAnalyse(modelBytes);
    a.analysis = analysis;
    checkAbort(signal, 'package', 'after the analysis');
    onProgress({ stage, done: 1, total: 2, message: 'building the model package' });
    const build = packageModel(model, analysis);
    a.package = build;
    onProgress({ stage, done: 2, total: 2, message: `package: ${build.bytes.length} bytes` });
    end('package', t0);

    // ---- load ----
    t0 = begin('load');
    a.load = await loadOnBoard(board, build, onProgress, signal, (info) => (a.board = info));
    end('load', t0);
    const info = a.board;
    if (!info) return stop('load', 'INTERNAL', 'no board information');

    // ---- validate ----
    t0 = begin('validate');
    let modelLoaded = true;
    const ensureModelLoaded = async (): Promise<void> => {
      if (modelLoaded) return;
      onProgress({
        stage,
        done: 0,
        total: build.bytes.length,
        message: 'reloading the model package',
      });
      a.load = await board.loadPackage(build.bytes);
      modelLoaded = true;
    };
    const validation = await validate({
      deps: live(),
      modelBytes,
      model,
      build,
      options,
      onProgress,
      signal,
      artifacts: a,
      ensureModelLoaded,
      replaced: () => (modelLoaded = false),
    });
    const inputs = a.inputs;
    if (!inputs) return stop('validate', 'INTERNAL', 'no inputs');
    end('validate', t0);

    // ---- profile ----
    t0 = begin('profile');
    onProgress({ stage, done: 0, total: 1, message: 'profiling one inference' });
    await ensureModelLoaded();
    const io = boardIo(model, build);
    await writeInputs(board, io, inputs.sets[0] ?? []);
    await board.invoke();
    checkAbort(signal, 'profile', 'after the inference');
    const counters = info.numCounters > 0 ? await board.getProfile() : null;
    if (counters) a.boardProfile = counters;
    const profile = profileFrom(
      {
        analysis,
        build,
        info,
        boardId: options.boardId,
        figures: options.figures ?? figuresFor(options.boardId),
        // Absent: the figures known for the board id; null: none.
        power: deps.power === undefined ? boardPowerFor(options.boardId) : deps.power,
        ...(deps.kernelCodeBytes ? { kernelCodeBytes: deps.kernelCodeBytes } : {}),
      },
      counters,
    );
    a.profile = profile;
    onProgress({ stage, done: 1, total: 1, message: `${profile.rows.length} layer(s) profiled` });
    end('profile', t0);

    // ---- report ----
    t0 = begin('report');
    const report = makeReport({
      deps: live(),
      modelBytes,
      modelName: options.modelName,
      boardId: options.boardId,
      analysis,
      info,
      inputs,
      validation,
      profile,
      warnings: a.warnings,
    });
    a.report = report;
    onProgress({ stage, done: 1, total: 1, message: `verdict: ${report.verdict}` });
    end('report', t0);
    return {
      ok: true,
      verdict: report.verdict,
      artifacts: {
        ...a,
        analysis,
        package: build,
        board: info,
        inputs,
        validation,
        profile,
        report,
      },
    };
  } catch (e) {
    return { ok: false, failure: classify(e, stage), artifacts: a };
  }
}
