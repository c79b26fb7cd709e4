// The serial-port transport (src/node/transport-serial.ts) against a real
// tty without hardware: QEMU's mps2-an386 running the prebuilt validator
// with its UART on a pseudo-terminal (`-serial pty`). RPC over it gives
// outputs equal to the host runtime's; `tinydeploy info --port` reads the
// board; a missing device and a device that disappears mid-request fail
// with typed errors.
//
// The serialport bindings abort the process when a port in a worker thread
// receives data (serialport/node-serialport#2748): vitest.config.ts runs test
// files in forked processes, where each file is on a main thread.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.ts';
import { parseRunArgv } from '../../src/cli/commands/run.ts';
import { main } from '../../src/cli/main.ts';
import { BoardClient } from '../../src/core/rpc/client.ts';
import { RpcError } from '../../src/core/rpc/errors.ts';
import type { PackageBuild } from '../../src/core/package/build-package.ts';
import { sampleConvNet } from '../../src/core/tflite/samples.ts';
import { writeModel } from '../../src/core/tflite/write.ts';
import { prebuiltDir, readManifest } from '../../src/node/firmware-build.ts';
import { hasQemu, prebuiltElf } from '../../src/node/qemu.ts';
import { openSerial, SerialPortError } from '../../src/node/transport-serial.ts';
import { hostCompiler } from '../emulator/toolchain.ts';
import { hostBinaries, runPackage } from '../support/host-runtime.ts';
import { packageOf, randomBytes, reshapeChain } from '../support/package-fixtures.ts';

const BOARD = 'qemu-an386';
const ready = hasQemu() && !!hostCompiler;
const inWorker = !isMainThread; // a threads pool would crash the bindings: skip there
const manifest = readManifest(join(prebuiltDir, BOARD, 'manifest.json'));

interface PtyQemu {
  child: ChildProcess;
  /** The slave side of QEMU's pseudo-terminal, e.g. /dev/pts/3. */
  path: string;
  exited: Promise<void>;
}

/** QEMU with the board's UART on a pty; resolves once QEMU has named it. */
function startPtyQemu(): Promise<PtyQemu> {
  const child = spawn(
    'qemu-system-arm',
    ['-M', 'mps2-an386', '-nographic', '-monitor', 'none', '-serial', 'pty'].concat([
      '-kernel',
      prebuiltElf(BOARD),
    ]),
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let text = '';
  return new Promise((resolve, reject) => {
    const onText = (chunk: string): void => {
      text += chunk;
      const m = /char device redirected to (\/dev\/pts\/\d+)/.exec(text);
      if (m) {
        child.stdout!.off('data', onText);
        child.stderr!.off('data', onText);
        resolve({ child, path: m[1]!, exited });
      }
    };
    child.stdout!.setEncoding('utf8').on('data', onText);
    child.stderr!.setEncoding('utf8').on('data', onText);
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`QEMU exited (${signal ?? code}) before naming its pty: ${text}`)),
    );
  });
}

async function stopQemu(q: PtyQemu | undefined): Promise<void> {
  if (!q) return;
  if (q.child.exitCode === null && q.child.signalCode === null) q.child.kill('SIGKILL');
  await q.exited;
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
  const code = await main(args, io);
  return { code, out, err };
}

function sampleInputs(build: PackageBuild, seed: number): Uint8Array[] {
  const { tensors, inputs } = build.contents;
  return inputs.map((t, i) => {
    const tensor = tensors[t]!;
    const raw = randomBytes(tensor.bytes, seed * 31 + i + 1);
    if (tensor.dtype !== 'FLOAT32') return raw;
    return new Uint8Array(Float32Array.from(raw.subarray(0, raw.length / 4), (v) => v / 32).buffer);
  });
}

const concat = (parts: readonly Uint8Array[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => [...p]));

