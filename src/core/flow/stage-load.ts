// Stage 'load': ask the board what it is, check the package fits and that
// every kernel it needs is compiled in, then upload it.
import { FORMAT_VERSION } from '../package/format.ts';
import { KERNEL_IDS, type KernelName } from '../package/kernel-ids.ts';
import type { PackageBuild } from '../package/build-package.ts';
import type { BoardInfo, LoadResult } from '../rpc/client.ts';
import { checkAbort, stop } from './failure.ts';
import type { FlowBoard, FlowProgressCallback } from './types.ts';

const KERNEL_NAME = new Map<number, string>(
  Object.entries(KERNEL_IDS).map(([name, id]) => [id, name]),
);

/** Arena the runtime asks for: the planned arena (16-byte aligned) plus kernel scratch. */
export function arenaNeed(build: PackageBuild): number {
  return Math.ceil(build.contents.arenaBytes / 16) * 16 + build.contents.scratchBytes;
}

export function checkCapacity(info: BoardInfo, build: PackageBuild): void {
  if (info.formatVersion !== FORMAT_VERSION) {
    stop(
      'load',
      'FORMAT_MISMATCH',
      `the board's runtime executes package format ${info.formatVersion}, this tool builds ` +
        `format ${FORMAT_VERSION}: update the firmware (build ${info.buildId || 'unknown'}) or the tool`,
    );
  }
  const pkg = build.bytes.length;
  if (pkg > info.packageCapacity) {
    stop(
      'load',
      'BOARD_TOO_SMALL',
      `the model package is ${pkg} bytes; ${info.name} holds at most ${info.packageCapacity}. ` +
        'Use a smaller model or a board with more memory.',
    );
  }
  const need = arenaNeed(build);
  if (need > info.arenaCapacity) {
    stop(
      'load',
      'BOARD_TOO_SMALL',
      `the model needs ${need} bytes of arena (activations + scratch); ${info.name} has ` +
        `${info.arenaCapacity}. Use a smaller model or a board with more RAM.`,
    );
  }
}

export function checkKernels(onBoard: readonly number[], build: PackageBuild): void {
  const have = new Set(onBoard);
  const missing = [...new Set(build.contents.ops.map((o) => o.kernelId))]
    .filter((id) => !have.has(id))
    .map((id) => KERNEL_NAME.get(id) ?? `kernel ${id}`);
  if (missing.length > 0) {
    stop(
      'load',
      'MISSING_KERNELS',
      `the board's firmware lacks kernel(s) ${missing.join(', ')}: ` +
        'rebuild the firmware with them (or choose a board whose firmware has them)',
      { missingKernels: missing },
    );
  }
}

export async function loadOnBoard(
  board: FlowBoard,
  build: PackageBuild,
  onProgress: FlowProgressCallback,
  signal: AbortSignal | undefined,
  onInfo: (info: BoardInfo) => void,
): Promise<LoadResult> {
  onProgress({ stage: 'load', done: 0, total: build.bytes.length, message: 'asking the board' });
  const info = await board.info();
  onInfo(info);
  checkCapacity(info, build);
  checkAbort(signal, 'load', 'after INFO');
  checkKernels(await board.kernels(), build);
  checkAbort(signal, 'load', 'after KERNELS');
  const result = await board.loadPackage(build.bytes, (sent, total) => {
    onProgress({
      stage: 'load',
      done: sent,
      total,
      message: `uploading the package: ${sent} of ${total} bytes`,
    });
    // Throwing here ends the upload between two chunks.
    checkAbort(signal, 'load', `after ${sent} of ${total} bytes`);
  });
  return result;
}

export const kernelName = (id: number): KernelName | undefined =>
  KERNEL_NAME.get(id) as KernelName | undefined;
