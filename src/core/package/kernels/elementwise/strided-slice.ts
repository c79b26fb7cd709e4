// STRIDED_SLICE index resolution, as TFLite does it (strided_slice.cc
// BuildStridedSliceParams, strided_slice_logic.h StartForAxis/EndForAxis):
// the ellipsis expands to the dims the spec does not name, new axes become
// size-1 dims, unnamed trailing dims are taken whole, then every dim's
// begin/end is made non-negative, clamped and overridden by its masks.
// The result is, per input dim, the first index, the step and the count,
// plus the output shape (shrunk axes removed, new axes kept as 1).

export interface SliceMasks {
  beginMask: number;
  endMask: number;
  ellipsisMask: number;
  newAxisMask: number;
  shrinkAxisMask: number;
  offset: boolean;
}

export interface ResolvedSlice {
  /** One entry per input dim. */
  dims: { start: number; stride: number; count: number }[];
  outputShape: number[];
}

const bit = (mask: number, i: number): boolean => ((mask >>> i) & 1) === 1;
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

export function resolveStridedSlice(
  inputShape: readonly number[],
  begin: readonly number[],
  end: readonly number[],
  strides: readonly number[],
  masks: SliceMasks,
): ResolvedSlice | string {
  const n = begin.length;
  if (end.length !== n || strides.length !== n) return 'begin, end and strides differ in length';
  if (n > 8) return 'too many slice dims';
  const inputDims = inputShape.length;
  let numAddAxis = 0;
  for (let i = 0; i < n; i++) {
    if (!bit(masks.ellipsisMask, i) && bit(masks.newAxisMask, i)) numAddAxis++;
  }
  const effectiveDims = inputDims + numAddAxis;
  if (effectiveDims > 8) return 'too many dims';
  // Where the ellipsis lies in the effective dims, and which dims are new axes.
  let ellipsisDims = 0;
  let newAxisDims = 0;
  let ellipsisStart = effectiveDims;
  let expanded = 0;
  for (let i = 0; i < effectiveDims;) {
    if (bit(masks.ellipsisMask, i)) {
      ellipsisStart = i;
      const ellipsisEnd = Math.max(
        i + 1,
        Math.min(i + 1 + numAddAxis + inputDims - n, effectiveDims),
      );
      expanded = ellipsisEnd - ellipsisStart - 1;
      for (; i < ellipsisEnd; i++) ellipsisDims |= 1 << i;
      continue;
    }
    if (i - expanded >= 0 && bit(masks.newAxisMask, i - expanded)) newAxisDims |= 1 << i;
    i++;
  }
  interface Eff {
    size: number;
    start: number;
    stop: number;
    stride: number;
    begin: boolean;
    end: boolean;
    shrink: boolean;
    newAxis: boolean;
  }
  const eff: Eff[] = [];
  let addedEllipsis = 0;
  let addedAxes = 0;
  for (let i = 0; i < effectiveDims; i++) {
    const inputDim = (k: number): number | undefined => inputShape[k];
    if (bit(ellipsisDims, i)) {
      addedEllipsis = Math.max(0, i - ellipsisStart);
      const size = inputDim(i - addedAxes);
      if (size === undefined) return 'ellipsis out of range';
      eff.push({
        size,
        start: 0,
        stop: 0,
        stride: 1,
        begin: true,
        end: true,
        shrink: false,
        newAxis: false,
      });
    } else if (bit(newAxisDims, i)) {
      eff.push({
        size: 1,
        start: 0,
        stop: 1,
        stride: 1,
        begin: false,
        end: false,
        shrink: false,
        newAxis: true,
      });
      addedAxes++;
    } else if (i >= n + expanded) {
      const size = inputDim(i - addedAxes);
      if (size === undefined) return 'slice dims out of range';
      eff.push({
        size,
        start: 0,
        stop: 0,
        stride: 1,
        begin: true,
        end: true,
        shrink: false,
        newAxis: false,
      });
    } else {
      const o = i - addedEllipsis;
      const size = inputDim(i - addedAxes);
      if (size === undefined) return 'slice dims out of range';
      eff.push({
        size,
        start: begin[o] as number,
        stop: end[o] as number,
        stride: strides[o] as number,
        begin: bit(masks.beginMask, o),
        end: bit(masks.endMask, o),
        shrink: bit(masks.shrinkAxisMask, o),
        newAxis: false,
      });
    }
  }
  const dims: ResolvedSlice['dims'] = [];
  const outputShape: number[] = [];
  for (const e of eff) {
    if (e.stride === 0) return 'stride 0';
    let start = e.start;
    if (start < 0) start += e.size;
    start = e.stride > 0 ? clamp(start, 0, e.size) : clamp(start, -1, e.size - 1);
    if (e.begin) start = e.stride > 0 ? 0 : e.size - 1;
    let stop: number;
    if (e.shrink) {
      if (start >= e.size || start < 0) return 'shrunk index out of range';
      stop = start + 1;
    } else {
      stop = e.stop;
      if (masks.offset) stop += start;
      if (stop < 0) stop += e.size;
      stop = e.stride > 0 ? clamp(stop, 0, e.size) : clamp(stop, -1, e.size - 1);
      if (e.end) stop = e.stride > 0 ? e.size : -1;
    }
    const stride = e.shrink ? 1 : e.stride;
    const count = Math.max(0, Math.ceil((stop - start) / stride));
    if (!e.shrink) outputShape.push(count);
    if (!e.newAxis) dims.push({ start: count > 0 ? start : 0, stride, count });
  }
  if (dims.length !== inputDims) return 'slice does not cover the input dims';
  return { dims, outputShape };
}
