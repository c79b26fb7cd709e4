// Drawn parameters with pinning: `p.get('stride', r => r.int(1, 3))` returns
// the override if the caller pinned 'stride', else draws it; either way the
// value is recorded so a failing case prints what it was made of.
import type { Rng } from '../validate/prng.ts';

export class Params {
  readonly values: Record<string, unknown> = {};

  constructor(
    readonly rng: Rng,
    private readonly overrides: Record<string, unknown>,
  ) {}

  get<T>(key: string, draw: (rng: Rng) => T): T {
    const v = key in this.overrides ? (this.overrides[key] as T) : draw(this.rng);
    this.values[key] = v;
    return v;
  }
}

export const ACTIVATIONS = ['NONE', 'RELU', 'RELU6', 'RELU_N1_TO_1'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** Real-valued range left after a fused activation clamps [lo, hi]. */
export function clampRange(act: Activation, lo: number, hi: number): { lo: number; hi: number } {
  const [alo, ahi] =
    act === 'RELU'
      ? [0, Infinity]
      : act === 'RELU6'
        ? [0, 6]
        : act === 'RELU_N1_TO_1'
          ? [-1, 1]
          : [-Infinity, Infinity];
  let l = Math.max(lo, alo);
  let h = Math.min(hi, ahi);
  // Entirely clamped away: keep a small range at the clamp so the output
  // scale stays sensible (the output is then constant, which is still a test).
  if (h <= l) {
    l = Number.isFinite(alo) ? alo : lo;
    h = l + Math.max(1e-3, Math.abs(hi - lo) * 0.1);
  }
  return { lo: l, hi: h };
}

/** Output size along one spatial axis (TFLite's ComputeOutSize). */
export function convOutSize(
  padding: 'SAME' | 'VALID',
  size: number,
  filter: number,
  stride: number,
  dilation = 1,
): number {
  const effective = (filter - 1) * dilation + 1;
  return padding === 'SAME'
    ? Math.ceil(size / stride)
    : Math.floor((size - effective + stride) / stride);
}
