// Runs a firmware image under QEMU (Debian's qemu-system-arm) with its UART
// on a TCP socket: the machine waits for our connection before starting, so
// nothing the firmware writes is lost, and we hand the socket over once the
// validator's banner line has arrived. `-icount` makes the instruction
// timing deterministic. Every started QEMU is killed on stop(), on a failed
// start, and when this Node process exits.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseElf } from '../emulator/elf.ts';
import { prebuiltDir } from './firmware-build.ts';

/** The QEMU machine each board with a QEMU model runs on. */
export const QEMU_MACHINES: Readonly<Record<string, string>> = {
  'qemu-an386': 'mps2-an386',
};

export interface QemuOptions {
  /** Firmware ELF to run (`-kernel`). */
  elf: string;
  /** QEMU machine (default mps2-an386). */
  machine?: string;
  /**
   * `-icount shift=N`: one instruction = 2^N ns of virtual time (default 5:
   * 32 ns, so the 25 MHz SysTick the validator times layers with ticks about
   * once per 1.25 instructions). null: no icount, timing follows the host.
   */
  icountShift?: number | null;
  /** Give up waiting for the listening socket and the banner after this long. */
  timeoutMs?: number;
  /** The banner's first words; the line is read up to its 0x00 delimiter. */
  bannerPrefix?: string;
  qemuBinary?: string;
  /**
   * A model package to place in the firmware's package region before the
   * core starts (QEMU's generic loader): the validator loads it at boot, so
   * a large model skips the UART upload (about 12 KB/s under QEMU).
   */
  package?: Uint8Array;
  /** More QEMU arguments. */
  extraArgs?: string[];
}

export interface QemuBoard {
  /**
   * Connected to the firmware's UART, positioned after the banner, and
   * paused: attach a 'data' listener, then resume() it.
   */
  readonly socket: Socket;
  /** The banner line without its line ending, e.g. "TinyDeploy validator qemu-an386 0123...". */
  readonly banner: string;
  readonly port: number;
  readonly pid: number;
  /** Whatever QEMU printed on stderr so far (for error reports). */
  stderr(): string;
  /** Closes the socket and stops QEMU; safe to call twice. */
  stop(): Promise<void>;
}

export class QemuError extends Error {
  override readonly name = 'QemuError';
}

const BANNER_PREFIX = 'TinyDeploy validator ';
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: a plain kill is.
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export function hasQemu(binary = 'qemu-system-arm'): boolean {
  return spawnSync(binary, ['--version'], { encoding: 'utf8' }).status === 0;
}

/** The prebuilt validator image of a board. */
export function prebuiltElf(board: string): string {
  return join(prebuiltDir, board, 'firmware.elf');
}

/** A port that was free a moment ago (QEMU binds it next; start() retries a lost race). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function killAndWait(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      running.delete(child);
      resolve();
      return;
    }
    const hard = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(hard);
      running.delete(child);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

interface Launch {
  child: ChildProcess;
  stderr: () => string;
}

/** Starts QEMU and resolves once it listens on `port` (it prints that on stderr). */
function launch(options: QemuOptions, port: number, deadline: number): Promise<Launch> {
  const args = [
    '-M',
    options.machine ?? 'mps2-an386',
    '-nographic',
    '-monitor',
    'none',
    '-serial',
    `tcp:127.0.0.1:${port},server=on,wait=on,nodelay=on`,
    '-kernel',
    options.elf,
  ];
  const shift = options.icountShift === undefined ? 5 : options.icountShift;
  if (shift !== null) args.push('-icount', `shift=${shift}`);
  args.push(...(options.extraArgs ?? []));
  const child = spawn(options.qemuBinary ?? 'qemu-system-arm', args, {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  installExitHook();
  let err = '';
  const stderr = (): string => err;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new QemuError(`QEMU did not start listening: ${err}`)),
      Math.max(0, deadline - Date.now()),
    );
    const fail = (e: Error): void => {
      clearTimeout(timer);
      void killAndWait(child).then(() => reject(e));
    };
    child.on('error', (e) => fail(new QemuError(`cannot run QEMU: ${e.message}`)));
    const onEarlyExit = (code: number | null, signal: string | null): void => {
      running.delete(child);
      fail(new QemuError(`QEMU exited (${signal ?? code}): ${err.trim()}`));
    };
    child.on('exit', onEarlyExit);
    child.stderr!.setEncoding('utf8');
    let listening = false;
    child.stderr!.on('data', (text: string) => {
      err += text;
      if (!listening && err.includes('waiting for connection')) {
        listening = true;
        clearTimeout(timer);
        child.removeListener('exit', onEarlyExit);
        child.on('exit', () => running.delete(child));
        resolve({ child, stderr });
      }
    });
  });
}

