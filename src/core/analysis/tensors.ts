// Tensor facts the analysis needs: element counts, byte sizes, constness.
import type { Model, Subgraph, Tensor, TensorType } from '../tflite/model.ts';
import type { TensorRef } from './types.ts';

/** Bits per element; 0 for types whose size is not known from the shape. */
const BITS: Record<TensorType, number> = {
  FLOAT32: 32,
  FLOAT16: 16,
  INT32: 32,
  UINT8: 8,
  INT64: 64,
  STRING: 0,
  BOOL: 8,
  INT16: 16,
  COMPLEX64: 64,
  INT8: 8,
  FLOAT64: 64,
  COMPLEX128: 128,
  UINT64: 64,
  RESOURCE: 0,
  VARIANT: 0,
  UINT32: 32,
  UINT16: 16,
  INT4: 4,
  BFLOAT16: 16,
};

/** Product of dims; a scalar (empty shape) has one element. Dynamic (-1) dims count as 1. */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d < 0 ? 1 : d;
  return n;
}

export function hasDynamicDims(shape: readonly number[]): boolean {
  return shape.some((d) => d < 0);
}

export interface TensorSize {
  bytes: number;
  /** Set when the size could not be known exactly. */
  warning: string | null;
}

export function tensorSize(t: Tensor): TensorSize {
  const bits = BITS[t.type] ?? 0;
  if (bits === 0) {
    return {
      bytes: 0,
      warning: `tensor '${t.name}' has type ${t.type}: size unknown, counted as 0 bytes`,
    };
  }
  // INT4 packs two elements per byte, rounding up.
  const bytes = Math.ceil((elementCount(t.shape) * bits) / 8);
  const warning = hasDynamicDims(t.shape)
    ? `tensor '${t.name}' has dynamic dims [${t.shape.join(', ')}]: sized with 1 for each`
    : null;
  return { bytes, warning };
}

export function tensorBytes(t: Tensor): number {
  return tensorSize(t).bytes;
}

/** A tensor is constant when its buffer holds data (weights, biases, tables). */
export function isConstant(model: Model, t: Tensor): boolean {
  const buf = model.buffers[t.buffer];
  return t.buffer > 0 && buf !== undefined && buf.data.length > 0;
}

export function constantData(model: Model, t: Tensor): Uint8Array | null {
  return isConstant(model, t) ? (model.buffers[t.buffer]?.data ?? null) : null;
}

export function tensorRef(sg: Subgraph, index: number): TensorRef {
  const t = sg.tensors[index];
  if (!t) return { index, name: `<missing ${index}>`, type: 'UNKNOWN', shape: [], bytes: 0 };
  return { index, name: t.name, type: t.type, shape: [...t.shape], bytes: tensorBytes(t) };
}

/** Reads a constant integer tensor (INT32 or INT64) as numbers; null if not constant. */
export function constantInts(model: Model, t: Tensor | undefined): number[] | null {
  if (!t) return null;
  const data = constantData(model, t);
  if (!data) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: number[] = [];
  if (t.type === 'INT32') {
    for (let i = 0; i + 4 <= data.byteLength; i += 4) out.push(view.getInt32(i, true));
  } else if (t.type === 'INT64') {
    for (let i = 0; i + 8 <= data.byteLength; i += 8) out.push(Number(view.getBigInt64(i, true)));
  } else {
    return null;
  }
  return out;
}
