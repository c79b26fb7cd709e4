// The boards the CLI can reach from Node, each running the prebuilt
// validator firmware (firmware-prebuilt/<board>/firmware.elf): QEMU's
// mps2-an386, and the virtual Apollo4 Plus (TinyDeploy's own emulator).
// openBoard() boots one and returns a Transport for the RPC client, after
// the firmware's banner line, plus a close() that tears everything down.
import { readFileSync } from 'node:fs';
import type { Transport } from '../core/transport/transport.ts';
import { virtualBoard } from '../core/transport/virtual-board.ts';
import { prebuiltElf, QEMU_MACHINES, startQemu } from './qemu.ts';
import { socketTransport } from './transport-tcp.ts';

export interface BoardDescription {
  name: string;
  /** How it runs, for people: "QEMU mps2-an386", "TinyDeploy emulator". */
  runner: string;
  /** Whether its figures come from a model of the hardware, not the hardware. */
  emulated: true;
}

export const NODE_BOARDS: readonly BoardDescription[] = [
  { name: 'qemu-an386', runner: 'QEMU mps2-an386 (Cortex-M4F)', emulated: true },
  { name: 'virtual-apollo4p', runner: 'TinyDeploy emulator (Apollo4 Plus map)', emulated: true },
];

export interface OpenBoard {
  board: BoardDescription;
  transport: Transport;
  /** The firmware's banner line, e.g. "TinyDeploy validator qemu-an386 0123abcd...". */
  banner: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A model package placed in the package region before boot (QEMU only). */
  package?: Uint8Array;
  /** Firmware image instead of the prebuilt one. */
  elf?: string;
  timeoutMs?: number;
}

export class BoardUnavailable extends Error {
  override readonly name = 'BoardUnavailable';
}

const BANNER_END = 0;

async function openVirtual(board: BoardDescription, options: OpenOptions): Promise<OpenBoard> {
  const image = new Uint8Array(readFileSync(options.elf ?? prebuiltElf(board.name)));
  const transport = virtualBoard(image);
  // The banner is the firmware's first output; it ends with the RPC frame
  // delimiter, so the client never sees a partial frame of it.
  let text = '';
  const stopListening = transport.onData((b) => {
    for (const x of b) text += String.fromCharCode(x);
  });
  await transport.settled();
  stopListening();
  const end = text.indexOf(String.fromCharCode(BANNER_END));
  if (transport.state === 'stopped' || end < 0) {
    await transport.close();
    throw new BoardUnavailable(
      `${board.name}: the firmware did not boot (output ${JSON.stringify(text)})`,
    );
  }
  return { board, transport, banner: text.slice(0, end).trim(), close: () => transport.close() };
}

async function openQemu(board: BoardDescription, options: OpenOptions): Promise<OpenBoard> {
  const q = await startQemu({
    elf: options.elf ?? prebuiltElf(board.name),
    machine: QEMU_MACHINES[board.name],
    ...(options.package ? { package: options.package } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  const transport = socketTransport(q.socket);
  q.socket.resume(); // startQemu leaves it paused so no byte is lost before a listener exists
  return {
    board,
    transport,
    banner: q.banner,
    close: async () => {
      await transport.close();
      await q.stop();
    },
  };
}

/** Boots `name` and connects to its validator firmware. */
export function openBoard(name: string, options: OpenOptions = {}): Promise<OpenBoard> {
  const board = NODE_BOARDS.find((b) => b.name === name);
  if (!board) {
    const known = NODE_BOARDS.map((b) => b.name).join(', ');
    return Promise.reject(new BoardUnavailable(`unknown board '${name}' (boards: ${known})`));
  }
  if (board.name in QEMU_MACHINES) return openQemu(board, options);
  if (options.package)
    return Promise.reject(new BoardUnavailable(`${name}: preloading a package needs QEMU`));
  return openVirtual(board, options);
}
