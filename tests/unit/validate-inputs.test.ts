import { describe, expect, it } from 'vitest';
import {
  generateInputSet,
  generateInputSets,
  generateTensor,
  TYPE_RANGE,
  type InputSpec,
} from '../../src/core/validate/inputs.ts';
import { createRng, hashSeed } from '../../src/core/validate/prng.ts';
import { NUMERIC_TYPES, typeOfData } from '../../src/core/validate/tensor-data.ts';

describe('prng', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 8 }, () => a.u32());
    expect(Array.from({ length: 8 }, () => b.u32())).toEqual(xs);
    expect(Array.from({ length: 8 }, () => c.u32())).not.toEqual(xs);
  });

  it('draws integers inside inclusive bounds, reaching both ends', () => {
    const r = createRng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(-3, 3);
      expect(v).toBeGreaterThanOrEqual(-3);
      expect(v).toBeLessThanOrEqual(3);
      seen.add(v);
    }
    expect(seen.size).toBe(7);
  });

  it('hashes seed parts so that order matters', () => {
    expect(hashSeed('a', 1)).toBe(hashSeed('a', 1));
    expect(hashSeed('a', 1)).not.toBe(hashSeed(1, 'a'));
  });
});

describe('input generation', () => {
  const specs: InputSpec[] = NUMERIC_TYPES.map((type) => ({ type, shape: [4, 64] }));

  it('produces each type with its shape, inside the type range', () => {
    const set = generateInputSet(specs, 1, 5);
    set.forEach((t, i) => {
      const spec = specs[i] as InputSpec;
      expect(typeOfData(t)).toBe(spec.type);
      expect(t.length).toBe(256);
      const [lo, hi] = TYPE_RANGE[spec.type];
      for (const v of t) {
        expect(v).toBeGreaterThanOrEqual(lo);
        expect(v).toBeLessThanOrEqual(hi);
      }
    });
  });

  it('is reproducible per set: set k regenerates alone', () => {
    const all = generateInputSets(specs, 6, 99);
    expect(generateInputSet(specs, 99, 4)).toEqual(all[4]);
    expect(generateInputSets(specs, 6, 100)).not.toEqual(all);
  });

  it('covers the whole int8 range, with the first set probing the extremes', () => {
    const spec: InputSpec = { type: 'INT8', shape: [1000] };
    const [extremes] = generateInputSets([spec], 1, 3)[0] as [Int8Array];
    const ends = extremes.filter((v) => v === -128 || v === 127).length;
    expect(ends).toBeGreaterThan(700);
    const uniform = generateInputSet([spec], 3, 5)[0] as Int8Array;
    expect(Math.min(...uniform)).toBe(-128);
    expect(Math.max(...uniform)).toBe(127);
  });

  it('keeps the narrow set near the zero point', () => {
    const spec: InputSpec = { type: 'INT8', shape: [500], zeroPoint: -100 };
    const narrow = generateInputSet([spec], 8, 1)[0] as Int8Array;
    const mean = narrow.reduce((a, b) => a + b, 0) / narrow.length;
    expect(Math.abs(mean + 100)).toBeLessThan(5);
  });

  it('honours explicit ranges and fixed values', () => {
    const r = createRng(1);
    const t = generateTensor({ type: 'FLOAT32', shape: [100], range: [2, 3] }, r);
    for (const v of t) expect(v >= 2 && v <= 3).toBe(true);
    const fixed = generateTensor(
      { type: 'INT32', shape: [4], fixed: [1, 3, 12, 64] },
      r,
      'extremes',
    );
    expect([...fixed]).toEqual([1, 3, 12, 64]);
    expect(() => generateTensor({ type: 'INT32', shape: [3], fixed: [1] }, r)).toThrow(/length/);
  });
});
