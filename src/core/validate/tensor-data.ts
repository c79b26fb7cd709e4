// Tensor contents as typed arrays, tagged with the TFLite element type they
// hold. Shared by the reference runner, the metrics and input generation.
import type { TensorType } from '../tflite/model.ts';

export type TensorData = Int8Array | Uint8Array | Int16Array | Int32Array | Float32Array;

/** The element types we generate inputs for and compare outputs of. */
export type NumericType = 'INT8' | 'UINT8' | 'INT16' | 'INT32' | 'FLOAT32';

export const NUMERIC_TYPES: readonly NumericType[] = ['INT8', 'UINT8', 'INT16', 'INT32', 'FLOAT32'];

export function isNumericType(t: TensorType | string): t is NumericType {
  return (NUMERIC_TYPES as readonly string[]).includes(t);
}

/** Allocates a zeroed array of the type's element kind. */
export function allocTensorData(type: NumericType, length: number): TensorData {
  switch (type) {
    case 'INT8':
      return new Int8Array(length);
    case 'UINT8':
      return new Uint8Array(length);
    case 'INT16':
      return new Int16Array(length);
    case 'INT32':
      return new Int32Array(length);
    case 'FLOAT32':
      return new Float32Array(length);
  }
}

/** The element type a typed array carries (Uint8Array is read as UINT8). */
export function typeOfData(data: TensorData): NumericType {
  if (data instanceof Int8Array) return 'INT8';
  if (data instanceof Uint8Array) return 'UINT8';
  if (data instanceof Int16Array) return 'INT16';
  if (data instanceof Int32Array) return 'INT32';
  return 'FLOAT32';
}

/** Reinterprets bytes as the given type (copies, so alignment never matters). */
export function dataFromBytes(type: NumericType, bytes: Uint8Array): TensorData {
  const out = allocTensorData(type, bytes.byteLength / elementBytes(type));
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** The bytes of a typed array (a view, no copy). */
export function bytesOfData(data: TensorData): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export function elementBytes(type: NumericType): number {
  switch (type) {
    case 'INT8':
    case 'UINT8':
      return 1;
    case 'INT16':
      return 2;
    case 'INT32':
    case 'FLOAT32':
      return 4;
  }
}
