// What the TFLite reference is asked and what it answers. Plain data: it
// crosses from Node (or the app) to the page/worker running tfjs-tflite.
import type { NumericType, TensorData } from '../validate/tensor-data.ts';

export interface ReferenceJob {
  /** The .tflite file. */
  model: Uint8Array;
  /** One entry per inference: the model's inputs, in subgraph input order. */
  inputSets: TensorData[][];
  /** Appended to every input set (constant operands made inputs, see normalize.ts). */
  extraInputs?: TensorData[];
  /** Record per-node types (tells which nodes XNNPACK took over). */
  profile?: boolean;
}

export interface ReferenceTensorInfo {
  name: string;
  type: NumericType;
  shape: number[];
}

export interface ReferenceTiming {
  /** Interpreter creation (parse, allocate, delegate). */
  loadMs: number;
  /** All inferences, including copying inputs and outputs. */
  inferMs: number;
}

export type ReferenceResult =
  | {
      ok: true;
      inputs: ReferenceTensorInfo[];
      outputs: ReferenceTensorInfo[];
      /** Per input set, the model's outputs in subgraph output order. */
      outputSets: TensorData[][];
      /** Node types as TFLite executed them (null unless profiling). */
      nodeTypes: string[] | null;
      timing: ReferenceTiming;
    }
  | { ok: false; error: string };

/** What the reference page exposes on `window` to whoever drives it. */
export interface ReferencePageApi {
  ready: boolean;
  /** Runs the job parked at /jobs/<id>, posts to /results/<id>; returns an error or null. */
  run(id: string): Promise<string | null>;
}
