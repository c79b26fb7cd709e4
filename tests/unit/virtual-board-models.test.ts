// Every shared model the package builder supports, end to end on the
// virtual board (the prebuilt validator firmware on TinyDeploy's emulator,
// over RPC): 20 seeded random input sets each (src/core/validate input
// generation), every output bit-exact with the host build of the same
// runtime. Unsupported models are listed, not failed; so are models whose
// package or arena exceeds the board's regions (mobilenet_v2: 3.7 MB of
// package against the Apollo4 Plus image's 1 MiB region).
//
// One board serves the small packages (uploaded over RPC, reloaded per
// model); a larger package is placed in the package region of a freshly
// booted board before its first instruction, and the firmware loads it at
// boot, as the QEMU tests do.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardClient, type BoardInfo } from '../../src/core/rpc/client.ts';
import { RpcError } from '../../src/core/rpc/errors.ts';
import { buildPackage, type PackageBuild } from '../../src/core/package/build-package.ts';
import { virtualBoard } from '../../src/core/transport/virtual-board.ts';
import { readModel } from '../../src/core/tflite/read.ts';
import { generateInputSets } from '../../src/core/validate/inputs.ts';
import { inputSpecsFor } from '../../src/core/validate/model-inputs.ts';
import { hashSeed } from '../../src/core/validate/prng.ts';
import { bytesOfData } from '../../src/core/validate/tensor-data.ts';
import { parseElf } from '../../src/emulator/elf.ts';
import { openBoard, type OpenBoard } from '../../src/node/boards.ts';
import { prebuiltDir, readManifest } from '../../src/node/firmware-build.ts';
import { prebuiltElf } from '../../src/node/qemu.ts';
import { hostCompiler } from '../emulator/toolchain.ts';
import { hostBinaries, runPackage } from '../support/host-runtime.ts';
import { listSharedModels, sharedModelsDir } from '../support/models.ts';
import { planFor } from '../support/package-fixtures.ts';

const BOARD = 'virtual-apollo4p';
const SETS = 20;
const SEED = 20_250_601;
/** Packages above this are placed in memory before boot instead of uploaded. */
const UPLOAD_LIMIT = 64 * 1024;

const dir = sharedModelsDir();
const elfPath = prebuiltElf(BOARD);
const manifestPath = join(prebuiltDir, BOARD, 'manifest.json');
const ready = dir !== null && existsSync(elfPath) && existsSync(manifestPath) && !!hostCompiler;
/** The image's package and arena regions (INFO reports the same; checked below). */
const capacity = ready
  ? (() => {
      const sections = readManifest(manifestPath).sections;
      const bytes = (name: string): number => sections.find((s) => s.name === name)?.bytes ?? 0;
      return { package: bytes('.td_package'), arena: bytes('.td_arena') };
    })()
  : { package: 0, arena: 0 };

interface Candidate {
  name: string;
  build: PackageBuild;
  /** Input sets, each the inputs' bytes in input order. */
  sets: Uint8Array[][];
}

const supported: Candidate[] = [];
const unsupported: { name: string; code: string; message: string }[] = [];
if (ready) {
  for (const file of listSharedModels()) {
    const read = readModel(new Uint8Array(readFileSync(join(dir, file))));
    if (!read.ok) {
      unsupported.push({ name: file, code: 'UNREADABLE', message: read.error.message });
      continue;
    }
    const built = buildPackage(read.value, planFor(read.value));
    if (!built.ok) {
      unsupported.push({ name: file, code: built.error.code, message: built.error.message });
      continue;
    }
    const { specs, problem } = inputSpecsFor(read.value);
    if (problem !== null) {
      unsupported.push({ name: file, code: 'INPUTS', message: problem });
      continue;
    }
    const sets = generateInputSets(specs, SETS, hashSeed(SEED, file)).map((set) =>
      set.map((t) => bytesOfData(t)),
    );
    supported.push({ name: file, build: built.value, sets });
  }
}

const arenaOf = (c: Candidate): number =>
  c.build.contents.arenaBytes + c.build.contents.scratchBytes;
const fits = (c: Candidate): boolean =>
  c.build.bytes.length <= capacity.package && arenaOf(c) <= capacity.arena;

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** Runs every input set on the loaded model; the outputs back to back, as runPackage gives them. */
async function runOnBoard(client: BoardClient, c: Candidate): Promise<Uint8Array> {
  const out: Uint8Array[] = [];
  for (const set of c.sets) {
    for (const [i, bytes] of set.entries()) await client.setInput(i, bytes);
    const run = await client.invoke();
    expect(run.layersRun).toBe(c.build.contents.ops.length);
    for (let o = 0; o < c.build.contents.outputs.length; o++)
      out.push((await client.getOutput(o)).data);
  }
  return concat(out);
}

