import { describe, expect, it } from 'vitest';
import { checkBlocks, checkPlan, describeViolation } from '../../src/core/analysis/check-plan.ts';
import type { PlanViolation } from '../../src/core/analysis/check-plan.ts';
import { activationLifetimes } from '../../src/core/analysis/lifetimes.ts';
import type { Lifetime } from '../../src/core/analysis/lifetimes.ts';
import { planMemory } from '../../src/core/analysis/planner.ts';
import type { MemoryPlan } from '../../src/core/analysis/types.ts';
import { readModel } from '../../src/core/tflite/read.ts';
import { writeModel } from '../../src/core/tflite/write.ts';
import type { Model } from '../../src/core/tflite/model.ts';
import { randInt, randomModel, seededRandom } from './analysis-graphs.ts';

const BASE_SEED = Number(process.env.PLANNER_SEED ?? 20260826);

function randomLifetimes(rand: () => number): { lifetimes: Lifetime[]; steps: number } {
  const steps = randInt(rand, 0, 30);
  const count = randInt(rand, 1, 40);
  const lifetimes: Lifetime[] = [];
  for (let t = 0; t < count; t++) {
    const a = randInt(rand, -1, steps);
    const b = randInt(rand, -1, steps);
    lifetimes.push({
      tensor: t,
      name: `t${t}`,
      // Mostly small unaligned sizes, sometimes empty, sometimes large.
      bytes: rand() < 0.05 ? 0 : rand() < 0.1 ? randInt(rand, 1000, 5000) : randInt(rand, 1, 200),
      firstUse: Math.min(a, b),
      lastUse: Math.max(a, b),
      variable: rand() < 0.05,
    });
  }
  return { lifetimes, steps };
}

/** Largest live sum over the moments -1..steps by brute force; optionally state alive everywhere. */
function bruteForcePeak(lifetimes: Lifetime[], steps: number, keepState: boolean): number {
  let peak = 0;
  for (let s = -1; s <= steps; s++) {
    let sum = 0;
    for (const l of lifetimes) {
      const alive = (keepState && l.variable) || (l.firstUse <= s && s <= l.lastUse);
      if (alive) sum += l.bytes;
    }
    peak = Math.max(peak, sum);
  }
  return peak;
}

describe('planner on random lifetimes', () => {
  it('gives valid plans no smaller than the live peak (5000 seeded cases)', () => {
    for (let k = 0; k < 5000; k++) {
      const seed = BASE_SEED + k;
      const { lifetimes, steps } = randomLifetimes(seededRandom(seed));
      const plan = planMemory(lifetimes, steps);
      const why = `seed ${seed} (rerun with PLANNER_SEED=${seed})`;
      expect(checkBlocks(plan), why).toEqual([]);
      expect(plan.peakLiveBytes, why).toBe(bruteForcePeak(lifetimes, steps, false));
      expect(plan.planPeakBytes, why).toBe(bruteForcePeak(lifetimes, steps, true));
      expect(plan.arenaBytes, why).toBeGreaterThanOrEqual(plan.planPeakBytes);
      expect(plan.noReuseBytes, why).toBe(lifetimes.reduce((s, l) => s + l.bytes, 0));
      expect(
        plan.blocks.map((b) => b.tensor),
        why,
      ).toEqual(lifetimes.map((l) => l.tensor));
    }
  });
});

describe('planner on random graphs', () => {
  it('plans every activation tensor and passes the model-aware checker (1000 seeded graphs)', () => {
    for (let k = 0; k < 1000; k++) {
      const seed = BASE_SEED + 100_000 + k;
      let model = randomModel(seededRandom(seed));
      // Every tenth graph goes through the writer and reader first.
      if (k % 10 === 0) {
        const read = readModel(writeModel(model));
        if (!read.ok) throw read.error;
        model = read.value;
      }
      const steps = model.subgraphs[0]?.operators.length ?? 0;
      const plan = planMemory(activationLifetimes(model), steps);
      const why = `seed ${seed} (rerun with PLANNER_SEED=${seed - 100_000})`;
      expect(checkPlan(plan, model).map(describeViolation), why).toEqual([]);
      expect(plan.arenaBytes, why).toBeGreaterThanOrEqual(plan.planPeakBytes);
    }
  });

  it('keeps variable tensors alive for the whole run', () => {
    for (let k = 0; k < 50; k++) {
      const model = randomModel(seededRandom(BASE_SEED + 200_000 + k));
      const sg = model.subgraphs[0];
      if (!sg) continue;
      const plan = planMemory(activationLifetimes(model), sg.operators.length);
      for (const b of plan.blocks) {
        if (sg.tensors[b.tensor]?.isVariable) {
          expect([b.firstUse, b.lastUse]).toEqual([-1, sg.operators.length]);
        }
      }
    }
  });
});

/**
 * The checker against a byte-by-byte simulation: random (not planned) block
 * placements in a small arena; a placement is valid exactly when no byte is
 * claimed twice at one step.
 */
