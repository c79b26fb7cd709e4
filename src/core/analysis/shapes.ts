// Shape arithmetic shared by the op checks.
import type { Padding } from './types.ts';

export function fmt(shape: readonly number[] | undefined): string {
  return shape ? `[${shape.join(', ')}]` : '[?]';
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Spatial output size of a convolution or pool window (TFLite's rule). */
export function windowOutSize(
  input: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: Padding,
): number {
  const effective = (kernel - 1) * dilation + 1;
  return padding === 'SAME'
    ? Math.ceil(input / stride)
    : Math.max(0, Math.floor((input - effective + stride) / stride));
}

/** Spatial output size of a transposed convolution. */
export function transposeOutSize(
  input: number,
  kernel: number,
  stride: number,
  padding: Padding,
): number {
  return padding === 'SAME' ? input * stride : (input - 1) * stride + kernel;
}

/** NumPy-style broadcast of two shapes; null when they are incompatible. */
export function broadcast(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Normalises a possibly negative axis; null when out of range. */
export function normAxis(axis: number, rank: number): number | null {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : null;
}
