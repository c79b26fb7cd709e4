// The single-op catalogue: every kernel id covered, every case a model that
// reads back, that our package builder turns into the kernel it names, and
// that comes out the same every time.
import { describe, expect, it } from 'vitest';
import { KERNEL_IDS } from '../../src/core/package/kernel-ids.ts';
import { CATALOGUE, catalogueCase, uncoveredKernels } from '../../src/core/testgen/catalogue.ts';
import { readModel } from '../../src/core/tflite/read.ts';
import { writeModel } from '../../src/core/tflite/write.ts';
import { packageModel } from '../../src/node/verify-kernels.ts';

describe('single-op catalogue', () => {
  it('covers every kernel id of td_kernels.h', () => {
    expect(uncoveredKernels()).toEqual([]);
    expect(new Set(CATALOGUE.map((e) => e.kernel)).size).toBe(Object.keys(KERNEL_IDS).length);
  });

  it('has unique names', () => {
    expect(new Set(CATALOGUE.map((e) => e.name)).size).toBe(CATALOGUE.length);
  });

  for (const entry of CATALOGUE) {
    it(`${entry.name} is legal, stable and packages as ${entry.kernel}`, () => {
      const c = catalogueCase(entry);
      const bytes = writeModel(c.model);
      expect(writeModel(catalogueCase(entry).model)).toEqual(bytes);
      const read = readModel(bytes);
      expect(read.ok ? null : read.error.message).toBeNull();
      const sg = c.model.subgraphs[0];
      expect(sg?.operators).toHaveLength(1);
      expect(c.inputs).toHaveLength(sg?.inputs.length ?? -1);
      // Pinned parameters are the ones drawn.
      for (const [k, v] of Object.entries(entry.overrides)) expect(c.params[k]).toEqual(v);
      const p = packageModel(c.model, bytes.byteLength);
      expect(p.ok ? p.layers.map((l) => l.kernel) : p.detail).toEqual([entry.kernel]);
    });
  }
});
