// Property-based single-op models: case i of seed s is a pure function of
// (s, i), so any failing case can be rebuilt alone from what was printed.
import { KERNEL_IDS, type KernelName } from '../package/kernel-ids.ts';
import { createRng, hashSeed } from '../validate/prng.ts';
import { GENERATORS } from './generators.ts';
import type { OpCase } from './types.ts';

const KERNELS = Object.keys(KERNEL_IDS) as KernelName[];

/** Builds one case of a kernel from a seed, with optional pinned parameters. */
export function generateCase(
  kernel: KernelName,
  seed: number,
  overrides: Record<string, unknown> = {},
  name = `${kernel.toLowerCase()}#${seed}`,
): OpCase {
  const c = GENERATORS[kernel](createRng(seed), overrides);
  return { ...c, name, seed };
}

/**
 * Case `index` of a random run: kernels are taken round-robin (so a short run
 * still spreads over all kernels), the parameters drawn from a seed derived
 * from (seed, index).
 */
export function randomCase(
  seed: number,
  index: number,
  kernels: readonly KernelName[] = KERNELS,
): OpCase {
  const kernel = kernels[index % kernels.length] as KernelName;
  const caseSeed = hashSeed('random', seed, index);
  return generateCase(kernel, caseSeed, {}, `random/${kernel.toLowerCase()}#${index}`);
}

export function randomCases(
  seed: number,
  count: number,
  kernels: readonly KernelName[] = KERNELS,
): OpCase[] {
  return Array.from({ length: count }, (_, i) => randomCase(seed, i, kernels));
}
