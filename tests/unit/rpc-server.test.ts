// The C RPC server (firmware/rpc) built for the host under ASan + UBSan,
// driven by the TypeScript client over the process's stdin/stdout, with the
// real runtime behind it: results must equal the host runner's.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildExample } from '../../src/core/examples/index.ts';
import type { PackageBuild } from '../../src/core/package/build-package.ts';
import { crc32 } from '../../src/core/package/crc32.ts';
import { RpcError } from '../../src/core/rpc/errors.ts';
import { encodeFrame, FrameReader, type Frame } from '../../src/core/rpc/frame.ts';
import { FLAG_REPLAY, MsgType, RESPONSE_BIT, WireStatus } from '../../src/core/rpc/wire.ts';
import type { Transport } from '../../src/core/transport/transport.ts';
import { runPackage } from '../support/host-runtime.ts';
import { packageOf, randomBytes, reshapeChain } from '../support/package-fixtures.ts';
import { startHostBoard, type HostBoard } from './rpc-support.ts';

const cnn = packageOf(buildExample('cnn-int8')!);

const tensorBytes = (b: PackageBuild, which: 'inputs' | 'outputs'): number[] =>
  b.contents[which].map((t) => b.contents.tensors[t]!.bytes);

function split(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  let at = 0;
  return sizes.map((n) => bytes.subarray(at, (at += n)));
}

/** The host runner's outputs for one sample, one array per output. */
function reference(b: PackageBuild, inputs: Uint8Array[]): Uint8Array[] {
  const all = new Uint8Array(inputs.reduce((s, x) => s + x.length, 0));
  let at = 0;
  for (const x of inputs) all.set(x, (at += x.length) - x.length);
  const r = runPackage(b.bytes, all);
  if (!r.ok) throw new Error(`td-run failed: ${r.stderr}`);
  return split(r.outputs, tensorBytes(b, 'outputs'));
}

let board: HostBoard | null = null;
afterEach(async () => {
  if (board) {
    const stderr = await board.stop();
    board = null;
    expect(stderr).toBe(''); // a sanitizer report would land here
  }
});

/** Sends frames by hand and collects the answers (for what the client never does). */
function rawLink(t: Transport): {
  send(f: Omit<Frame, 'version'> & { version?: number }): Promise<Frame>;
} {
  const waiting: ((f: Frame) => void)[] = [];
  const reader = new FrameReader({
    frame: (f) => waiting.shift()?.(f),
    damaged: (e) => {
      throw e;
    },
  });
  t.onData((b) => reader.push(b));
  return {
    send: (f) =>
      new Promise<Frame>((resolve) => {
        waiting.push(resolve);
        void t.write(encodeFrame(f));
      }),
  };
}

async function rejection(p: Promise<unknown>): Promise<RpcError> {
  const e: unknown = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!(e instanceof RpcError)) throw new Error(`expected an RpcError, got ${String(e)}`);
  return e;
}

