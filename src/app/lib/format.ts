// Display formatting shared by the views. Exact counts keep every digit (users
// compare them with other tools); sizes get a short binary unit.

const grouped = new Intl.NumberFormat('en-US');

/** 7157888 -> "7,157,888". */
export function formatCount(n: number): string {
  return grouped.format(n);
}

/** 7157888 -> "7.16 M": a glanceable companion to the exact count. */
export function formatCompact(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (abs >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}

/** Bytes with a binary unit: 300568 -> "293.5 KiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(2)} MiB`;
}

/**
 * Axis labels in one unit for the whole axis (0 B, 512 B, 1 KiB would read
 * unevenly): the unit is picked from the axis maximum.
 */
export function bytesAxisFormatter(max: number): (n: number) => string {
  if (max >= 1024 * 1024) return (n) => `${trim(n / (1024 * 1024))} MiB`;
  if (max >= 1024) return (n) => `${trim(n / 1024)} KiB`;
  return (n) => `${n} B`;
}

const trim = (n: number): string => String(Number(n.toFixed(2)));

/** [1, 96, 96, 1] -> "1×96×96×1"; a scalar is "scalar". */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.join('×');
}

export function formatShapes(shapes: readonly (readonly number[])[]): string {
  return shapes.map(formatShape).join(', ');
}

/** Stride and dilation pairs are stored [h, w]. */
export function formatPair(pair: readonly [number, number] | null): string {
  return pair ? `${pair[0]}×${pair[1]}` : '';
}

/** Compact, stable rendering of a quantization scale (no float noise). */
export function formatScale(scale: number): string {
  return scale === 0 ? '0' : Number(scale.toPrecision(4)).toString();
}

export interface QuantView {
  scale: number[];
  zeroPoint: number[];
  quantizedDimension: number;
}

/** "s 0.003922 · zp -128", or "per-channel ×32 (axis 3)", or "" when none. */
export function formatQuant(q: QuantView | null | undefined): string {
  if (!q || q.scale.length === 0) return '';
  if (q.scale.length > 1) return `per-channel ×${q.scale.length} (axis ${q.quantizedDimension})`;
  return `s ${formatScale(q.scale[0] ?? 0)} · zp ${q.zeroPoint[0] ?? 0}`;
}
