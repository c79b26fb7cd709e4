// The elementwise kernels' check functions against hostile packages: param
// words and tensor shapes are rewritten (CRC recomputed by the writer, so the
// rewrites reach the kernel checks) and loaded by the sanitized host runtime.
// A rewrite must be rejected, or, if accepted, run without any
// AddressSanitizer/UBSan report.
import { describe, expect, it } from 'vitest';
import { buildPackage, type PackageBuild } from '../../src/core/package/build-package.ts';
import { KERNEL_IDS } from '../../src/core/package/kernel-ids.ts';
import { writePackage } from '../../src/core/package/write-package.ts';
import { fuzzLoad, loadStatuses, runPackage } from '../support/host-runtime.ts';
import { planFor } from '../support/package-fixtures.ts';
import { kernelCatalogue } from '../support/reference/elementwise-models.ts';

const BUILT: [string, PackageBuild][] = kernelCatalogue().map(([name, model]) => {
  const r = buildPackage(model, planFor(model));
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  return [name, r.value];
});

function inputBytes(b: PackageBuild): Uint8Array {
  const n = b.contents.inputs.reduce((s, t) => s + (b.contents.tensors[t]?.bytes ?? 0), 0);
  return Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);
}

describe('elementwise kernels against hostile packages', () => {
  it('every catalogue model plans to the kernel it is named after and runs clean', () => {
    for (const [name, b] of BUILT) {
      expect(b.layers[0]?.kernel, name).toBe(name);
      expect(b.contents.ops[0]?.kernelId).toBe(KERNEL_IDS[name as keyof typeof KERNEL_IDS]);
    }
    // A few under the sanitizers with real inputs (the fuzz test below runs them all).
    for (const [name, b] of BUILT.filter((_, i) => i % 8 === 0)) {
      const r = runPackage(b.bytes, inputBytes(b), { sanitize: true });
      expect(r.ok, `${name}: ${r.ok ? '' : r.stderr}`).toBe(true);
    }
  });

  it('rewritten param words are rejected or run without sanitizer reports', () => {
    const HOSTILE = [
      0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0xffffff80, 255, 4096, 0x10, 31, 32, 64,
    ];
    const variants: { name: string; bytes: Uint8Array; build: PackageBuild }[] = [];
    for (const [name, b] of BUILT) {
      const words = b.contents.ops[0]?.params.length ?? 0;
      for (let w = 0; w < words; w++) {
        for (const v of HOSTILE) {
          const c = structuredClone(b.contents);
          (c.ops[0] as { params: number[] }).params[w] = v;
          variants.push({ name, bytes: writePackage(c), build: b });
        }
      }
      // One word short, one word too many.
      for (const delta of [-1, 1]) {
        const c = structuredClone(b.contents);
        const p = (c.ops[0] as { params: number[] }).params;
        if (delta < 0 && p.length > 0) p.pop();
        else if (delta > 0) p.push(0);
        c.ops[0]!.arrays = c.ops[0]!.arrays.filter((a) => a.word < p.length);
        variants.push({ name, bytes: writePackage(c), build: b });
      }
    }
    const statuses = loadStatuses(
      variants.map((v) => v.bytes),
      true,
    );
    // Every accepted rewrite is loaded and run (once, unmutated) by the
    // sanitized fuzz driver: one process for all of them.
    const accepted = variants.filter((_, i) => statuses[i] === 'TD_OK').map((v) => v.bytes);
    if (accepted.length > 0) {
      const r = fuzzLoad(accepted, 7, 1);
      if (!r.ok) throw new Error(r.stderr);
    }
    expect(statuses.length).toBe(variants.length);
    // Some rewrites are harmless (a zero point, a clamp), most are not.
    expect(accepted.length).toBeGreaterThan(0);
    expect(accepted.length).toBeLessThan(variants.length / 2);
  });

  it('inconsistent tensor shapes are rejected with TD_ERR_BAD_PARAMS', () => {
    const bad: Uint8Array[] = [];
    for (const [, b] of BUILT) {
      const c = structuredClone(b.contents);
      const out = c.tensors[c.ops[0]?.outputs[0] as number];
      if (!out) continue;
      // Same element count, different dims: no kernel here accepts that.
      const s = out.shape;
      const last = s[s.length - 1] as number;
      if (s.length >= 2 && last % 2 === 0) {
        s[s.length - 1] = last / 2;
        s[s.length - 2] = (s[s.length - 2] as number) * 2;
        bad.push(writePackage(c));
      } else if (s.length >= 2 && s[0] !== s[1]) {
        [s[0], s[1]] = [s[1] as number, s[0] as number];
        bad.push(writePackage(c));
      }
    }
    expect(bad.length).toBeGreaterThan(10);
    const statuses = loadStatuses(bad, true);
    const wrong = statuses.filter((s) => s !== 'TD_ERR_BAD_PARAMS');
    expect(wrong.length, statuses.join(' ')).toBeLessThanOrEqual(
      // Pure elementwise kernels only see element counts: a reshaped output is fine for them.
      BUILT.filter(([n]) => /RELU|LOGISTIC|TANH|HARD_SWISH|QUANTIZE|DEQUANTIZE/.test(n)).length,
    );
  });

  it('random mutations never trip the sanitizers', () => {
    const r = fuzzLoad(
      BUILT.map(([, b]) => b.bytes),
      Number(process.env.TD_FUZZ_SEED ?? 20240612),
      Number(process.env.TD_FUZZ_CASES ?? 3000),
    );
    if (!r.ok) throw new Error(r.stderr);
    expect(r.report.cases).toBe(Number(process.env.TD_FUZZ_CASES ?? 3000));
    expect(r.report.invoked).toBeGreaterThan(0);
  });
});