describe.skipIf(inWorker)('serial transport: errors without a device', () => {
  it('a path that does not exist fails with a typed error naming the path', async () => {
    const err = await openSerial({ path: '/dev/tinydeploy-no-such-port' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SerialPortError);
    expect(err).toMatchObject({ kind: 'not-found', path: '/dev/tinydeploy-no-such-port' });
    expect((err as Error).message).toContain('/dev/tinydeploy-no-such-port');
  });

  it('a file that is not a tty fails to open, naming the path', async () => {
    const err = await openSerial({ path: '/dev/null' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SerialPortError);
    expect(err).toMatchObject({ kind: 'open-failed', path: '/dev/null' });
    expect((err as Error).message).toMatch(/cannot open serial port \/dev\/null at 115200 baud/);
  });

  it('tinydeploy info --port on a missing device exits 2 with the path', async () => {
    const r = await cli('info', '--port', '/dev/tinydeploy-no-such-port', '--baud', '9600');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no serial device at \/dev\/tinydeploy-no-such-port/);
    expect(r.out).toBe('');
  });

  it('tinydeploy run --port: parsed as a serial board; a missing device fails the load stage', async () => {
    const parsed = parseRunArgv(['m.tflite', '--port', '/dev/ttyACM7', '--baud=9600']);
    expect(parsed.ok && parsed.value.board).toEqual({ port: '/dev/ttyACM7', baudRate: 9600 });
    const dflt = parseRunArgv(['m.tflite', '--port=/dev/ttyACM7']);
    expect(dflt.ok && dflt.value.board).toEqual({ port: '/dev/ttyACM7', baudRate: 115_200 });
    expect(parseRunArgv(['m.tflite', '--port', '/dev/x', '--board', 'host'])).toMatchObject({
      ok: false,
      error: 'give --board or --port, not both',
    });
    expect(parseRunArgv(['m.tflite', '--baud', '9600'])).toMatchObject({ ok: false });
    const dir = mkdtempSync(join(tmpdir(), 'td-serial-run-'));
    try {
      const model = join(dir, 'conv.tflite');
      writeFileSync(model, writeModel(sampleConvNet()));
      const r = await cli(
        'run',
        model,
        '--port',
        '/dev/tinydeploy-no-such-port',
        '--out',
        dir,
        '--quiet',
      );
      expect(r.code).toBe(2);
      expect(r.err).toMatch(
        /failed at stage 'load'.*no serial device at \/dev\/tinydeploy-no-such-port/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tinydeploy info rejects --port with --board, and --baud without --port', async () => {
    const both = await cli('info', '--port', '/dev/x', '--board', 'qemu-an386');
    expect(both.code).toBe(64);
    expect(both.err).toMatch(/not both/);
    const baud = await cli('info', '--board', 'qemu-an386', '--baud', '9600');
    expect(baud.code).toBe(64);
    expect(baud.err).toMatch(/--baud goes with --port/);
    const bad = await cli('info', '--port=/dev/x', '--baud=fast');
    expect(bad.code).toBe(64);
    expect(bad.err).toMatch(/--baud must be a positive integer/);
  });
});

describe.skipIf(!ready || inWorker)('serial transport on QEMU mps2-an386 through a pty', () => {
  let q: PtyQemu | undefined;
  beforeAll(async () => {
    hostBinaries();
    q = await startPtyQemu();
  }, 60_000);
  afterAll(() => stopQemu(q));

  it('tinydeploy info --port PATH prints what the board reports', async () => {
    const r = await cli('info', '--port', q!.path, '--baud', '115200');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      new RegExp(`^board\\s+${BOARD} on serial port ${q!.path} at 115200 baud$`, 'm'),
    );
    expect(r.out).toMatch(/^core\s+cortex-m4f, cycle counts at 25 MHz$/m);
    expect(r.out).toMatch(
      new RegExp(`^firmware\\s+build ${manifest.sourceId}, RPC protocol 1$`, 'm'),
    );
    expect(r.out).toMatch(
      new RegExp(`^kernels\\s+${Object.keys(manifest.kernels).length} \\(ids `, 'm'),
    );
    expect(r.out).not.toMatch(/NOT the build/);
    const json = await cli('info', `--port=${q!.path}`, '--json');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out);
    expect(report.board).toBe(BOARD);
    expect(report.info.buildId).toBe(manifest.sourceId);
    expect(report.kernelIds).toHaveLength(report.info.kernelCount);
  }, 60_000);

  it('INFO, load, invoke and outputs over the port equal the host runtime', async () => {
    const t = await openSerial({ path: q!.path, baudRate: 115_200 });
    expect(t).toMatchObject({ path: q!.path, baudRate: 115_200 });
    const client = new BoardClient(t, { invokeTimeoutMs: 30_000 });
    try {
      const info = await client.info();
      expect(info).toMatchObject({ name: BOARD, buildId: manifest.sourceId, clockHz: 25_000_000 });
      for (const build of [packageOf(reshapeChain()), packageOf(sampleConvNet())]) {
        const loaded = await client.loadPackage(build.bytes);
        expect(loaded.layers).toBe(build.contents.ops.length);
        const boardOut: Uint8Array[] = [];
        const samples: Uint8Array[] = [];
        for (let s = 0; s < 2; s++) {
          const inputs = sampleInputs(build, 7 + s);
          for (const [i, b] of inputs.entries()) await client.setInput(i, b);
          const run = await client.invoke();
          expect(run.layersRun).toBe(build.contents.ops.length);
          for (let o = 0; o < build.contents.outputs.length; o++)
            boardOut.push((await client.getOutput(o)).data);
          samples.push(...inputs);
        }
        const host = runPackage(build.bytes, concat(samples));
        if (!host.ok) throw new Error(host.stderr);
        const got = concat(boardOut);
        expect(got.length).toBe(host.outputs.length);
        expect(Buffer.from(got).equals(Buffer.from(host.outputs))).toBe(true);
      }
    } finally {
      await client.close();
      await t.close();
    }
    // A local close() reports no reason.
    const reasons: (Error | null)[] = [];
    t.onClose((r) => reasons.push(r));
    await Promise.resolve();
    expect(reasons).toEqual([null]);
  }, 120_000);

  // Last: it ends QEMU.
  it('the device going away mid-request fails the request with the close reason as cause', async () => {
    const t = await openSerial({ path: q!.path });
    const client = new BoardClient(t, { timeoutMs: 20_000, retries: 0 });
    expect((await client.info()).name).toBe(BOARD);
    // Freeze QEMU so the request cannot be answered, then kill it once the
    // request has been written: the pty's other end closes under the request.
    q!.child.kill('SIGSTOP');
    const closeReason = new Promise<Error | null>((resolve) => t.onClose(resolve));
    const original = t.write.bind(t);
    t.write = async (bytes) => {
      await original(bytes);
      q!.child.kill('SIGKILL');
    };
    const started = Date.now();
    const err = await client.info().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).code).toBe('CLOSED');
    const cause = (err as RpcError).cause;
    expect(cause).toBeInstanceOf(SerialPortError);
    expect(cause).toMatchObject({ kind: 'disconnected', path: q!.path });
    expect(await closeReason).toBe(cause);
    // Not the 20 s timeout: the close ended the request.
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(t.write(new Uint8Array([0]))).rejects.toBeInstanceOf(SerialPortError);
    await client.close();
    await t.close();
  }, 60_000);
});

if (!ready)
  it.skip('serial transport over a QEMU pty: qemu-system-arm or a C compiler missing', () => {});
