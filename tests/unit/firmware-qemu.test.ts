// The prebuilt validator firmware under QEMU (mps2-an386, Cortex-M4F): it
// boots, answers over RPC on its UART, and runs real model packages with
// outputs equal, bit for bit, to the host build of the same runtime. A
// second, independent execution of the C sources: different compiler
// target, different float unit, real Thumb-2 code.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardClient, type InvokeResult } from '../../src/core/rpc/client.ts';
import type { PackageBuild } from '../../src/core/package/build-package.ts';
import { prebuiltDir, readManifest } from '../../src/node/firmware-build.ts';
import { hasQemu, prebuiltElf, startQemu, type QemuBoard } from '../../src/node/qemu.ts';
import { socketTransport } from '../../src/node/transport-tcp.ts';
import { hostBinaries, runPackage } from '../support/host-runtime.ts';
import {
  packageOf,
  randomBytes,
  representativePackages,
  reshapeChain,
} from '../support/package-fixtures.ts';
import { hostCompiler } from '../emulator/toolchain.ts';

const BOARD = 'qemu-an386';
const ready = hasQemu() && hostCompiler;
const manifest = readManifest(join(prebuiltDir, BOARD, 'manifest.json'));
const SAMPLES = 2;
/** Uploading runs at about 36 KB/s under QEMU: larger packages are placed before boot. */
const UPLOAD_LIMIT = 32 * 1024;

// One package per distinct set of kernels (the shared models when present),
// up to 1 MiB of model: mobilenet_v2 (4 MB, 300 M MACs) passes too but takes
// ten seconds, too long for every test run.
const packages = ready ? representativePackages(1 << 20) : [];
const small = packages.filter((p) => p.build.bytes.length <= UPLOAD_LIMIT);
const large = packages.filter((p) => p.build.bytes.length > UPLOAD_LIMIT);

/** Sample inputs for every model input: random bytes, floats kept finite and small. */
function sampleInputs(build: PackageBuild, seed: number): Uint8Array[] {
  const { tensors, inputs } = build.contents;
  return inputs.map((t, i) => {
    const tensor = tensors[t]!;
    const raw = randomBytes(tensor.bytes, seed * 31 + i + 1);
    if (tensor.dtype !== 'FLOAT32') return raw;
    const f = new Float32Array(tensor.bytes / 4);
    for (let k = 0; k < f.length; k++) f[k] = (raw[k]! - 128) / 32; // [-4, 4)
    return new Uint8Array(f.buffer);
  });
}

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

interface Connected {
  qemu: QemuBoard;
  client: BoardClient;
}

async function boot(pkg?: Uint8Array): Promise<Connected> {
  const qemu = await startQemu({ elf: prebuiltElf(BOARD), ...(pkg ? { package: pkg } : {}) });
  const transport = socketTransport(qemu.socket);
  qemu.socket.resume();
  return { qemu, client: new BoardClient(transport, { invokeTimeoutMs: 60_000 }) };
}

async function shutdown(c: Connected | undefined): Promise<void> {
  if (!c) return;
  await c.client.close();
  await c.qemu.stop();
}

/**
 * Runs SAMPLES inputs through the loaded model on the board and through the
 * host runtime; returns both output streams and the board's last profile.
 */
async function runBoth(c: Connected, build: PackageBuild, seed: number) {
  const board: Uint8Array[] = [];
  const samples: Uint8Array[] = [];
  let invoke: InvokeResult | null = null;
  for (let s = 0; s < SAMPLES; s++) {
    const inputs = sampleInputs(build, seed + s);
    for (const [i, bytes] of inputs.entries()) await c.client.setInput(i, bytes);
    invoke = await c.client.invoke();
    for (let o = 0; o < build.contents.outputs.length; o++)
      board.push((await c.client.getOutput(o)).data);
    samples.push(...inputs);
  }
  const host = runPackage(build.bytes, concat(samples));
  if (!host.ok) throw new Error(`host runtime failed: ${host.stderr}`);
  const profile = await c.client.getProfile();
  return { board: concat(board), host: host.outputs, invoke: invoke!, profile };
}

