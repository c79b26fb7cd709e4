// The model package as plain data: what the writer serialises and the
// parser returns, so that parse(write(p)) deep-equals p.
import type { PackageDtype } from './format.ts';

export type TensorKind = 'const' | 'arena' | 'state';

export interface PackageTensor {
  dtype: PackageDtype;
  shape: number[];
  kind: TensorKind;
  /** Offset into the constant region (const) or the arena (arena, state). */
  offset: number;
  bytes: number;
  zeroPoint: number;
  /** As stored: a float32 value (0 when not quantized). */
  scale: number;
  /** The tensor's index in the TFLite subgraph. */
  source: number;
}

export interface PackageOp {
  kernelId: number;
  /** TFLite operator index this layer comes from. */
  sourceOp: number;
  /** Package tensor indices; -1 for an omitted optional input. */
  inputs: number[];
  outputs: number[];
  /** Param words as unsigned 32-bit values. */
  params: number[];
  /** Param words that hold constant-region offsets, with the array length. */
  arrays: { word: number; bytes: number }[];
}

export interface PackageContents {
  version: number;
  tensors: PackageTensor[];
  ops: PackageOp[];
  inputs: number[];
  outputs: number[];
  constData: Uint8Array;
  arenaBytes: number;
  scratchBytes: number;
}
