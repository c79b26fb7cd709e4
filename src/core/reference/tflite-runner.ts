// Runs a reference job on tfjs-tflite (TFLite compiled to WASM). No DOM and no
// imports of tfjs itself: the caller hands in the loaded `tflite` namespace
// (UMD global in a page or worker), so this file works wherever it is loaded.
import { allocTensorData, typeOfData } from '../validate/tensor-data.ts';
import type { NumericType, TensorData } from '../validate/tensor-data.ts';
import type { ReferenceJob, ReferenceResult, ReferenceTensorInfo } from './types.ts';

/** The slice of tfjs-tflite's low-level model runner we use. */
export interface TfliteTensorHandle {
  dataType: string;
  name: string;
  /** Comma-separated dims, e.g. "1,96,96,1". */
  shape: string;
  /** A view of the interpreter's tensor memory (valid until the next call). */
  data(): ArrayBufferView & ArrayLike<number>;
}

export interface TfliteModelRunner {
  getInputs(): TfliteTensorHandle[];
  getOutputs(): TfliteTensorHandle[];
  infer(): boolean;
  getProfilingResults(): { nodeType: string }[];
  cleanUp(): void;
}

export interface TfliteApi {
  loadTFLiteModel(
    model: ArrayBuffer,
    options?: { numThreads?: number; enableProfiling?: boolean },
  ): Promise<unknown>;
}

// tfjs-tflite lower-cases TFLite's type names.
const TYPE_OF: Record<string, NumericType> = {
  int8: 'INT8',
  uint8: 'UINT8',
  int16: 'INT16',
  int32: 'INT32',
  float32: 'FLOAT32',
};

function describe(h: TfliteTensorHandle): ReferenceTensorInfo {
  const type = TYPE_OF[h.dataType];
  if (!type) throw new Error(`tensor '${h.name}' has unsupported type ${h.dataType}`);
  const shape = h.shape === '' ? [] : h.shape.split(',').map(Number);
  return { name: h.name, type, shape };
}

const now = (): number => globalThis.performance.now();

export async function runReferenceJob(
  api: TfliteApi,
  job: ReferenceJob,
  // One thread: results must not depend on the machine, and callers
  // parallelise across models rather than inside one.
  numThreads = 1,
): Promise<ReferenceResult> {
  const t0 = now();
  let runner: TfliteModelRunner;
  try {
    // loadTFLiteModel keeps the buffer; give it a private copy.
    const buf = job.model.slice().buffer;
    const model = await api.loadTFLiteModel(buf, {
      numThreads,
      enableProfiling: job.profile === true,
    });
    // The public predict() goes through tfjs tensors (no int16 inputs, extra
    // copies); the low-level runner exposes the interpreter's own buffers.
    runner = (model as { modelRunner: TfliteModelRunner }).modelRunner;
  } catch (e) {
    return { ok: false, error: `TFLite could not load the model: ${String(e)}` };
  }
  try {
    const inHandles = runner.getInputs();
    const inputs = inHandles.map(describe);
    let outputs = runner.getOutputs().map(describe);
    const t1 = now();
    const outputSets: TensorData[][] = [];
    const extra = job.extraInputs ?? [];
    for (const [s, given] of job.inputSets.entries()) {
      const set = extra.length > 0 ? [...given, ...extra] : given;
      if (set.length !== inHandles.length) {
        throw new Error(`input set ${s}: ${set.length} tensors, model has ${inHandles.length}`);
      }
      for (const [i, h] of inHandles.entries()) {
        const src = set[i] as TensorData;
        const info = inputs[i] as ReferenceTensorInfo;
        const dst = h.data() as unknown as TensorData;
        if (typeOfData(src) !== info.type || src.length !== dst.length) {
          throw new Error(
            `input set ${s}, input ${i} ('${info.name}'): got ${typeOfData(src)}[${src.length}], ` +
              `model wants ${info.type}[${dst.length}]`,
          );
        }
        dst.set(src as never);
      }
      if (!runner.infer()) throw new Error(`inference failed on input set ${s}`);
      // Fresh handles: a dynamic output (e.g. TRANSPOSE_CONV with its shape
      // as a runtime input) is reallocated by infer(), so views (and shapes)
      // taken before it are stale.
      const outHandles = runner.getOutputs();
      outputs = outHandles.map(describe);
      outputSets.push(
        outHandles.map((h, o) => {
          const view = h.data() as unknown as TensorData;
          const info = outputs[o] as ReferenceTensorInfo;
          const copy = allocTensorData(info.type, view.length);
          copy.set(view as never);
          return copy;
        }),
      );
    }
    const t2 = now();
    const nodeTypes = job.profile ? runner.getProfilingResults().map((p) => p.nodeType) : null;
    return {
      ok: true,
      inputs,
      outputs,
      outputSets,
      nodeTypes,
      timing: { loadMs: t1 - t0, inferMs: t2 - t1 },
    };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  } finally {
    // Frees the interpreter and the model copy in WASM memory: a session runs
    // many models.
    runner.cleanUp();
  }
}
