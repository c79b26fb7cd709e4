import { describe, expect, it } from 'vitest';
import {
  accumulate,
  compareTensors,
  emptyStats,
  relativeError,
  summarize,
} from '../../src/core/validate/metrics.ts';

describe('compareTensors', () => {
  it('counts bit-exact elements and the largest difference in steps', () => {
    const m = compareTensors(Int8Array.of(1, 2, 3, -128), Int8Array.of(1, 3, 3, 127));
    expect(m.exactShare).toBe(0.5);
    expect(m.maxAbsDiff).toBe(255);
    expect(m.elements).toBe(4);
  });

  it('computes MAE and RMSE on dequantized values', () => {
    const quant = { scale: 0.5, zeroPoint: 10 };
    // Differences of 2 and 4 steps: 1.0 and 2.0 in real units.
    const m = compareTensors(Int16Array.of(12, 14, 10), Int16Array.of(10, 10, 10), { quant });
    expect(m.mae).toBeCloseTo(1, 12);
    expect(m.rmse).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(m.maxAbsDiff).toBe(4);
  });

  it('gives cosine 1 for identical or both-zero tensors and -1 for negated ones', () => {
    expect(compareTensors(Float32Array.of(1, 2), Float32Array.of(1, 2)).cosine).toBeCloseTo(1, 12);
    expect(compareTensors(Float32Array.of(0, 0), Float32Array.of(0, 0)).cosine).toBe(1);
    expect(compareTensors(Float32Array.of(1, -2), Float32Array.of(-1, 2)).cosine).toBeCloseTo(
      -1,
      12,
    );
    expect(compareTensors(Float32Array.of(0, 0), Float32Array.of(1, 0)).cosine).toBe(0);
  });

  it('checks top-1 per row of the last axis and accepts ties in the reference', () => {
    // Rows of 3: row 0 agrees, row 1 disagrees, row 2 picks one of two tied maxima.
    const actual = Int8Array.of(0, 9, 1, 5, 0, 0, 7, 0, 1);
    const expected = Int8Array.of(0, 8, 1, 0, 6, 0, 7, 0, 7);
    const m = compareTensors(actual, expected, { rowLength: 3 });
    expect(m.top1Agreement).toBeCloseTo(2 / 3, 12);
  });

  it('reports relative error normalised so near-zero values use the absolute bound', () => {
    expect(relativeError(1.00001, 1)).toBeCloseTo(1e-5, 9);
    // |Δ| = 1e-6 near zero counts as exactly at the bound (1e-5).
    expect(relativeError(1e-6, 0)).toBeCloseTo(1e-5, 12);
    expect(relativeError(NaN, NaN)).toBe(0);
    expect(relativeError(Infinity, 1)).toBe(Infinity);
  });

  it('flags a NaN on one side as a non-finite mismatch with infinite error', () => {
    const m = compareTensors(Float32Array.of(NaN, 1), Float32Array.of(0, 1));
    expect(m.nonFiniteMismatch).toBe(1);
    expect(m.maxRelError).toBe(Infinity);
    const same = compareTensors(Float32Array.of(NaN), Float32Array.of(NaN));
    expect(same.nonFiniteMismatch).toBe(0);
    expect(same.exactShare).toBe(1);
  });

  it('refuses tensors of different lengths or types', () => {
    expect(() => compareTensors(Int8Array.of(1), Int8Array.of(1, 2))).toThrow(/length/);
    expect(() => compareTensors(Int8Array.of(1), Uint8Array.of(1))).toThrow(/type/);
  });
});

describe('accumulate', () => {
  it('merges inferences into one summary', () => {
    const s = emptyStats('INT8');
    accumulate(s, Int8Array.of(1, 2), Int8Array.of(1, 2));
    accumulate(s, Int8Array.of(5, 2), Int8Array.of(3, 2));
    const m = summarize(s);
    expect(m.elements).toBe(4);
    expect(m.exactShare).toBe(0.75);
    expect(m.maxAbsDiff).toBe(2);
    expect(m.top1Agreement).toBe(1);
  });
});
