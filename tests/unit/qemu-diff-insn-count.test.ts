// The validator firmware on QEMU (mps2-an386) and on TinyDeploy's emulator
// (virtual-apollo4p), same packages, same inputs: the outputs must be equal
// and so must the number of instructions each layer executes. The runtime
// and kernels are the same C code compiled with the same flags into both
// images, so between the layer hooks the two machines run the same
// instruction sequence; QEMU counts it with a TCG plugin
// (tests/qemu-plugin/insn_count.c), the emulator with a probe on its blocks
// (tests/qemu-plugin/emulator-probe.ts). The window and what is left out
// of it (the layer hooks, which read board counters, and interrupt
// handlers) are explained in docs/emulator.md, "Instruction counts against
// QEMU".
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PackageBuild } from '../../src/core/package/build-package.ts';
import { BoardClient } from '../../src/core/rpc/client.ts';
import { CATALOGUE, catalogueCase } from '../../src/core/testgen/catalogue.ts';
import {
  virtualBoard,
  type VirtualBoardTransport,
} from '../../src/core/transport/virtual-board.ts';
import { parseElf } from '../../src/emulator/elf.ts';
import { hasQemu, prebuiltElf, startQemu, type QemuBoard } from '../../src/node/qemu.ts';
import {
  buildInsnCountPlugin,
  hasHostCc,
  insnCountPluginArgs,
  invokeCounts,
  parseInsnCountReport,
  validatorWindow,
  windowSetup,
  type InvokeCounts,
  type ValidatorWindow,
} from '../../src/node/qemu-plugin.ts';
import { socketTransport } from '../../src/node/transport-tcp.ts';
import { attachProbe, type EmulatorProbe } from '../qemu-plugin/emulator-probe.ts';
import { packageOf, randomBytes, representativePackages } from '../support/package-fixtures.ts';

const ready = hasQemu() && hasHostCc();
/** Packages above this are placed in memory before boot on both boards (QEMU's UART is slow). */
const UPLOAD_LIMIT = 32 * 1024;
const SAMPLES = 2;

interface Case {
  name: string;
  build: PackageBuild;
}

/** One single-op case per kernel (the catalogue's first for each), then the fixtures' models. */
function cases(): Case[] {
  const out: Case[] = [];
  const seen = new Set<string>();
  for (const e of CATALOGUE) {
    if (seen.has(e.kernel)) continue;
    seen.add(e.kernel);
    out.push({ name: e.name, build: packageOf(catalogueCase(e).model) });
  }
  for (const p of representativePackages(512 * 1024)) out.push({ name: p.name, build: p.build });
  return out;
}

/** Random inputs; floats kept finite and small. */
function sampleInputs(build: PackageBuild, seed: number): Uint8Array[] {
  const { tensors, inputs } = build.contents;
  return inputs.map((t, i) => {
    const tensor = tensors[t]!;
    const raw = randomBytes(tensor.bytes, seed * 31 + i + 1);
    if (tensor.dtype !== 'FLOAT32') return raw;
    const f = new Float32Array(tensor.bytes / 4);
    for (let k = 0; k < f.length; k++) f[k] = (raw[k]! - 128) / 32;
    return new Uint8Array(f.buffer);
  });
}

interface Side {
  client: BoardClient;
  window: ValidatorWindow;
  /** Counts of every INVOKE so far. */
  counts(): InvokeCounts[];
  close(): Promise<void>;
}

let pluginPath = '';
let scratch = '';
let qemuRuns = 0;
/** Both images, read once: a rebuild of firmware-prebuilt/ during the run must not mix versions. */
let qemuElf = '';
let virtualImage: Uint8Array = new Uint8Array();

async function bootQemu(pkg?: Uint8Array): Promise<Side> {
  const elfPath = qemuElf;
  const window = validatorWindow(parseElf(new Uint8Array(readFileSync(elfPath))));
  const out = join(scratch, `qemu-${qemuRuns++}.txt`);
  const q: QemuBoard = await startQemu({
    elf: elfPath,
    ...(pkg ? { package: pkg } : {}),
    extraArgs: insnCountPluginArgs(pluginPath, out, windowSetup(window)),
  });
  const transport = socketTransport(q.socket);
  q.socket.resume();
  const client = new BoardClient(transport, { invokeTimeoutMs: 60_000 });
  return {
    client,
    window,
    counts: () => invokeCounts(parseInsnCountReport(readFileSync(out, 'utf8')).marks, window),
    close: async () => {
      await client.close();
      await q.stop();
    },
  };
}

