// Which tensors need arena memory, and for which steps. Step i is the
// execution of operator i of the subgraph (operator order = execution order).
import type { Model } from '../tflite/model.ts';
import { isConstant, tensorBytes } from './tensors.ts';

export interface Lifetime {
  tensor: number;
  name: string;
  bytes: number;
  /** First step at which the tensor holds data: -1 when written before the run. */
  firstUse: number;
  /** Last step that needs it: `steps` when it must survive the run. */
  lastUse: number;
  /** Variable tensor: recurrent state that must also survive between invocations. */
  variable: boolean;
}

/**
 * Activation tensors (no constant data) used by the subgraph, with the steps
 * one invocation uses them:
 * - a tensor lives from the step that writes it to the last step that reads it;
 * - graph inputs, and tensors read but written by no step, live from the start (-1),
 *   except variable tensors, which count from their first use;
 * - graph outputs live to the end (`steps`);
 * - a tensor written but never read still needs its step.
 * Variable tensors are flagged but not extended here: this is the definition
 * of the "peak live" figure; `keepStateAlive` gives the lifetimes a plan needs.
 * Omitted optional inputs (-1) and constants are skipped.
 */
export function activationLifetimes(model: Model, subgraph = 0): Lifetime[] {
  const sg = model.subgraphs[subgraph];
  if (!sg) return [];
  const steps = sg.operators.length;
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const touch = (t: number, step: number): void => {
    const tensor = sg.tensors[t];
    if (!tensor || isConstant(model, tensor)) return;
    first.set(t, Math.min(first.get(t) ?? Infinity, step));
    last.set(t, Math.max(last.get(t) ?? -Infinity, step));
  };
  const written = new Set<number>();
  sg.operators.forEach((op, step) => {
    for (const t of op.inputs) if (t >= 0) touch(t, step);
    for (const t of op.outputs) {
      if (t < 0) continue;
      touch(t, step);
      written.add(t);
    }
  });
  for (const t of sg.inputs) touch(t, -1);
  for (const t of sg.outputs) touch(t, steps);
  for (const t of first.keys()) {
    if (!written.has(t) && !sg.tensors[t]?.isVariable) first.set(t, -1);
  }
  return [...first.keys()]
    .sort((a, b) => a - b)
    .map((t) => {
      const tensor = sg.tensors[t];
      return {
        tensor: t,
        name: tensor?.name ?? '',
        bytes: tensor ? tensorBytes(tensor) : 0,
        firstUse: first.get(t) ?? -1,
        lastUse: last.get(t) ?? steps,
        variable: tensor?.isVariable ?? false,
      };
    });
}

/**
 * Variable tensors hold state that the next invocation reads, so no other
 * tensor may take their bytes at any step: they live for the whole run.
 */
export function keepStateAlive(lifetimes: readonly Lifetime[], steps: number): Lifetime[] {
  return lifetimes.map((l) => (l.variable ? { ...l, firstUse: -1, lastUse: steps } : l));
}

/**
 * Sum of live bytes at each moment from `from` to `to` (inclusive): a tensor
 * counts at every moment its lifetime spans.
 */
function liveSums(lifetimes: readonly Lifetime[], from: number, to: number): number[] {
  const n = Math.max(0, to - from + 1);
  const delta = new Array<number>(n + 1).fill(0);
  for (const l of lifetimes) {
    const a = Math.max(from, l.firstUse) - from;
    const b = Math.min(to, l.lastUse) - from;
    if (a > b) continue;
    delta[a] = (delta[a] ?? 0) + l.bytes;
    delta[b + 1] = (delta[b + 1] ?? 0) - l.bytes;
  }
  const live: number[] = [];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += delta[i] ?? 0;
    live.push(sum);
  }
  return live;
}

/** Live bytes at each step 0..steps-1 (index = layer index). */
export function liveBytesPerStep(lifetimes: readonly Lifetime[], steps: number): number[] {
  return liveSums(lifetimes, 0, steps - 1);
}

/**
 * Largest live sum over every moment a tensor can occupy: before the run
 * (-1), each step, and after it (`steps`).
 */
export function peakLive(lifetimes: readonly Lifetime[], steps: number): number {
  return Math.max(0, ...liveSums(lifetimes, -1, steps));
}
