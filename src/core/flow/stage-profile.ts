// Stage 'profile': one full inference, the board's per-layer counters, and
// the profile module's table, summary and energy estimate built from them.
import type { Analysis } from '../analysis/types.ts';
import type { PackageBuild } from '../package/build-package.ts';
import { recordsFromCounterTable } from '../profile/counters.ts';
import { buildProfile } from '../profile/profile.ts';
import type { BoardPower, LayerCounters, Profile } from '../profile/types.ts';
import type { BoardInfo, Profile as BoardProfile } from '../rpc/client.ts';
import { stop } from './failure.ts';
import { arenaNeed } from './stage-load.ts';
import type { FlowFigureSource } from './types.ts';

/** The figure source for a board id when the caller does not say. */
export function figuresFor(boardId: string): FlowFigureSource {
  if (boardId === 'host') return 'host';
  // QEMU and the virtual board are emulators: their counts come from a model
  // (QEMU's instruction count, the virtual board's cycle model; sourceLabel says which).
  return boardId.startsWith('virtual-') || boardId.startsWith('qemu-') ? 'emulated' : 'measured';
}

export const HOST_FIGURES_NOTE =
  'host board: the runtime ran on this computer (rpc-server), not on a microcontroller; ' +
  'it has no cycle counters, so its per-layer figures are host clock readings (or synthetic ' +
  'counts), useful only to check the plumbing';

export interface ProfileContext {
  analysis: Analysis;
  build: PackageBuild;
  info: BoardInfo;
  boardId: string;
  figures: FlowFigureSource;
  power: BoardPower | null;
  kernelCodeBytes?: Record<string, number>;
}

export function profileFrom(ctx: ProfileContext, counters: BoardProfile | null): Profile {
  const warnings: string[] = [];
  let records: LayerCounters[] = [];
  if (counters === null || counters.counters.length === 0) {
    warnings.push(`${ctx.info.name || ctx.boardId} reports no counters: no per-layer timing`);
  } else {
    try {
      records = recordsFromCounterTable(counters);
    } catch (e) {
      stop('profile', 'BOARD', `the board's profile cannot be read: ${(e as Error).message}`);
    }
  }
  let clockMhz = ctx.info.clockHz / 1e6;
  if (!(clockMhz > 0)) {
    warnings.push('the board reports no clock: times assume 1 MHz (microseconds = cycles)');
    clockMhz = 1;
  }
  if (ctx.figures === 'host') warnings.push(HOST_FIGURES_NOTE);
  const profile = buildProfile({
    records,
    analysis: ctx.analysis,
    clockMhz,
    source: ctx.figures,
    board: ctx.boardId,
    power: ctx.figures === 'host' ? null : ctx.power,
    kernels: ctx.build.layers.map((l) => l.kernel),
    sourceOps: ctx.build.layers.map((l) => l.sourceOp),
    memory: {
      arenaBytes: arenaNeed(ctx.build),
      weightBytes: ctx.build.contents.constData.length,
      ...(ctx.kernelCodeBytes ? { kernelCodeBytes: ctx.kernelCodeBytes } : {}),
    },
  });
  return { ...profile, warnings: [...warnings, ...profile.warnings] };
}
