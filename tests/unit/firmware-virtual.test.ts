// The prebuilt validator for the virtual Apollo4 Plus, on TinyDeploy's own
// emulator: it boots from the vector table at 0x18000, talks RPC over the
// emulated PL011 UART, runs packages bit-exact with the host runtime, and
// its per-layer records carry the DWT counters (cycles, and the 8-bit event
// counters widened by the firmware: each layer's figure is mod 256).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardClient } from '../../src/core/rpc/client.ts';
import { openBoard, type OpenBoard } from '../../src/node/boards.ts';
import { prebuiltDir, readManifest } from '../../src/node/firmware-build.ts';
import { hostCompiler } from '../emulator/toolchain.ts';
import { hostBinaries, runPackage } from '../support/host-runtime.ts';
import { packageOf, randomBytes, reshapeChain } from '../support/package-fixtures.ts';
import { sampleConvNet } from '../../src/core/tflite/samples.ts';

const BOARD = 'virtual-apollo4p';
const manifest = readManifest(join(prebuiltDir, BOARD, 'manifest.json'));

describe.skipIf(!hostCompiler)('validator firmware on the virtual Apollo4 Plus', () => {
  let open: OpenBoard;
  let client: BoardClient;
  beforeAll(async () => {
    hostBinaries();
    open = await openBoard(BOARD);
    client = new BoardClient(open.transport, { invokeTimeoutMs: 60_000 });
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await open?.close();
  });

  it('boots and reports its clock and the regions of its linker script', async () => {
    expect(open.banner).toBe(`TinyDeploy validator ${BOARD} ${manifest.sourceId}`);
    const info = await client.info();
    const bytes = (name: string): number => manifest.sections.find((s) => s.name === name)!.bytes;
    expect(info).toMatchObject({
      name: BOARD,
      clockHz: 96_000_000,
      buildId: manifest.sourceId,
      packageCapacity: bytes('.td_package'),
      arenaCapacity: bytes('.td_arena'),
      numCounters: 14, // cycles, 5 DWT event counters, 8 cache monitor counters
    });
  });

  it.each([
    ['reshape chain', () => packageOf(reshapeChain())],
    ['conv net', () => packageOf(sampleConvNet())],
  ])(
    '%s: outputs equal the host runtime; layers carry DWT counters',
    async (_name, make) => {
      const build = make();
      await client.loadPackage(build.bytes);
      const { tensors, inputs, outputs, ops } = build.contents;
      const sample = inputs.map((t, i) => {
        const raw = randomBytes(tensors[t]!.bytes, 3 + i);
        if (tensors[t]!.dtype !== 'FLOAT32') return raw;
        return new Uint8Array(
          Float32Array.from(raw.subarray(0, raw.length / 4), (v) => v / 64).buffer,
        );
      });
      for (const [i, b] of sample.entries()) await client.setInput(i, b);
      const run = await client.invoke();
      const got: number[] = [];
      for (let o = 0; o < outputs.length; o++) got.push(...(await client.getOutput(o)).data);
      const host = runPackage(build.bytes, Uint8Array.from(sample.flatMap((b) => [...b])));
      if (!host.ok) throw new Error(host.stderr);
      expect(Uint8Array.from(got)).toEqual(host.outputs);

      const profile = await client.getProfile();
      expect(profile.layers).toHaveLength(ops.length);
      let sum = 0;
      for (const l of profile.layers) {
        const [cyc, ...rest] = l.values;
        expect(cyc).toBeGreaterThan(0);
        sum += cyc!;
        // DWT event counters are 8-bit in hardware: per layer, modulo 256.
        for (const e of rest.slice(0, 5)) expect(e).toBeLessThan(256);
        // Cache monitor: every layer fetches instructions through the cache,
        // and hits never exceed lookups, nor lookups accesses.
        const [da, dt, dh, , ia, it, ih] = rest.slice(5);
        expect(ia).toBeGreaterThan(0);
        expect(it!).toBeLessThanOrEqual(ia!);
        expect(ih!).toBeLessThanOrEqual(it!);
        expect(dt!).toBeLessThanOrEqual(da!);
        expect(dh!).toBeLessThanOrEqual(dt!);
      }
      expect(sum).toBe(Number(run.totalCycles));
      // The emulator models the M4's load/store and folding counters: some
      // layer of a real kernel shows them.
      expect(profile.layers.some((l) => l.values[4]! > 0)).toBe(true);
    },
    60_000,
  );
});

if (!hostCompiler) it.skip('validator on the virtual board: host C compiler missing', () => {});
