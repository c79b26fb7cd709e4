// The run concern: the settings of the next run, the run in flight (stage
// by stage, cancellable) and the record of the last one. The flow itself
// runs in the flow worker; this store only starts it, listens and keeps
// what comes back. Every finished run goes to the history.
import * as Comlink from 'comlink';
import { FLOW_STAGES, type FlowProgress, type FlowStage } from '../../core/flow/types.ts';
import type { BoardOption } from '../lib/boards.ts';
import { newRunId, statusOf, type RunRecord } from '../lib/run-record.ts';
import { pipeToPort } from '../transport/port.ts';
import type { RunOutcome, StageState, UserInputFile } from '../worker/flow-protocol.ts';
import { flowWorkers, onFlowWorkerCrash } from '../worker/flow-client.ts';
import { boardStore } from './board.svelte.ts';
import { historyStore } from './history.svelte.ts';

/** Input sets a run makes by default: enough to see a mismatch, quick on the emulator. */
export const APP_DEFAULT_INPUT_SETS = 3;
export const MAX_INPUT_SETS = 1000;

/** Performance marks the page sets around a run; the benchmark and tests read them. */
export const RUN_MARKS = { start: 'td:run-start', report: 'td:run-report' } as const;

export interface StageView {
  stage: FlowStage;
  state: StageState;
  done: number;
  total: number;
  message: string;
  ms: number | null;
}

export interface ChosenInput {
  file: File;
  input: number;
}

/** What is known of a run before it ends. */
type PendingRun = Omit<RunRecord, 'status' | 'outcome' | 'savedAt'>;

const freshStages = (): StageView[] =>
  FLOW_STAGES.map((stage) => ({
    stage,
    state: 'pending',
    done: 0,
    total: 0,
    message: '',
    ms: null,
  }));

class RunStore {
  seed = $state(1);
  inputSets = $state(APP_DEFAULT_INPUT_SETS);
  /** The user's input files by input position. */
  inputFiles = $state.raw<Record<number, File>>({});

  running = $state(false);
  cancelling = $state(false);
  stages = $state.raw<StageView[]>(freshStages());
  /** The last finished run (this session). */
  last = $state.raw<RunRecord | null>(null);
  /** The worker still holds the last run's artifacts: its export zip can be built. */
  exportable = $state(false);
  /** Finished runs this session: lets tests wait for "the next result". */
  finished = $state(0);
  #onFinish = new Set<(record: RunRecord) => void>();
  #pending: PendingRun | null = null;

