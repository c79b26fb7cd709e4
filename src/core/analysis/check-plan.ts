// Independent checker for a memory plan. It trusts nothing the planner
// computed: block lifetimes are checked against the model's own reads and
// writes, then every pair of blocks alive at a common step must be disjoint.
import type { Model } from '../tflite/model.ts';
import { isConstant, tensorBytes } from './tensors.ts';
import type { MemoryBlock, MemoryPlan } from './types.ts';

export type PlanViolation =
  | { kind: 'overlap'; a: number; b: number; step: number }
  | { kind: 'misaligned'; tensor: number; offset: number; alignment: number }
  | { kind: 'outside-arena'; tensor: number; offset: number; bytes: number; arenaBytes: number }
  | { kind: 'bad-lifetime'; tensor: number; firstUse: number; lastUse: number }
  | { kind: 'duplicate'; tensor: number }
  | { kind: 'missing'; tensor: number }
  | { kind: 'too-small'; tensor: number; bytes: number; needed: number }
  | { kind: 'not-live'; tensor: number; step: number };

export function describeViolation(v: PlanViolation): string {
  switch (v.kind) {
    case 'overlap':
      return `tensors ${v.a} and ${v.b} share bytes while both live at step ${v.step}`;
    case 'misaligned':
      return `tensor ${v.tensor} at offset ${v.offset} is not aligned to ${v.alignment}`;
    case 'outside-arena':
      return `tensor ${v.tensor} [${v.offset}, +${v.bytes}) is outside the ${v.arenaBytes}-byte arena`;
    case 'bad-lifetime':
      return `tensor ${v.tensor} has lifetime ${v.firstUse}..${v.lastUse}`;
    case 'duplicate':
      return `tensor ${v.tensor} has more than one block`;
    case 'missing':
      return `activation tensor ${v.tensor} has no block`;
    case 'too-small':
      return `tensor ${v.tensor} needs ${v.needed} bytes, block has ${v.bytes}`;
    case 'not-live':
      return `tensor ${v.tensor} is used at step ${v.step} outside its block's lifetime`;
  }
}

/** Geometry and pairwise disjointness of blocks alive at a common step. */
export function checkBlocks(plan: MemoryPlan): PlanViolation[] {
  const out: PlanViolation[] = [];
  const seen = new Set<number>();
  for (const b of plan.blocks) {
    if (seen.has(b.tensor)) out.push({ kind: 'duplicate', tensor: b.tensor });
    seen.add(b.tensor);
    if (b.firstUse > b.lastUse) {
      out.push({
        kind: 'bad-lifetime',
        tensor: b.tensor,
        firstUse: b.firstUse,
        lastUse: b.lastUse,
      });
    }
    if (!Number.isInteger(b.offset) || b.offset % plan.alignment !== 0) {
      out.push({
        kind: 'misaligned',
        tensor: b.tensor,
        offset: b.offset,
        alignment: plan.alignment,
      });
    }
    if (b.offset < 0 || b.bytes < 0 || b.offset + b.bytes > plan.arenaBytes) {
      out.push({
        kind: 'outside-arena',
        tensor: b.tensor,
        offset: b.offset,
        bytes: b.bytes,
        arenaBytes: plan.arenaBytes,
      });
    }
  }
  // Sweep by offset: a block can only overlap blocks that start before it ends.
  const sorted = plan.blocks.filter((b) => b.bytes > 0).sort((x, y) => x.offset - y.offset);
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i] as MemoryBlock;
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j] as MemoryBlock;
      if (b.offset >= a.offset + a.bytes) break;
      if (a.firstUse <= b.lastUse && b.firstUse <= a.lastUse) {
        out.push({
          kind: 'overlap',
          a: a.tensor,
          b: b.tensor,
          step: Math.max(a.firstUse, b.firstUse),
        });
      }
    }
  }
  return out;
}

/**
 * Full check against the model: every non-constant tensor the subgraph reads
 * or writes has a block big enough, alive at each step that touches it;
 * graph inputs and variables are alive from before step 0, graph outputs and
 * variables until after the last step; then the geometric checks above.
 */
export function checkPlan(plan: MemoryPlan, model?: Model, subgraph = 0): PlanViolation[] {
  const out = checkBlocks(plan);
  const sg = model?.subgraphs[subgraph];
  if (!model || !sg) return out;
  const steps = sg.operators.length;
  const byTensor = new Map(plan.blocks.map((b) => [b.tensor, b]));
  const reported = new Set<string>();
  const need = (t: number, step: number): void => {
    const tensor = sg.tensors[t];
    if (!tensor || isConstant(model, tensor)) return;
    const b = byTensor.get(t);
    const key = `${t}:${b ? step : 'missing'}`;
    if (reported.has(key)) return;
    if (!b) {
      out.push({ kind: 'missing', tensor: t });
    } else if (step < b.firstUse || step > b.lastUse) {
      out.push({ kind: 'not-live', tensor: t, step });
    } else {
      return;
    }
    reported.add(key);
  };
  sg.operators.forEach((op, step) => {
    for (const t of [...op.inputs, ...op.outputs]) if (t >= 0) need(t, step);
  });
  for (const t of sg.inputs) need(t, -1);
  for (const t of sg.outputs) need(t, steps);
  sg.tensors.forEach((t, i) => {
    if (t.isVariable && byTensor.has(i)) {
      need(i, -1);
      need(i, steps);
    }
  });
  for (const b of plan.blocks) {
    const t = sg.tensors[b.tensor];
    const needed = t ? tensorBytes(t) : 0;
    if (b.bytes < needed) out.push({ kind: 'too-small', tensor: b.tensor, bytes: b.bytes, needed });
  }
  return out;
}