function expectSameAsHost(c: Candidate, board: Uint8Array): void {
  const host = runPackage(c.build.bytes, concat(c.sets.flat()));
  if (!host.ok) throw new Error(`host runtime failed on ${c.name}: ${host.stderr}`);
  expect(board.length).toBe(host.outputs.length);
  // Bit-exact; on a mismatch, name the first differing byte.
  const at = board.findIndex((b, i) => b !== host.outputs[i]);
  expect(at, `first differing output byte of ${c.name}`).toBe(-1);
}

/** A board booted with `pkg` already in its package region. */
async function bootWith(pkg: Uint8Array): Promise<{ client: BoardClient; close(): Promise<void> }> {
  const image = new Uint8Array(readFileSync(elfPath));
  const transport = virtualBoard(image);
  // Before the first slice: the firmware finds it at boot.
  transport.machine.mem.load(parseElf(image).symbols.address('__td_package_start'), pkg);
  let text = '';
  const stop = transport.onData((b) => {
    for (const x of b) text += String.fromCharCode(x);
  });
  await transport.settled();
  stop();
  if (!text.includes(`TinyDeploy validator ${BOARD}`))
    throw new Error(`virtual board did not boot: ${JSON.stringify(text)}`);
  const client = new BoardClient(transport, { invokeTimeoutMs: 600_000 });
  return {
    client,
    close: async () => {
      await client.close();
      await transport.close();
    },
  };
}

describe.skipIf(!ready)('shared models end to end on the virtual board', () => {
  let open: OpenBoard;
  let client: BoardClient;
  let info: BoardInfo;
  beforeAll(async () => {
    hostBinaries();
    open = await openBoard(BOARD);
    client = new BoardClient(open.transport, { invokeTimeoutMs: 600_000 });
    info = await client.info();
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await open?.close();
  });

  it('models the package builder does not support fail only for missing kernels', () => {
    // Listed for the record; a different failure would be a builder bug.
    console.log(
      `unsupported shared models (${unsupported.length}):\n` +
        unsupported.map((u) => `  ${u.name}: ${u.code}: ${u.message}`).join('\n'),
    );
    for (const u of unsupported) expect(u.code, u.name).toBe('UNSUPPORTED_OPS');
    expect(supported.length).toBeGreaterThan(0);
  });

  it('models too large for the board are listed, and the board refuses their packages', async () => {
    expect({ package: info.packageCapacity, arena: info.arenaCapacity }).toEqual(capacity);
    const tooLarge = supported.filter((c) => !fits(c));
    console.log(
      `too large for ${BOARD} (package ${info.packageCapacity} B, arena ${info.arenaCapacity} B):\n` +
        tooLarge
          .map((c) => `  ${c.name}: package ${c.build.bytes.length} B, arena ${arenaOf(c)} B`)
          .join('\n'),
    );
    // The board refuses a package larger than its region at LOAD_BEGIN.
    for (const c of tooLarge.filter((t) => t.build.bytes.length > info.packageCapacity)) {
      const err = await client.loadPackage(c.build.bytes).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, c.name).toBeInstanceOf(RpcError);
      expect((err as RpcError).code, c.name).toBe('TOO_LARGE');
    }
  });

  const runnable = supported.filter(fits);
  const small = runnable.filter((c) => c.build.bytes.length <= UPLOAD_LIMIT);
  const large = runnable.filter((c) => c.build.bytes.length > UPLOAD_LIMIT);

  it.each(small.map((c) => [c.name, c] as const))(
    `%s: ${SETS} random input sets bit-exact with the host runtime (uploaded over RPC)`,
    async (_name, c) => {
      const loaded = await client.loadPackage(c.build.bytes);
      expect(loaded.layers).toBe(c.build.contents.ops.length);
      expectSameAsHost(c, await runOnBoard(client, c));
    },
    120_000,
  );

  it.each(large.map((c) => [c.name, c] as const))(
    `%s: ${SETS} random input sets bit-exact with the host runtime (placed in memory before boot)`,
    async (_name, c) => {
      const b = await bootWith(c.build.bytes);
      try {
        expect((await b.client.info()).model?.layers).toBe(c.build.contents.ops.length);
        expectSameAsHost(c, await runOnBoard(b.client, c));
      } finally {
        await b.close();
      }
    },
    300_000,
  );
});

if (!ready)
  it.skip('shared models on the virtual board: shared models, firmware or C compiler missing', () => {});
