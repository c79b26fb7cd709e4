// A generated single-op test model and how to feed it.
import type { KernelName } from '../package/kernel-ids.ts';
import type { Model } from '../tflite/model.ts';
import type { InputSpec } from '../validate/inputs.ts';
import type { Rng } from '../validate/prng.ts';

export interface OpCase {
  /** Stable, printable: 'conv_2d_s8/same_stride2' or 'random/conv_2d_s8#12'. */
  name: string;
  /** The kernel this case is meant to exercise. */
  kernel: KernelName;
  /** Builtin op name, e.g. 'CONV_2D'. */
  op: string;
  model: Model;
  /** One per model input, in subgraph input order. */
  inputs: InputSpec[];
  /** The drawn parameters, printed when a case fails. */
  params: Record<string, unknown>;
  /** Seed that regenerates this exact case (with the generator and overrides). */
  seed: number;
}

/** Draws one legal model for a kernel; `overrides` pin chosen parameters. */
export type CaseGenerator = (
  rng: Rng,
  overrides: Record<string, unknown>,
) => Omit<OpCase, 'name' | 'seed'>;
