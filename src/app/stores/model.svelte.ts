// The model concern: which model is open, its analysis, the analysis in
// flight and the last error. Components read it; only its methods change it.
import * as Comlink from 'comlink';
import { tick } from 'svelte';
import type { ExampleInfo } from '../../core/examples/catalog.ts';
import { analysisWorker, onWorkerCrash } from '../worker/client.ts';
import type { AnalyzedModel, Failure } from '../worker/protocol.ts';

export interface LoadError extends Failure {
  /** The file (or example) that failed. */
  name: string;
}

/** Performance marks the page sets; the benchmark and tests read them. */
export const MARKS = { drop: 'td:drop', analysed: 'td:analysed', table: 'td:table' } as const;

function restartMarks(): void {
  for (const name of Object.values(MARKS)) performance.clearMarks(name);
  performance.mark(MARKS.drop);
}

/** The worker threw instead of answering: a bug, reported as such rather than swallowed. */
function workerFailure(e: unknown, name: string): LoadError {
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'WORKER_FAILED', message: `The analysis worker failed: ${message}`, name };
}

class ModelStore {
  current = $state.raw<AnalyzedModel | null>(null);
  /** The open model's .tflite bytes (the flow runs on them). */
  bytes = $state.raw<Uint8Array | null>(null);
  error = $state.raw<LoadError | null>(null);
  /** Name of the file being analysed, null when idle. */
  pending = $state<string | null>(null);
  /** Completed loads (successful or not): lets tests wait for "the next result". */
  loads = $state(0);
  #sequence = 0;

  constructor() {
    onWorkerCrash((message) => {
      if (this.pending === null) return;
      // A new sequence number: should the lost call ever answer, it is ignored.
      this.#fail(++this.#sequence, {
        code: 'WORKER_FAILED',
        message: `The analysis worker failed: ${message}`,
        name: this.pending,
      });
    });
  }

  async openFile(file: File): Promise<void> {
    restartMarks();
    const sequence = ++this.#sequence;
    this.pending = file.name;
    let bytes: ArrayBuffer;
    try {
      bytes = await file.arrayBuffer();
    } catch (e) {
      this.#fail(sequence, { code: 'READ_FAILED', message: String(e), name: file.name });
      return;
    }
    await this.#analyse(sequence, bytes, file.name);
  }

  async openExample(example: ExampleInfo): Promise<void> {
    restartMarks();
    const sequence = ++this.#sequence;
    this.pending = example.fileName;
    let built;
    try {
      built = await analysisWorker().exampleBytes(example.id);
    } catch (e) {
      this.#fail(sequence, workerFailure(e, example.fileName));
      return;
    }
    if (!built.ok) {
      this.#fail(sequence, { ...built.error, name: example.fileName });
      return;
    }
    await this.#analyse(sequence, built.value, example.fileName);
  }

  dismissError(): void {
    this.error = null;
  }

  async #analyse(sequence: number, bytes: ArrayBuffer, name: string): Promise<void> {
    // The worker takes the buffer; the page keeps a copy for the flow.
    const kept = new Uint8Array(bytes.slice(0));
    let result;
    try {
      result = await analysisWorker().analyze(Comlink.transfer(bytes, [bytes]), name);
    } catch (e) {
      this.#fail(sequence, workerFailure(e, name));
      return;
    }
    // A newer file was opened while this one was analysed: its result wins.
    if (sequence !== this.#sequence) return;
    performance.mark(MARKS.analysed);
    if (!result.ok) {
      this.#fail(sequence, { ...result.error, name });
      return;
    }
    this.current = result.value;
    this.bytes = kept;
    this.error = null;
    this.pending = null;
    this.loads++;
    await tick();
    performance.mark(MARKS.table);
  }

  #fail(sequence: number, error: LoadError): void {
    if (sequence !== this.#sequence) return;
    // The previous analysis stays on screen: a bad file should not cost the user their view.
    this.error = error;
    this.pending = null;
    this.loads++;
  }
}

export const modelStore = new ModelStore();