describe('checker agrees with a byte-level simulation', () => {
  it('on 2000 random placements', () => {
    let valid = 0;
    for (let k = 0; k < 2000; k++) {
      const seed = BASE_SEED + 300_000 + k;
      const rand = seededRandom(seed);
      const steps = randInt(rand, 1, 6);
      const blocks = Array.from({ length: randInt(rand, 1, 5) }, (_, t) => {
        const a = randInt(rand, -1, steps);
        const b = randInt(rand, -1, steps);
        return {
          tensor: t,
          name: '',
          offset: randInt(rand, 0, 6) * 16,
          bytes: randInt(rand, 0, 40),
          firstUse: Math.min(a, b),
          lastUse: Math.max(a, b),
        };
      });
      const plan: MemoryPlan = {
        alignment: 16,
        arenaBytes: 200,
        peakLiveBytes: 0,
        planPeakBytes: 0,
        stateBytes: 0,
        noReuseBytes: 0,
        blocks,
        liveBytesPerStep: [],
      };
      let clash = false;
      for (let s = -1; s <= steps; s++) {
        const owner = new Array<number>(plan.arenaBytes).fill(-1);
        for (const b of blocks) {
          if (s < b.firstUse || s > b.lastUse) continue;
          for (let i = b.offset; i < b.offset + b.bytes; i++) {
            if (owner[i] !== -1) clash = true;
            owner[i] = b.tensor;
          }
        }
      }
      const overlaps = checkBlocks(plan).filter((v) => v.kind === 'overlap');
      expect(overlaps.length > 0, `seed ${seed}`).toBe(clash);
      if (!clash) valid++;
    }
    // Both outcomes must be well represented for the comparison to mean anything.
    expect(valid).toBeGreaterThan(200);
    expect(valid).toBeLessThan(1800);
  });
});

describe('checker catches broken plans', () => {
  // A fixed graph with enough tensors to break things in every way.
  const model: Model = randomModel(seededRandom(7));
  const sg = model.subgraphs[0];
  const steps = sg?.operators.length ?? 0;
  const good = (): MemoryPlan => structuredClone(planMemory(activationLifetimes(model), steps));
  const kinds = (p: MemoryPlan): PlanViolation['kind'][] => [
    ...new Set(checkPlan(p, model).map((v) => v.kind)),
  ];

  /** Two blocks alive at a common step with bytes. */
  function concurrentPair(p: MemoryPlan): [number, number] {
    const bs = p.blocks;
    for (let i = 0; i < bs.length; i++) {
      for (let j = i + 1; j < bs.length; j++) {
        const a = bs[i];
        const b = bs[j];
        if (
          a &&
          b &&
          a.bytes > 0 &&
          b.bytes > 0 &&
          a.firstUse <= b.lastUse &&
          b.firstUse <= a.lastUse
        ) {
          return [i, j];
        }
      }
    }
    throw new Error('fixture has no concurrent tensors');
  }

  it('accepts the unbroken plan', () => {
    expect(checkPlan(good(), model)).toEqual([]);
  });

  it('overlap: two live tensors moved onto the same bytes', () => {
    const p = good();
    const [i, j] = concurrentPair(p);
    (p.blocks[j] as { offset: number }).offset = p.blocks[i]?.offset ?? 0;
    expect(kinds(p)).toEqual(['overlap']);
  });

  it('misaligned offset', () => {
    const p = good();
    const b = p.blocks.find((x) => x.bytes > 0);
    if (!b) throw new Error('no block');
    b.offset += 1;
    expect(kinds(p)).toContain('misaligned');
  });

  it('block beyond the end of the arena', () => {
    const p = good();
    p.arenaBytes -= 1;
    expect(kinds(p)).toEqual(['outside-arena']);
  });

  it('a lifetime shorter than the uses in the model', () => {
    const p = good();
    const b = p.blocks.find((x) => x.lastUse > x.firstUse && x.lastUse < steps);
    if (!b) throw new Error('no block');
    b.lastUse -= 1;
    expect(kinds(p)).toContain('not-live');
  });

  it('a graph input that is not alive from the start', () => {
    const p = good();
    const input = sg?.inputs[0];
    const b = p.blocks.find((x) => x.tensor === input);
    if (!b) throw new Error('no input block');
    b.firstUse = 0;
    expect(kinds(p)).toEqual(['not-live']);
  });

  it('a missing tensor, a duplicated one, a too small one, an inverted lifetime', () => {
    const missing = good();
    missing.blocks.pop();
    expect(kinds(missing)).toEqual(['missing']);
    const dup = good();
    dup.blocks.push({ ...(dup.blocks[0] as MemoryPlan['blocks'][number]), bytes: 0 });
    expect(kinds(dup)).toContain('duplicate');
    const small = good();
    const b = small.blocks.find((x) => x.bytes > 0);
    if (!b) throw new Error('no block');
    b.bytes -= 1;
    expect(kinds(small)).toEqual(['too-small']);
    const inverted = good();
    const c = inverted.blocks[0];
    if (!c) throw new Error('no block');
    [c.firstUse, c.lastUse] = [c.lastUse + 1, c.firstUse];
    expect(kinds(inverted)).toContain('bad-lifetime');
  });

  it('describes every violation in words', () => {
    const p = good();
    const [i, j] = concurrentPair(p);
    (p.blocks[j] as { offset: number }).offset = (p.blocks[i]?.offset ?? 0) + 1;
    for (const v of checkPlan(p, model)) expect(describeViolation(v)).toMatch(/tensor/);
  });
});
