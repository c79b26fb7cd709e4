// The kernel registry: TFLite op name -> planner. buildPackage looks every
// operator up here; an op missing from it is reported as unsupported.
import type { PlanKernel } from '../kernel-plan.ts';
import { convKernels } from './conv/index.ts';
import { elementwiseKernels } from './elementwise/index.ts';
import { reshapeKernels } from './reshape.ts';

export const kernelRegistry: Readonly<Record<string, PlanKernel>> = {
  ...convKernels,
  ...elementwiseKernels,
  ...reshapeKernels,
};

export function plannerFor(op: string): PlanKernel | undefined {
  return Object.hasOwn(kernelRegistry, op) ? kernelRegistry[op] : undefined;
}