describe.skipIf(!ready)('validator firmware on QEMU mps2-an386', () => {
  let c: Connected | undefined;
  beforeAll(async () => {
    hostBinaries(); // builds the host runtime outside the per-test timeouts
    c = await boot();
  }, 60_000);
  afterAll(() => shutdown(c));

  it('boots with its banner and reports the image it runs over INFO', async () => {
    expect(c!.qemu.banner).toBe(`TinyDeploy validator ${BOARD} ${manifest.sourceId}`);
    const info = await c!.client.info();
    const bytes = (name: string): number => manifest.sections.find((s) => s.name === name)!.bytes;
    expect(info).toMatchObject({
      name: BOARD,
      core: 'cortex-m4f',
      buildId: manifest.sourceId,
      clockHz: 25_000_000,
      formatVersion: 1,
      packageCapacity: bytes('.td_package'),
      arenaCapacity: bytes('.td_arena'),
      numCounters: 6,
      kernelCount: Object.keys(manifest.kernels).length,
      hardReset: true,
      model: null,
    });
  });

  it.each(small.map((p) => [p.name, p] as const))(
    '%s: uploaded over RPC, outputs equal the host runtime bit for bit',
    async (_name, p) => {
      const loaded = await c!.client.loadPackage(p.build.bytes);
      expect(loaded.layers).toBe(p.build.contents.ops.length);
      const r = await runBoth(c!, p.build, 11);
      expect(r.board.length).toBe(r.host.length);
      expect(Buffer.from(r.board).equals(Buffer.from(r.host))).toBe(true);

      // One profile record per layer; cycles (SysTick ticks under QEMU) add
      // up to the invoke's total; QEMU does not model the DWT event counters.
      expect(r.profile.counters).toEqual(['cyc', 'cpi', 'exc', 'sleep', 'lsu', 'fold']);
      expect(r.profile.layers.map((l) => l.layer)).toEqual(p.build.contents.ops.map((_, i) => i));
      expect(r.invoke.layersRun).toBe(p.build.contents.ops.length);
      const cycles = r.profile.layers.map((l) => l.values[0]!);
      for (const v of cycles) expect(v).toBeGreaterThan(0);
      expect(cycles.reduce((a, b) => a + b, 0)).toBe(Number(r.invoke.totalCycles));
      for (const l of r.profile.layers) expect(l.values.slice(1)).toEqual([0, 0, 0, 0, 0]);
    },
    60_000,
  );

  it('a hard reset reboots the firmware, which then answers again without a model', async () => {
    const build = packageOf(reshapeChain());
    await c!.client.loadPackage(build.bytes);
    expect((await c!.client.info()).model).not.toBeNull();
    await c!.client.reset(true);
    const info = await c!.client.info();
    expect(info.name).toBe(BOARD);
    expect(info.model).toBeNull();
  }, 30_000);
});

describe.skipIf(!ready || large.length === 0)(
  'larger packages placed in memory before boot (QEMU)',
  () => {
    it.each(large.map((p) => [p.name, p] as const))(
      '%s: loads at boot and runs bit-exact with the host runtime',
      async (_name, p) => {
        const c = await boot(p.build.bytes);
        try {
          const info = await c.client.info();
          expect(info.model).toEqual({
            inputs: p.build.contents.inputs.length,
            outputs: p.build.contents.outputs.length,
            layers: p.build.contents.ops.length,
            tensors: p.build.contents.tensors.length,
          });
          const r = await runBoth(c, p.build, 5);
          expect(Buffer.from(r.board).equals(Buffer.from(r.host))).toBe(true);
          expect(r.profile.layers).toHaveLength(p.build.contents.ops.length);
        } finally {
          await shutdown(c);
        }
      },
      120_000,
    );
  },
);

describe.skipIf(!hasQemu())('QEMU runner (src/node/qemu.ts)', () => {
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it('stop() ends the QEMU process and may be called twice', async () => {
    const q = await startQemu({ elf: prebuiltElf(BOARD) });
    expect(alive(q.pid)).toBe(true);
    await q.stop();
    await q.stop();
    expect(alive(q.pid)).toBe(false);
  }, 30_000);

  it('an image that dies before its banner fails the start with QEMU output, leaving no process', async () => {
    // The Apollo4 image has no vector table where the AN386 resets from: QEMU locks up.
    const err = await startQemu({ elf: prebuiltElf('virtual-apollo4p'), timeoutMs: 10_000 }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.name).toBe('QemuError');
    expect(err?.message).toMatch(/before the banner[\s\S]*Lockup/);
  }, 30_000);

  it('refuses a package larger than the package region of the image', async () => {
    const huge = new Uint8Array(
      manifest.symbols.__td_package_end!.address -
        manifest.symbols.__td_package_start!.address +
        16,
    );
    await expect(startQemu({ elf: prebuiltElf(BOARD), package: huge })).rejects.toThrow(/exceeds/);
  });
});

if (!ready) it.skip('validator on QEMU: qemu-system-arm or a host C compiler missing', () => {});
