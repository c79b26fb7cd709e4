// Random shapes for the shape-agnostic ops: small ranks and dims (tests stay
// fast), broadcast-compatible pairs, axis choices.
import type { Rng } from '../validate/prng.ts';

export const count = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

export function randomShape(rng: Rng, minRank = 1, maxRank = 4, maxDim = 6): number[] {
  const rank = rng.int(minRank, maxRank);
  return Array.from({ length: rank }, () => rng.int(1, maxDim));
}

/** A shape `full` broadcasts from: some dims set to 1, some leading dims dropped. */
export function broadcastableFrom(rng: Rng, full: number[]): number[] {
  const keep = rng.chance(0.3) ? rng.int(1, full.length) : full.length;
  return full.slice(full.length - keep).map((d) => (rng.chance(0.5) ? 1 : d));
}

/** NumPy broadcasting of two shapes (they must be compatible). */
export function broadcastShapes(a: number[], b: number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`shapes ${a} and ${b} do not broadcast`);
    return Math.max(x, y);
  });
}

export function permutation(rng: Rng, n: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [p[i], p[j]] = [p[j] as number, p[i] as number];
  }
  return p;
}

/** A different shape with the same element count (a random refactoring). */
export function reshapeOf(rng: Rng, shape: number[]): number[] {
  const factors: number[] = [];
  for (let n = count(shape), f = 2; n > 1;) {
    if (n % f === 0) {
      factors.push(f);
      n /= f;
    } else f++;
  }
  const rank = rng.int(1, 4);
  const out = Array.from({ length: rank }, () => 1);
  for (const f of factors) {
    const i = rng.int(0, rank - 1);
    out[i] = (out[i] as number) * f;
  }
  return out;
}