async function bootVirtual(pkg?: Uint8Array): Promise<Side & { probe: EmulatorProbe }> {
  const image = virtualImage;
  const elf = parseElf(image);
  const window = validatorWindow(elf);
  const transport: VirtualBoardTransport = virtualBoard(image);
  // Before the first slice runs: no block has been built yet.
  const probe = attachProbe(transport.machine.cpu, windowSetup(window));
  if (pkg) transport.machine.mem.load(elf.symbols.address('__td_package_start'), pkg);
  let text = '';
  const stop = transport.onData((b) => {
    for (const x of b) text += String.fromCharCode(x);
  });
  await transport.settled();
  stop();
  if (!text.includes('TinyDeploy validator virtual-apollo4p'))
    throw new Error(`virtual board did not boot: ${JSON.stringify(text)}`);
  const client = new BoardClient(transport, { invokeTimeoutMs: 60_000 });
  return {
    client,
    window,
    probe,
    counts: () => invokeCounts(probe.marks, window),
    close: () => client.close(),
  };
}

interface Run {
  outputs: Uint8Array[];
  counts: InvokeCounts[];
}

async function runSamples(side: Side, build: PackageBuild, seed: number): Promise<Run> {
  const outputs: Uint8Array[] = [];
  const counts: InvokeCounts[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    for (const [i, bytes] of sampleInputs(build, seed + s).entries())
      await side.client.setInput(i, bytes);
    const before = side.counts().length;
    await side.client.invoke();
    const all = side.counts();
    expect(all.length).toBe(before + 1);
    counts.push(all[all.length - 1]!);
    for (let o = 0; o < build.contents.outputs.length; o++)
      outputs.push((await side.client.getOutput(o)).data);
  }
  return { outputs, counts };
}

function compare(c: Case, q: Run, v: Run): void {
  const layers = c.build.contents.ops.length;
  expect(v.outputs.map((o) => Buffer.from(o).toString('hex'))).toEqual(
    q.outputs.map((o) => Buffer.from(o).toString('hex')),
  );
  for (const [s, counts] of q.counts.entries()) {
    expect(counts.layers).toHaveLength(layers);
    for (const l of counts.layers) expect(l.kernel).toBeGreaterThan(0);
    expect(v.counts[s]).toEqual(counts);
  }
}

describe.skipIf(!ready)('instruction counts: QEMU mps2-an386 against the emulator', () => {
  const all = ready ? cases() : [];
  const small = all.filter((c) => c.build.bytes.length <= UPLOAD_LIMIT);
  const large = all.filter((c) => c.build.bytes.length > UPLOAD_LIMIT);
  let qemu: Side | undefined;
  let virt: Side | undefined;

  beforeAll(async () => {
    pluginPath = buildInsnCountPlugin();
    scratch = mkdtempSync(join(tmpdir(), 'td-qemu-diff-'));
    qemuElf = join(scratch, 'qemu-an386.elf');
    copyFileSync(prebuiltElf('qemu-an386'), qemuElf);
    virtualImage = new Uint8Array(readFileSync(prebuiltElf('virtual-apollo4p')));
    [qemu, virt] = await Promise.all([bootQemu(), bootVirtual()]);
  }, 60_000);
  afterAll(async () => {
    await qemu?.close();
    await virt?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it.each(small.map((c) => [c.name, c] as const))(
    '%s: same outputs, same instructions per layer',
    async (_name, c) => {
      await qemu!.client.loadPackage(c.build.bytes);
      await virt!.client.loadPackage(c.build.bytes);
      const q = await runSamples(qemu!, c.build, 7);
      const v = await runSamples(virt!, c.build, 7);
      compare(c, q, v);
    },
    60_000,
  );

  it.each(large.map((c) => [c.name, c] as const))(
    '%s (placed before boot): same outputs, same instructions per layer',
    async (_name, c) => {
      const [qs, vs] = await Promise.all([bootQemu(c.build.bytes), bootVirtual(c.build.bytes)]);
      try {
        const q = await runSamples(qs, c.build, 3);
        const v = await runSamples(vs, c.build, 3);
        compare(c, q, v);
      } finally {
        await qs.close();
        await vs.close();
      }
    },
    120_000,
  );
});

if (!ready) it.skip('instruction counts against QEMU: qemu-system-arm or cc missing', () => {});
