// How one operator becomes one kernel call in a model package. Each op's
// planner (src/core/package/kernels/**) does all set-up maths on the host and
// returns the kernel id and its params; the device only loops.
import type { Model, Operator, Subgraph, Tensor } from '../tflite/model.ts';
import type { KernelName } from './kernel-ids.ts';

/**
 * One 32-bit param word. Numbers are int32 (or uint32 if >= 2^31), `f32`
 * is stored as an IEEE float, and `array` is appended to the package's
 * constant region (16-byte aligned) and replaced by its uint32 offset there.
 */
export type ParamWord =
  | number
  | { f32: number }
  | { array: Int32Array | Int16Array | Int8Array | Uint8Array | Float32Array };

export interface KernelPlan {
  kernel: KernelName;
  params: ParamWord[];
  /** Scratch bytes this kernel needs (the package keeps the maximum). */
  scratchBytes: number;
  /**
   * Which of the TFLite op's inputs the kernel receives, by position, in
   * order (-1 passes an omitted slot). Default: all of them, as they are.
   * Leaving out an operand the host already folded into params (a shape
   * tensor, a bias merged with offsets) keeps its bytes out of the package.
   */
  inputs?: number[];
}

export interface OpContext {
  model: Model;
  subgraph: Subgraph;
  index: number;
  op: Operator;
  opName: string;
  /** null for an omitted optional input (-1). */
  inputs: (Tensor | null)[];
  outputs: Tensor[];
  /** Constant bytes of a tensor (by subgraph tensor index), or null if not constant. */
  constData: (tensorIndex: number) => Uint8Array | null;
}

/** Why an op cannot be packaged: shown to the user as-is. */
export interface Unsupported {
  op: string;
  reason: string;
}

export type PlanKernel = (ctx: OpContext) => KernelPlan | Unsupported;

export const isUnsupported = (p: KernelPlan | Unsupported): p is Unsupported => 'reason' in p;
