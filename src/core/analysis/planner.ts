// Offline arena planner: gives every activation tensor an offset in one
// arena so that tensors alive at the same step never share bytes.
//
// Placement is greedy: tensors are taken in some order and each goes into
// the smallest aligned gap left by already placed tensors whose lifetimes
// overlap its own (best fit), or on top of them. No single order is best for
// every graph, so several orders are tried and the smallest arena is kept.
import type { Lifetime } from './lifetimes.ts';
import { keepStateAlive, liveBytesPerStep, peakLive } from './lifetimes.ts';
import type { MemoryBlock, MemoryPlan } from './types.ts';

export const DEFAULT_ALIGNMENT = 16;

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

const overlapInTime = (a: Lifetime, b: Lifetime): boolean =>
  a.firstUse <= b.lastUse && b.firstUse <= a.lastUse;

const span = (l: Lifetime): number => l.lastUse - l.firstUse + 1;

type Order = (a: Lifetime, b: Lifetime) => number;

/** Orders tried; ties always fall back to tensor index so plans are reproducible. */
const ORDERS: readonly Order[] = [
  (a, b) => b.bytes - a.bytes || a.firstUse - b.firstUse,
  (a, b) => b.bytes * span(b) - a.bytes * span(a) || b.bytes - a.bytes,
  (a, b) => span(b) - span(a) || b.bytes - a.bytes,
  (a, b) => a.firstUse - b.firstUse || b.bytes - a.bytes,
  (a, b) => b.lastUse - a.lastUse || b.bytes - a.bytes,
];

interface Placed {
  l: Lifetime;
  offset: number;
}

/** Places tensors in the given order; returns offsets by position in `lifetimes`. */
function placeInOrder(
  lifetimes: readonly Lifetime[],
  order: readonly number[],
  alignment: number,
): { offsets: number[]; arena: number } {
  const offsets = new Array<number>(lifetimes.length).fill(0);
  // Kept sorted by offset, so the gaps between conflicting blocks come in order.
  const placed: Placed[] = [];
  let arena = 0;
  for (const i of order) {
    const l = lifetimes[i] as Lifetime;
    if (l.bytes === 0) continue;
    let best = -1;
    let bestGap = Infinity;
    let candidate = 0;
    for (const p of placed) {
      if (!overlapInTime(p.l, l)) continue;
      const gap = p.offset - candidate;
      if (gap >= l.bytes && gap < bestGap) {
        best = candidate;
        bestGap = gap;
      }
      candidate = Math.max(candidate, alignUp(p.offset + p.l.bytes, alignment));
    }
    const offset = best >= 0 ? best : candidate;
    offsets[i] = offset;
    let at = placed.length;
    while (at > 0 && (placed[at - 1] as Placed).offset > offset) at--;
    placed.splice(at, 0, { l, offset });
    arena = Math.max(arena, offset + l.bytes);
  }
  return { offsets, arena };
}

/**
 * Plans the arena. `lifetimes` are the per-invocation uses (activationLifetimes);
 * variable tensors are kept alive for the whole run before placement.
 */
export function planMemory(
  lifetimes: readonly Lifetime[],
  steps: number,
  alignment = DEFAULT_ALIGNMENT,
): MemoryPlan {
  const planned = keepStateAlive(lifetimes, steps);
  const planPeak = peakLive(planned, steps);
  let best: { offsets: number[]; arena: number } | null = null;
  const indices = planned.map((_, i) => i);
  for (const cmp of ORDERS) {
    const order = [...indices].sort((a, b) => {
      const la = planned[a] as Lifetime;
      const lb = planned[b] as Lifetime;
      return cmp(la, lb) || la.tensor - lb.tensor;
    });
    const result = placeInOrder(planned, order, alignment);
    if (!best || result.arena < best.arena) best = result;
    if (best.arena <= planPeak) break; // no plan can beat the live peak
  }
  const offsets = best?.offsets ?? [];
  const blocks: MemoryBlock[] = planned.map((l, i) => ({
    tensor: l.tensor,
    name: l.name,
    offset: offsets[i] ?? 0,
    bytes: l.bytes,
    firstUse: l.firstUse,
    lastUse: l.lastUse,
  }));
  return {
    alignment,
    arenaBytes: best?.arena ?? 0,
    peakLiveBytes: peakLive(lifetimes, steps),
    planPeakBytes: planPeak,
    stateBytes: planned.reduce((s, l) => s + (l.variable ? l.bytes : 0), 0),
    noReuseBytes: planned.reduce((s, l) => s + l.bytes, 0),
    blocks,
    liveBytesPerStep: liveBytesPerStep(planned, steps),
  };
}
