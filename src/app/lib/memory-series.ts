// Turns a memory plan into what the arena chart draws: one floating bar per
// (tensor, step) it is live at, spanning the tensor's byte range in the arena.
import type { MemoryPlan } from '../../core/analysis/types.ts';

export interface ArenaBar {
  /** Step (layer index) on the x axis. */
  x: number;
  /** [first byte, end byte) of the tensor in the arena. */
  y: [number, number];
  /** Index into plan.blocks: names the tensor in tooltips and picks its colour. */
  block: number;
}

/**
 * Inputs (firstUse -1) are drawn from step 0 and graph outputs (lastUse =
 * steps) up to the last step: the chart has one column per layer.
 */
export function arenaBars(plan: MemoryPlan, steps: number): ArenaBar[] {
  const bars: ArenaBar[] = [];
  if (steps <= 0) return bars;
  plan.blocks.forEach((b, block) => {
    const first = Math.max(0, b.firstUse);
    const last = Math.min(steps - 1, b.lastUse);
    for (let x = first; x <= last; x++) bars.push({ x, y: [b.offset, b.offset + b.bytes], block });
  });
  return bars;
}

/** Muted, distinguishable hues; neighbours in the arena rarely share one. */
const PALETTE = [
  '#4c78a8',
  '#f58518',
  '#54a24b',
  '#b279a2',
  '#e45756',
  '#72b7b2',
  '#9d755d',
  '#eeca3b',
  '#5f6b7a',
  '#ff9da6',
];

export function blockColour(block: number): string {
  return PALETTE[block % PALETTE.length] ?? '#4c78a8';
}

/**
 * A power-of-two byte step giving at most `maxTicks` intervals up to `max`:
 * arena sizes read naturally in 4 KiB, 16 KiB, 512 KiB steps, not 9.77 KiB.
 */
export function byteTickStep(max: number, maxTicks = 8): number {
  if (max <= 0) return 1;
  return 2 ** Math.max(0, Math.ceil(Math.log2(max / maxTicks)));
}