  constructor() {
    onFlowWorkerCrash((message) => {
      if (!this.running) return;
      this.#finish(this.#pending, {
        ok: false,
        report: null,
        failure: {
          stage: this.stages.find((s) => s.state === 'running')?.stage ?? 'package',
          code: 'INTERNAL',
          message,
        },
        outputs: [],
        timings: this.#pageTimings(),
        warnings: [],
        totalMs: 0,
        exportable: false,
      });
    });
  }

  setInputFile(input: number, file: File | null): void {
    const next = { ...this.inputFiles };
    if (file) next[input] = file;
    else delete next[input];
    this.inputFiles = next;
  }

  clearInputs(): void {
    this.inputFiles = {};
  }

  onFinish(listener: (record: RunRecord) => void): () => void {
    this.#onFinish.add(listener);
    return () => this.#onFinish.delete(listener);
  }

  async start(model: Uint8Array, modelName: string, board: BoardOption): Promise<void> {
    if (this.running) return;
    for (const m of Object.values(RUN_MARKS)) performance.clearMarks(m);
    performance.mark(RUN_MARKS.start);
    this.running = true;
    this.cancelling = false;
    this.exportable = false;
    this.stages = freshStages();
    this.#stageStart.clear();
    const settings = {
      seed: this.seed,
      inputSets: this.inputSets,
      inputFiles: Object.fromEntries(
        Object.entries(this.inputFiles).map(([k, f]) => [Number(k), f.name]),
      ),
    };
    const pending: PendingRun = {
      id: newRunId(),
      modelName,
      boardId: board.id,
      boardLabel: board.label,
      settings,
    };
    this.#pending = pending;
    let outcome: RunOutcome;
    try {
      const inputs: UserInputFile[] = await Promise.all(
        Object.entries(this.inputFiles).map(async ([k, file]) => ({
          input: Number(k),
          fileName: file.name,
          mimeType: file.type,
          bytes: await file.arrayBuffer(),
        })),
      );
      let link: MessagePort | undefined;
      if (board.kind === 'webserial') {
        const transport = boardStore.transport();
        if (!transport) throw new Error('connect the board first (no serial port is open)');
        const channel = new MessageChannel();
        void pipeToPort(transport, channel.port1);
        link = channel.port2;
      }
      const copy = model.slice().buffer;
      const request = {
        model: copy,
        modelName,
        boardId: board.id,
        board: board.kind,
        seed: this.seed,
        inputSets: this.inputSets,
        inputs,
      };
      const transfers: Transferable[] = [copy, ...inputs.map((i) => i.bytes)];
      if (link) transfers.push(link);
      outcome = await flowWorkers().flow.run(
        Comlink.transfer(request, transfers),
        Comlink.proxy((p: FlowProgress) => this.#progress(p)),
        link,
      );
    } catch (e) {
      const running = this.stages.find((s) => s.state === 'running')?.stage ?? 'package';
      outcome = {
        ok: false,
        report: null,
        failure: {
          stage: running,
          code: 'INTERNAL',
          message: e instanceof Error ? e.message : String(e),
        },
        outputs: [],
        timings: this.#pageTimings(),
        warnings: [],
        totalMs: 0,
        exportable: false,
      };
    }
    this.#finish(pending, outcome);
  }

  cancel(): void {
    if (!this.running || this.cancelling) return;
    this.cancelling = true;
    void flowWorkers().flow.cancel();
  }

  /** When each stage was first reported, page clock (for a run the worker could not finish). */
  #stageStart = new Map<FlowStage, number>();

  #progress(p: FlowProgress): void {
    if (!this.running) return;
    const at = FLOW_STAGES.indexOf(p.stage);
    const t = performance.now();
    if (!this.#stageStart.has(p.stage)) this.#stageStart.set(p.stage, t);
    this.stages = this.stages.map((s, i) => {
      if (i < at && s.state !== 'done') {
        const began = this.#stageStart.get(s.stage);
        const next = this.#stageStart.get(FLOW_STAGES[i + 1] ?? p.stage) ?? t;
        return { ...s, state: 'done', ms: began === undefined ? null : next - began };
      }
      if (i === at)
        return { ...s, state: 'running', done: p.done, total: p.total, message: p.message };
      return s;
    });
  }

  /** Stage times as the page saw them (the worker's own are better when it answers). */
  #pageTimings(): Partial<Record<FlowStage, number>> {
    const out: Partial<Record<FlowStage, number>> = {};
    for (const s of this.stages) if (s.state === 'done' && s.ms !== null) out[s.stage] = s.ms;
    return out;
  }

  #finish(pending: PendingRun | null, outcome: RunOutcome): void {
    if (!pending || !this.running) return;
    this.#pending = null;
    const failedAt = outcome.failure?.stage;
    const cancelled = outcome.failure?.code === 'CANCELLED';
    this.stages = this.stages.map((s) => {
      const ms = outcome.timings[s.stage];
      if (ms !== undefined) return { ...s, state: 'done', ms };
      if (s.stage === failedAt) return { ...s, state: cancelled ? 'cancelled' : 'failed' };
      return { ...s, state: outcome.failure ? 'skipped' : s.state };
    });
    const { exportable, ...kept } = outcome;
    const record: RunRecord = {
      ...pending,
      savedAt: new Date().toISOString(),
      status: statusOf(outcome),
      outcome: kept,
    };
    this.last = record;
    this.exportable = exportable;
    this.running = false;
    this.cancelling = false;
    if (outcome.report) performance.mark(RUN_MARKS.report);
    this.finished++;
    void historyStore.save(record);
    for (const listener of this.#onFinish) listener(record);
  }

  /** The last run's export zip (built in the worker). */
  async exportZip(): Promise<
    { ok: true; blob: Blob; fileName: string; note: string | null } | { ok: false; message: string }
  > {
    const r = await flowWorkers().flow.exportZip();
    if (!r.ok) return r;
    return {
      ok: true,
      blob: new Blob([r.zip as BlobPart], { type: 'application/zip' }),
      fileName: r.fileName,
      note: r.note,
    };
  }
}

export const runStore = new RunStore();
