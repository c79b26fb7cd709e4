// Window geometry as TFLite computes it (tensorflow/lite/kernels/padding.h):
// output sizes, and the padding a SAME/VALID window implies.

export type Padding = 'SAME' | 'VALID';

/** TFLite ComputeOutSize; 0 when the window does not fit (VALID). */
export function computeOutSize(
  padding: Padding,
  inSize: number,
  filterSize: number,
  stride: number,
  dilation = 1,
): number {
  const effective = (filterSize - 1) * dilation + 1;
  if (stride === 0) return 0;
  return padding === 'SAME'
    ? Math.floor((inSize + stride - 1) / stride)
    : Math.max(0, Math.floor((inSize + stride - effective) / stride));
}

/**
 * TFLite ComputePaddingWithOffset: the padding before the first element is
 * floor(total / 2) (total = (out - 1) * stride + effective filter - in,
 * at least 0); the odd remainder goes after the last and never shows in
 * the reference loops.
 */
export function computePadding(
  stride: number,
  dilation: number,
  inSize: number,
  filterSize: number,
  outSize: number,
): number {
  const effective = (filterSize - 1) * dilation + 1;
  const total = Math.max(0, (outSize - 1) * stride + effective - inSize);
  return Math.floor(total / 2);
}

export interface Window2d {
  strideW: number;
  strideH: number;
  dilationW: number;
  dilationH: number;
  filterW: number;
  filterH: number;
  padding: Padding;
}

/** TFLite ComputePaddingHeightWidth: output size and leading pads. */
export function windowGeometry(
  inH: number,
  inW: number,
  w: Window2d,
): { outH: number; outW: number; padH: number; padW: number } {
  const outH = computeOutSize(w.padding, inH, w.filterH, w.strideH, w.dilationH);
  const outW = computeOutSize(w.padding, inW, w.filterW, w.strideW, w.dilationW);
  return {
    outH,
    outW,
    padH: computePadding(w.strideH, w.dilationH, inH, w.filterH, outH),
    padW: computePadding(w.strideW, w.dilationW, inW, w.filterW, outW),
  };
}
