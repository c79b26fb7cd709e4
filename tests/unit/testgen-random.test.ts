import { describe, expect, it } from 'vitest';
import { KERNEL_IDS, type KernelName } from '../../src/core/package/kernel-ids.ts';
import { generateCase, randomCase, randomCases } from '../../src/core/testgen/random.ts';
import { convOutSize } from '../../src/core/testgen/params.ts';
import { broadcastShapes, reshapeOf, count } from '../../src/core/testgen/shapes.ts';
import { createRng } from '../../src/core/validate/prng.ts';
import { readModel } from '../../src/core/tflite/read.ts';
import { writeModel } from '../../src/core/tflite/write.ts';
import { analyzeModel } from '../../src/core/analysis/analyze.ts';
import { packageModel } from '../../src/node/verify-kernels.ts';

const KERNELS = Object.keys(KERNEL_IDS) as KernelName[];

describe('random single-op models', () => {
  it('rebuilds case i of a seed identically, and differs across seeds', () => {
    const a = writeModel(randomCase(5, 17).model);
    expect(writeModel(randomCase(5, 17).model)).toEqual(a);
    expect(writeModel(randomCase(6, 17).model)).not.toEqual(a);
  });

  it('takes kernels round-robin so a short run spreads over all of them', () => {
    const kernels = randomCases(3, KERNELS.length).map((c) => c.kernel);
    expect(new Set(kernels).size).toBe(KERNELS.length);
  });

  it('pins overridden parameters', () => {
    const c = generateCase('CONV_2D_S8', 9, {
      padding: 'VALID',
      kernelH: 3,
      strideH: 2,
      dilationH: 2,
    });
    const opts = c.model.subgraphs[0]?.operators[0]?.builtinOptions?.fields;
    expect(opts?.padding).toBe('VALID');
    expect(opts?.strideH).toBe(2);
    expect(opts?.dilationHFactor).toBe(2);
    expect(c.model.subgraphs[0]?.tensors.find((t) => t.name === 'const1')?.shape[1]).toBe(3);
  });

  // Two rounds over every kernel: each model reads back, its declared shapes
  // agree with the analysis, and the package builder picks the kernel the
  // case was made for.
  const cases = randomCases(11, KERNELS.length * 2);
  for (const c of cases) {
    it(`${c.name} is a legal model for ${c.kernel}`, () => {
      const bytes = writeModel(c.model);
      const read = readModel(bytes);
      expect(read.ok ? null : read.error.message).toBeNull();
      const warnings = analyzeModel(c.model, bytes.byteLength).layers.flatMap((l) => l.warnings);
      expect(warnings).toEqual([]);
      const p = packageModel(c.model, bytes.byteLength);
      expect(p.ok ? p.layers.map((l) => l.kernel) : p.detail).toEqual([c.kernel]);
    });
  }
});

describe('shape helpers', () => {
  it('computes TFLite output sizes', () => {
    expect(convOutSize('SAME', 7, 3, 2)).toBe(4);
    expect(convOutSize('VALID', 7, 3, 2)).toBe(3);
    expect(convOutSize('VALID', 7, 3, 1, 3)).toBe(1);
  });

  it('broadcasts and refactors shapes', () => {
    expect(broadcastShapes([2, 1, 4], [3, 1])).toEqual([2, 3, 4]);
    expect(() => broadcastShapes([2], [3])).toThrow();
    const r = createRng(4);
    for (let i = 0; i < 50; i++) {
      const s = [r.int(1, 6), r.int(1, 6), r.int(1, 6)];
      expect(count(reshapeOf(r, s))).toBe(count(s));
    }
  });
});