/** Connects and reads up to the banner's 0x00; leftover bytes go back into the socket. */
function readBanner(port: number, prefix: string, deadline: number): Promise<[Socket, string]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    // Requests and answers are small: without this, Nagle's algorithm and
    // delayed ACKs add about 40 ms to every round trip.
    socket.setNoDelay(true);
    let seen = Buffer.alloc(0);
    const timer = setTimeout(
      () => done(new QemuError(`no banner from the firmware; got ${JSON.stringify(String(seen))}`)),
      Math.max(0, deadline - Date.now()),
    );
    const done = (e: Error | null, banner?: string, rest?: Buffer): void => {
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.removeListener('error', onError);
      socket.removeListener('close', onClose);
      if (e) {
        socket.destroy();
        reject(e);
        return;
      }
      socket.pause();
      if (rest && rest.length > 0) socket.unshift(rest);
      resolve([socket, banner!]);
    };
    const onData = (chunk: Buffer): void => {
      seen = Buffer.concat([seen, chunk]);
      const end = seen.indexOf(0);
      if (end < 0) return;
      const text = seen.subarray(0, end).toString('latin1');
      const at = text.lastIndexOf(prefix);
      if (at < 0) {
        done(new QemuError(`unexpected output before the banner: ${JSON.stringify(text)}`));
        return;
      }
      done(null, text.slice(at).trim(), seen.subarray(end + 1));
    };
    const onError = (e: Error): void => done(new QemuError(`UART socket: ${e.message}`));
    const onClose = (): void => done(new QemuError('UART socket closed before the banner'));
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
  });
}

/** `-device loader` arguments placing the package at the image's package region. */
function preloadArgs(elfPath: string, pkg: Uint8Array, dir: string): string[] {
  const elf = parseElf(new Uint8Array(readFileSync(elfPath)));
  const start = elf.symbols.address('__td_package_start');
  const end = elf.symbols.address('__td_package_end');
  if (pkg.length > end - start)
    throw new QemuError(`package of ${pkg.length} bytes exceeds the ${end - start}-byte region`);
  const file = join(dir, 'package.tdpk');
  writeFileSync(file, pkg);
  return ['-device', `loader,file=${file},addr=0x${start.toString(16)},force-raw=on`];
}

/** Starts QEMU on the image and waits for the validator's banner. */
export async function startQemu(options: QemuOptions): Promise<QemuBoard> {
  if (!existsSync(options.elf)) throw new QemuError(`no firmware image at ${options.elf}`);
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  const scratch = mkdtempSync(join(tmpdir(), 'td-qemu-'));
  const removeScratch = (): void => rmSync(scratch, { recursive: true, force: true });
  let launched: Launch | null = null;
  let port = 0;
  try {
    const opts = options.package
      ? {
          ...options,
          extraArgs: [
            ...preloadArgs(options.elf, options.package, scratch),
            ...(options.extraArgs ?? []),
          ],
        }
      : options;
    // Another process may take the free port before QEMU binds it: try again.
    for (let attempt = 0; launched === null; attempt++) {
      port = await freePort();
      try {
        launched = await launch(opts, port, deadline);
      } catch (e) {
        const inUse = e instanceof QemuError && /in use|Failed to bind/i.test(e.message);
        if (!inUse || attempt >= 4) throw e;
      }
    }
  } catch (e) {
    removeScratch();
    throw e;
  }
  const { child, stderr } = launched;
  let socket: Socket;
  let banner: string;
  try {
    [socket, banner] = await readBanner(port, options.bannerPrefix ?? BANNER_PREFIX, deadline);
  } catch (e) {
    await killAndWait(child);
    removeScratch();
    throw e instanceof QemuError ? new QemuError(`${e.message}\n${stderr()}`.trim()) : e;
  }
  let stopped: Promise<void> | null = null;
  return {
    socket,
    banner,
    port,
    pid: child.pid ?? 0,
    stderr,
    stop() {
      stopped ??= (async () => {
        socket.destroy();
        await killAndWait(child);
        removeScratch();
      })();
      return stopped;
    },
  };
}
