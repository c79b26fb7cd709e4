// The in-memory TFLite model: a faithful, plain-data mirror of the schema
// (tensorflow/lite/schema/schema.fbs, version 3). The reader produces it, the
// writer consumes it, so read -> write -> read must give an equal value.
// Plain objects and typed arrays only: it crosses worker boundaries by
// structured clone.

export type TensorType =
  | 'FLOAT32'
  | 'FLOAT16'
  | 'INT32'
  | 'UINT8'
  | 'INT64'
  | 'STRING'
  | 'BOOL'
  | 'INT16'
  | 'COMPLEX64'
  | 'INT8'
  | 'FLOAT64'
  | 'COMPLEX128'
  | 'UINT64'
  | 'RESOURCE'
  | 'VARIANT'
  | 'UINT32'
  | 'UINT16'
  | 'INT4'
  | 'BFLOAT16';

/** Schema order: the enum value is the index. */
export const TENSOR_TYPES: readonly TensorType[] = [
  'FLOAT32',
  'FLOAT16',
  'INT32',
  'UINT8',
  'INT64',
  'STRING',
  'BOOL',
  'INT16',
  'COMPLEX64',
  'INT8',
  'FLOAT64',
  'COMPLEX128',
  'UINT64',
  'RESOURCE',
  'VARIANT',
  'UINT32',
  'UINT16',
  'INT4',
  'BFLOAT16',
];

export interface Quantization {
  /** Empty when absent. Per-channel when length > 1. */
  scale: number[];
  zeroPoint: number[];
  min: number[];
  max: number[];
  quantizedDimension: number;
}

export interface Tensor {
  name: string;
  shape: number[];
  /** Dims with -1 for dynamic axes; null when the model does not carry it. */
  shapeSignature: number[] | null;
  type: TensorType;
  /** Index into Model.buffers; 0 is the empty sentinel buffer. */
  buffer: number;
  isVariable: boolean;
  quantization: Quantization | null;
}

export interface OperatorCode {
  /** Resolved builtin code: max(deprecated_builtin_code, builtin_code). */
  builtinCode: number;
  deprecatedBuiltinCode: number;
  customCode: string | null;
  version: number;
}

/**
 * Builtin options as a typed record. `type` is the schema's BuiltinOptions
 * union tag name (e.g. 'Conv2DOptions'); each field is named by the schema
 * field name in camelCase (stride_w -> strideW, fused_activation_function ->
 * fusedActivationFunction) and enums hold their schema names as strings
 * (padding: 'SAME' | 'VALID'; fusedActivationFunction: 'NONE' | 'RELU' | ...).
 * Absent fields take the schema defaults, so every field is always present.
 */
export interface BuiltinOptions {
  type: string;
  fields: Record<string, number | boolean | string | number[]>;
}

export interface Operator {
  opcodeIndex: number;
  /** -1 marks an omitted optional input. */
  inputs: number[];
  outputs: number[];
  intermediates: number[];
  builtinOptions: BuiltinOptions | null;
  /** Options from the second union (BuiltinOptions2), when present. */
  builtinOptions2: BuiltinOptions | null;
  customOptions: Uint8Array | null;
}

export interface Subgraph {
  name: string;
  tensors: Tensor[];
  inputs: number[];
  outputs: number[];
  operators: Operator[];
}

export interface Buffer {
  /** Constant bytes (a view into the file is fine); empty when none. */
  data: Uint8Array;
}

export interface Metadata {
  name: string;
  buffer: number;
}

export interface TensorMap {
  name: string;
  tensorIndex: number;
}

export interface SignatureDef {
  signatureKey: string;
  subgraphIndex: number;
  inputs: TensorMap[];
  outputs: TensorMap[];
}

export interface Model {
  version: number;
  description: string;
  operatorCodes: OperatorCode[];
  subgraphs: Subgraph[];
  buffers: Buffer[];
  metadata: Metadata[];
  signatureDefs: SignatureDef[];
}
