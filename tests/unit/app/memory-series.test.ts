import { describe, expect, it } from 'vitest';
import type { MemoryPlan } from '../../../src/core/analysis/types.ts';
import { arenaBars, byteTickStep } from '../../../src/app/lib/memory-series.ts';

const plan: MemoryPlan = {
  alignment: 16,
  arenaBytes: 96,
  peakLiveBytes: 80,
  planPeakBytes: 80,
  stateBytes: 0,
  noReuseBytes: 112,
  liveBytesPerStep: [80, 64, 48],
  blocks: [
    { tensor: 0, name: 'input', offset: 0, bytes: 32, firstUse: -1, lastUse: 0 },
    { tensor: 1, name: 'a', offset: 32, bytes: 48, firstUse: 0, lastUse: 1 },
    { tensor: 2, name: 'b', offset: 0, bytes: 16, firstUse: 1, lastUse: 2 },
    { tensor: 3, name: 'output', offset: 48, bytes: 16, firstUse: 2, lastUse: 3 },
  ],
};

describe('arena chart series', () => {
  it('draws one bar per tensor per step it is live, spanning its bytes', () => {
    const bars = arenaBars(plan, 3);
    expect(bars).toEqual([
      { x: 0, y: [0, 32], block: 0 },
      { x: 0, y: [32, 80], block: 1 },
      { x: 1, y: [32, 80], block: 1 },
      { x: 1, y: [0, 16], block: 2 },
      { x: 2, y: [0, 16], block: 2 },
      { x: 2, y: [48, 64], block: 3 },
    ]);
  });

  it('clamps graph inputs and outputs to the steps that exist', () => {
    const xs = arenaBars(plan, 3).map((b) => b.x);
    expect(Math.min(...xs)).toBe(0);
    expect(Math.max(...xs)).toBe(2);
  });

  it('draws nothing for a model without layers', () => {
    expect(arenaBars(plan, 0)).toEqual([]);
  });
});

describe('arena axis step', () => {
  it('is a power of two giving at most eight intervals', () => {
    for (const max of [100, 2084, 55296, 164548, 2451840]) {
      const step = byteTickStep(max);
      expect(Math.log2(step) % 1).toBe(0);
      expect(max / step).toBeLessThanOrEqual(8);
      expect(max / step).toBeGreaterThan(4);
    }
    expect(byteTickStep(55296)).toBe(8192);
    // Never a fraction of a byte.
    expect(byteTickStep(3)).toBe(1);
    expect(byteTickStep(0)).toBe(1);
  });
});
