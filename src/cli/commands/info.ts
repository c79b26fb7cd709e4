// `tinydeploy info --board NAME [--json]`: boots the board's validator
// firmware and prints what it reports over RPC (INFO and KERNELS).
import { join } from 'node:path';
import { counterName } from '../../core/rpc/messages.ts';
import { BoardClient, type BoardInfo } from '../../core/rpc/client.ts';
import { BoardUnavailable, NODE_BOARDS, openBoard, type OpenBoard } from '../../node/boards.ts';
import { prebuiltDir, readManifest, type FirmwareManifest } from '../../node/firmware-build.ts';
import { QemuError } from '../../node/qemu.ts';
import { unknownFlags } from '../args.ts';
import type { Command } from '../command.ts';
import { formatBytes } from '../format.ts';
import { EXIT } from '../io.ts';

export interface InfoReport {
  board: string;
  runner: string;
  banner: string;
  info: BoardInfo;
  kernelIds: number[];
  /** The prebuilt image's manifest, when the board runs the prebuilt image. */
  image: Pick<FirmwareManifest, 'buildId' | 'sourceId' | 'toolchain'> | null;
}

function manifestOf(board: string): FirmwareManifest | null {
  try {
    return readManifest(join(prebuiltDir, board, 'manifest.json'));
  } catch {
    return null;
  }
}

export function formatInfo(r: InfoReport): string {
  const i = r.info;
  const mhz = (i.clockHz / 1e6).toFixed(i.clockHz % 1e6 === 0 ? 0 : 3);
  const counters = Array.from({ length: i.numCounters }, (_, k) => counterName(k)).join(', ');
  const rows: [string, string][] = [
    ['board', `${i.name} on ${r.runner}`],
    ['core', `${i.core}, cycle counts at ${mhz} MHz`],
    ['firmware', `build ${i.buildId}, RPC protocol ${i.protocolVersion}`],
    ['package format', String(i.formatVersion)],
    ['kernels', `${i.kernelCount} (ids ${[...r.kernelIds].sort((a, b) => a - b).join(' ')})`],
    ['package region', formatBytes(i.packageCapacity)],
    ['arena region', formatBytes(i.arenaCapacity)],
    [
      'profiling',
      i.numCounters > 0 ? `${i.profileCapacity} layers x ${counters}` : 'not available',
    ],
    ['max payload', `${i.maxPayload} bytes`],
    ['hard reset', i.hardReset ? 'yes' : 'no'],
    [
      'model',
      i.model
        ? `${i.model.layers} layers, ${i.model.inputs} inputs, ${i.model.outputs} outputs`
        : 'none loaded',
    ],
  ];
  if (r.image)
    rows.push([
      'image',
      `${r.image.buildId.slice(0, 16)} (source ${r.image.sourceId}${r.image.sourceId === i.buildId ? '' : ', NOT the build the board reports'})`,
    ]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

/** Boots the board, asks it, shuts it down. */
export async function queryBoard(name: string): Promise<InfoReport> {
  const open: OpenBoard = await openBoard(name);
  const client = new BoardClient(open.transport);
  try {
    const info = await client.info();
    const kernelIds = await client.kernels();
    const m = manifestOf(name);
    return {
      board: name,
      runner: open.board.runner,
      banner: open.banner,
      info,
      kernelIds,
      image: m ? { buildId: m.buildId, sourceId: m.sourceId, toolchain: m.toolchain } : null,
    };
  } finally {
    await client.close();
    await open.close();
  }
}

export const infoCommand: Command = {
  name: 'info',
  summary: 'boot a board with the validator firmware and print what it reports',
  usage: `info --board ${NODE_BOARDS.map((b) => b.name).join('|')} [--json]`,
  async run(args, io) {
    const unknown = unknownFlags(args, ['board', 'json']);
    // `--board NAME` arrives as a bare flag and a positional word; `--board=NAME` as a value.
    const flag = args.flags.get('board');
    const rest = [...args.positional];
    const board = flag === true ? rest.shift() : flag;
    if (typeof board !== 'string' || rest.length > 0 || unknown.length > 0) {
      if (unknown.length > 0) io.err(`tinydeploy info: unknown option --${unknown[0]}`);
      io.err(`usage: tinydeploy ${this.usage}`);
      return EXIT.usage;
    }
    if (!NODE_BOARDS.some((b) => b.name === board)) {
      io.err(
        `tinydeploy info: unknown board '${board}' (boards: ${NODE_BOARDS.map((b) => b.name).join(', ')})`,
      );
      return EXIT.usage;
    }
    let report: InfoReport;
    try {
      report = await queryBoard(board);
    } catch (e) {
      const known = e instanceof BoardUnavailable || e instanceof QemuError;
      io.err(`tinydeploy info: ${board}: ${e instanceof Error ? e.message : String(e)}`);
      if (!known && e instanceof Error && e.stack) io.err(e.stack);
      return EXIT.badInput;
    }
    io.out(args.flags.has('json') ? JSON.stringify(report, null, 2) : formatInfo(report));
    return EXIT.ok;
  },
};