describe('RPC server on the host', () => {
  it('reports the board, then a package it loaded', async () => {
    board = startHostBoard(['--package', '65536', '--arena', '32768', '--max-payload', '200']);
    const info = await board.client.info();
    expect(info).toMatchObject({
      protocolVersion: 1,
      name: 'host',
      packageCapacity: 65536,
      arenaCapacity: 32768,
      maxPayload: 200,
      numCounters: 6,
      model: null,
    });
    const kernels = await board.client.kernels();
    expect(kernels.length).toBe(info.kernelCount);
    for (const op of cnn.contents.ops) expect(kernels).toContain(op.kernelId);
    const progress: number[] = [];
    const load = await board.client.loadPackage(cnn.bytes, (sent) => progress.push(sent));
    expect(load).toMatchObject({
      status: 0,
      inputs: 1,
      outputs: 1,
      layers: cnn.contents.ops.length,
      tensors: cnn.contents.tensors.length,
    });
    // 196-byte chunks, and progress ends at the full size.
    expect(progress.length).toBe(1 + Math.ceil(cnn.bytes.length / 196));
    expect(progress.at(-1)).toBe(cnn.bytes.length);
    expect((await board.client.info()).model).toMatchObject({ layers: cnn.contents.ops.length });
  });

  it('runs samples with outputs equal to the host runner, for multi-input models too', async () => {
    board = startHostBoard(['--max-payload', '256']);
    for (const b of [cnn, packageOf(reshapeChain())]) {
      await board.client.loadPackage(b.bytes);
      for (let s = 0; s < 3; s++) {
        const inputs = tensorBytes(b, 'inputs').map((n, i) => randomBytes(n, 100 * s + i + 1));
        for (const [i, x] of inputs.entries()) await board.client.setInput(i, x);
        expect((await board.client.getInput(0)).data).toEqual(inputs[0]);
        const run = await board.client.invoke();
        expect(run).toMatchObject({
          status: 0,
          failedLayer: null,
          layersRun: b.contents.ops.length,
        });
        const want = reference(b, inputs);
        for (let o = 0; o < want.length; o++) {
          const out = await board.client.getOutput(o);
          const t = b.contents.tensors[b.contents.outputs[o]!]!;
          expect(out).toMatchObject({ dtype: t.dtype, shape: t.shape, zeroPoint: t.zeroPoint });
          expect(out.data).toEqual(want[o]);
        }
      }
    }
  });

  it('profiles every layer with the counters the board reports', async () => {
    board = startHostBoard(['--profile', '4']);
    await board.client.loadPackage(cnn.bytes);
    const run = await board.client.invoke();
    // --profile 4: only the first four layers are recorded, all count in the total.
    expect(run.profileRecords).toBe(4);
    const profile = await board.client.getProfile();
    expect(profile.counters).toEqual(['cyc', 'cpi', 'exc', 'sleep', 'lsu', 'fold']);
    expect(profile.layers.map((l) => l.layer)).toEqual([0, 1, 2, 3]);
    // The fake counters advance counter k by k + 1 per read, wrapping past 2^32.
    for (const l of profile.layers) expect(l.values).toEqual([1, 2, 3, 4, 5, 6]);
    expect(run.totalCycles).toBe(cnn.contents.ops.length);
  });

  it('stops after a layer so that its outputs can be read, as the host runner dumps them', async () => {
    board = startHostBoard(['--max-payload', '512']);
    await board.client.loadPackage(cnn.bytes);
    const input = randomBytes(tensorBytes(cnn, 'inputs')[0]!, 77);
    const dump = runPackage(cnn.bytes, input, { layers: true });
    if (!dump.ok || !dump.layers) throw new Error('td-run --layers failed');
    let at = 0;
    for (const [layer, op] of cnn.contents.ops.entries()) {
      await board.client.setInput(0, input); // an early stop may have overwritten it
      const run = await board.client.invoke({ stopAfterLayer: layer });
      expect(run.layersRun).toBe(layer + 1);
      for (const t of op.outputs) {
        const got = await board.client.getTensor(t);
        expect(got.data).toEqual(dump.layers.subarray(at, (at += got.data.length)));
      }
    }
    expect(at).toBe(dump.layers.length);
    // Constants read back as packaged.
    const c = cnn.contents.tensors.findIndex((t) => t.kind === 'const' && t.bytes > 300);
    const t = cnn.contents.tensors[c]!;
    const got = await board.client.getTensor(c);
    expect(got.isConst).toBe(true);
    expect(got.data).toEqual(cnn.contents.constData.subarray(t.offset, t.offset + t.bytes));
  });

  it('answers bad requests with typed errors that name the request', async () => {
    board = startHostBoard(['--package', '4096']);
    const c = board.client;
    expect(await rejection(c.invoke())).toMatchObject({ code: 'BAD_STATE' });
    expect((await rejection(c.getOutput(0))).message).toMatch(/^GET_OUTPUT 0 chunk 1: .*BAD_STATE/);
    expect((await rejection(c.loadPackage(cnn.bytes))).code).toBe('TOO_LARGE');
    // A corrupted package passes the transfer CRC but not td_load's.
    const bad = packageOf(reshapeChain()).bytes.slice();
    bad[100] = (bad[100] ?? 0) ^ 0xff;
    const e = await rejection(c.loadPackage(bad));
    expect(e).toMatchObject({
      code: 'RUNTIME',
      runtime: { status: 'TD_ERR_BAD_CRC', layer: null },
    });
    expect(e.message).toMatch(/LOAD_PACKAGE commit: td_load failed with TD_ERR_BAD_CRC/);
    const ok = packageOf(reshapeChain());
    await c.loadPackage(ok.bytes);
    expect((await rejection(c.setInput(0, new Uint8Array(3)))).code).toBe('ARGUMENT');
    expect((await rejection(c.setInput(5, new Uint8Array(3)))).code).toBe('OUT_OF_RANGE');
    expect((await rejection(c.getTensor(ok.contents.tensors.length))).code).toBe('OUT_OF_RANGE');
    expect((await rejection(c.invoke({ stopAfterLayer: 99 }))).code).toBe('OUT_OF_RANGE');
    await c.reset(true); // the host server re-initialises, as a rebooted board would
    expect((await c.info()).model).toBeNull();
    expect((await rejection(c.invoke())).code).toBe('BAD_STATE');
  });

  it('answers a repeated request from its cache instead of executing it again', async () => {
    board = startHostBoard();
    const c = board.client;
    const b = packageOf(reshapeChain());
    await c.loadPackage(b.bytes); // an upload to commit again by hand
    const raw = rawLink(board.process);
    const empty = new Uint8Array(0);
    const begin = new Uint8Array(8);
    new DataView(begin.buffer).setUint32(0, b.bytes.length, true);
    new DataView(begin.buffer).setUint32(4, crc32(b.bytes), true);
    const req = (type: number, seq: number, payload = empty) =>
      raw.send({ type, flags: 0, status: 0, seq, payload });
    expect((await req(MsgType.LOAD_BEGIN, 500, begin)).status).toBe(WireStatus.OK);
    const chunk = new Uint8Array(4 + b.bytes.length);
    chunk.set(b.bytes, 4);
    expect((await req(MsgType.LOAD_CHUNK, 501, chunk)).status).toBe(WireStatus.OK);
    const first = await req(MsgType.LOAD_COMMIT, 502);
    expect(first).toMatchObject({
      type: MsgType.LOAD_COMMIT | RESPONSE_BIT,
      seq: 502,
      status: 0,
      flags: 0,
    });
    // Executed again, a commit would find no upload in progress (BAD_STATE).
    const again = await req(MsgType.LOAD_COMMIT, 502);
    expect(again).toEqual({ ...first, flags: FLAG_REPLAY });
    // The same number on another request is a new request, not a repeat.
    expect(await req(MsgType.LOAD_COMMIT, 502, Uint8Array.of(1))).toMatchObject({
      status: WireStatus.BAD_REQUEST,
      flags: 0,
    });
    expect((await req(MsgType.LOAD_COMMIT, 503)).status).toBe(WireStatus.BAD_STATE);
  });

  it('echoes payloads across COBS block boundaries unchanged', async () => {
    board = startHostBoard();
    const cases = [0, 1, 253, 254, 255, 508, 1024].flatMap((n) => [
      new Uint8Array(n).fill(0x5a),
      new Uint8Array(n),
      randomBytes(n, n + 1).map((x, i) => (i % 254 === 253 ? 0 : x)),
    ]);
    for (const p of cases) expect(await board.client.echo(p)).toEqual(p);
    // Over the limit: refused, and NAKed when it does not even fit the buffer.
    expect((await rejection(board.client.echo(new Uint8Array(1025)))).code).toBe('BAD_REQUEST');
    const e = await rejection(board.client.echo(new Uint8Array(1100).fill(1)));
    expect(e.message).toMatch(/^ECHO of 1100 bytes: the answer came back damaged on each of 4/);
  });

  it('forgets the model on a soft reset', async () => {
    board = startHostBoard();
    await board.client.loadPackage(cnn.bytes);
    await board.client.reset();
    expect((await board.client.info()).model).toBeNull();
    expect((await rejection(board.client.getOutput(0))).code).toBe('BAD_STATE');
  });

  it('serves a package resident in memory from start, and again after a hard reset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rpc-resident-'));
    try {
      writeFileSync(join(dir, 'model.tdpk'), cnn.bytes);
      board = startHostBoard(['--resident', join(dir, 'model.tdpk')]);
      const c = board.client;
      expect((await c.info()).model).toMatchObject({ layers: cnn.contents.ops.length });
      const input = randomBytes(tensorBytes(cnn, 'inputs')[0]!, 5);
      const run = async () => {
        await c.setInput(0, input);
        await c.invoke();
        return (await c.getOutput(0)).data;
      };
      expect(await run()).toEqual(reference(cnn, [input])[0]);
      await c.reset(true);
      expect(await run()).toEqual(reference(cnn, [input])[0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers another protocol version with BAD_VERSION, and unknown types with UNKNOWN_TYPE', async () => {
    board = startHostBoard();
    const raw = rawLink(board.process);
    const empty = new Uint8Array(0);
    const v2 = await raw.send({
      version: 2,
      type: MsgType.INFO,
      flags: 0,
      status: 0,
      seq: 9,
      payload: empty,
    });
    expect(v2).toMatchObject({
      version: 1,
      type: MsgType.INFO | RESPONSE_BIT,
      seq: 9,
      status: WireStatus.BAD_VERSION,
    });
    const odd = await raw.send({ type: 0x3f, flags: 0, status: 0, seq: 10, payload: empty });
    expect(odd.status).toBe(WireStatus.UNKNOWN_TYPE);
    // The host board has no custom requests.
    expect((await rejection(board.client.custom(0x41, empty))).message).toBe(
      'CUSTOM_0x41: board answered UNKNOWN_TYPE (the firmware does not implement this request)',
    );
    expect((await rejection(board.client.custom(0x30, empty))).code).toBe('ARGUMENT');
  });
});
