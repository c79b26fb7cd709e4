// `tinydeploy info --board NAME [--json]`: boots the board's validator
// firmware and prints what it reports over RPC (INFO and KERNELS).
// `tinydeploy info --port PATH [--baud N] [--json]`: asks a board already
// running the validator on a serial port.
import { join } from 'node:path';
import { counterName } from '../../core/rpc/messages.ts';
import { BoardClient, type BoardInfo } from '../../core/rpc/client.ts';
import { RpcError } from '../../core/rpc/errors.ts';
import { BoardUnavailable, NODE_BOARDS, openBoard, type OpenBoard } from '../../node/boards.ts';
import { prebuiltDir, readManifest, type FirmwareManifest } from '../../node/firmware-build.ts';
import { QemuError } from '../../node/qemu.ts';
import { DEFAULT_BAUD, openSerial, SerialPortError } from '../../node/transport-serial.ts';
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

async function ask(
  client: BoardClient,
  board: string | null,
  runner: string,
  banner: string,
): Promise<InfoReport> {
  const info = await client.info();
  const kernelIds = await client.kernels();
  // A board on a port is known by the name it reports.
  const m = manifestOf(board ?? info.name);
  return {
    board: board ?? info.name,
    runner,
    banner,
    info,
    kernelIds,
    image: m ? { buildId: m.buildId, sourceId: m.sourceId, toolchain: m.toolchain } : null,
  };
}

/** Boots the board, asks it, shuts it down. */
export async function queryBoard(name: string): Promise<InfoReport> {
  const open: OpenBoard = await openBoard(name);
  const client = new BoardClient(open.transport);
  try {
    return await ask(client, name, open.board.runner, open.banner);
  } finally {
    await client.close();
    await open.close();
  }
}

/** Asks the board on a serial port (already running; its banner went by at boot). */
export async function queryPort(path: string, baudRate = DEFAULT_BAUD): Promise<InfoReport> {
  const transport = await openSerial({ path, baudRate });
  const client = new BoardClient(transport);
  try {
    return await ask(client, null, `serial port ${path} at ${baudRate} baud`, '');
  } finally {
    await client.close();
    await transport.close();
  }
}

export const infoCommand: Command = {
  name: 'info',
  summary: 'boot a board with the validator firmware and print what it reports',
  usage: `info --board ${NODE_BOARDS.map((b) => b.name).join('|')} [--json]\n       tinydeploy info --port PATH [--baud N] [--json]`,
  async run(args, io) {
    const unknown = unknownFlags(args, ['board', 'port', 'baud', 'json']);
    // `--board NAME` arrives as a bare flag and a positional word; `--board=NAME` as a value.
    // The splitter does not keep the order of words, so `--baud N` takes the
    // numeric word and `--port PATH` / `--board NAME` another.
    const rest = [...args.positional];
    const value = (name: string, numeric: boolean): string | true | undefined => {
      const flag = args.flags.get(name);
      if (flag !== true) return flag;
      const at = rest.findIndex((w) => /^\d+$/.test(w) === numeric);
      return at < 0 ? true : rest.splice(at, 1)[0]!;
    };
    const baud = value('baud', true);
    const board = value('board', false);
    const port = value('port', false);
    const usage = (why?: string): number => {
      if (why) io.err(`tinydeploy info: ${why}`);
      io.err(`usage: tinydeploy ${this.usage}`);
      return EXIT.usage;
    };
    if (unknown.length > 0) return usage(`unknown option --${unknown[0]}`);
    if (rest.length > 0) return usage();
    if (port !== undefined) {
      if (board !== undefined) return usage('give --board or --port, not both');
      if (typeof port !== 'string') return usage('--port needs a device path');
      const rate =
        baud === undefined ? DEFAULT_BAUD : /^\d+$/.test(String(baud)) ? Number(baud) : 0;
      if (!(rate > 0)) return usage(`--baud must be a positive integer, got '${String(baud)}'`);
      let report: InfoReport;
      try {
        report = await queryPort(port, rate);
      } catch (e) {
        io.err(`tinydeploy info: ${port}: ${e instanceof Error ? e.message : String(e)}`);
        if (!(e instanceof SerialPortError) && !(e instanceof RpcError) && e instanceof Error)
          io.err(e.stack ?? '');
        return EXIT.badInput;
      }
      io.out(args.flags.has('json') ? JSON.stringify(report, null, 2) : formatInfo(report));
      return EXIT.ok;
    }
    if (baud !== undefined) return usage('--baud goes with --port');
    if (typeof board !== 'string') return usage();
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
