// The C server and the client through a damaged link (seeded drops and
// corruptions in both directions): every run must end with results equal
// to the host runner's or with a clear error, never a silently wrong result.
import { describe, expect, it } from 'vitest';
import { buildExample } from '../../src/core/examples/index.ts';
import type { BoardClient } from '../../src/core/rpc/client.ts';
import { RpcError } from '../../src/core/rpc/errors.ts';
import { lossy, type LossyTransport } from '../../src/core/transport/lossy.ts';
import { runPackage } from '../support/host-runtime.ts';
import { packageOf, randomBytes } from '../support/package-fixtures.ts';
import { startHostBoard } from './rpc-support.ts';

const mlp = packageOf(buildExample('mlp-float')!);
const SAMPLES = 20;
const inBytes = mlp.contents.tensors[mlp.contents.inputs[0]!]!.bytes;
const outBytes = mlp.contents.tensors[mlp.contents.outputs[0]!]!.bytes;
const inputs = randomBytes(SAMPLES * inBytes, 42).map((b, i) =>
  // float32 inputs: keep them finite and modest (exponent byte bounded).
  i % 4 === 3 ? b & 0x3f : b,
);
const expected = (() => {
  const r = runPackage(mlp.bytes, inputs);
  if (!r.ok) throw new Error(`td-run failed: ${r.stderr}`);
  return r.outputs;
})();

/** A full load and SAMPLES invokes; returns the outputs, back to back. */
async function session(client: BoardClient): Promise<Uint8Array> {
  await client.loadPackage(mlp.bytes);
  const out = new Uint8Array(SAMPLES * outBytes);
  for (let s = 0; s < SAMPLES; s++) {
    await client.setInput(0, inputs.subarray(s * inBytes, (s + 1) * inBytes));
    await client.invoke();
    out.set((await client.getOutput(0)).data, s * outBytes);
  }
  return out;
}

async function run(
  seed: number,
  rate: number,
  retries: number,
): Promise<{ outcome: Uint8Array | RpcError; link: LossyTransport; stats: BoardClient['stats'] }> {
  let link: LossyTransport | null = null;
  const board = startHostBoard(
    ['--max-payload', '256'],
    { timeoutMs: 200, invokeTimeoutMs: 400, retries, maxPayload: 256 },
    (t) => (link = lossy(t, { seed, drop: rate, corrupt: rate })),
  );
  let outcome: Uint8Array | RpcError;
  try {
    outcome = await session(board.client);
  } catch (e) {
    if (!(e instanceof RpcError)) throw e;
    outcome = e;
  }
  const stderr = await board.stop();
  expect(stderr).toBe('');
  return { outcome, link: link!, stats: board.client.stats };
}

describe('RPC over a lossy link', () => {
  it('loads a 69 KB package and runs 20 samples correctly with 1 byte in 1,000 dropped and 1 in 1,000 corrupted', async () => {
    let faults = 0;
    let damaged = 0;
    let replays = 0;
    for (const seed of [1, 2, 3]) {
      const { outcome, link, stats } = await run(seed, 0.001, 10);
      // With ten retries a failure is improbable; an RpcError would still be
      // an acceptable outcome, but a wrong result never is.
      if (outcome instanceof RpcError) throw outcome;
      expect(outcome).toEqual(expected);
      faults += link.stats.dropped + link.stats.corrupted;
      damaged += stats.damaged + stats.timeouts;
      replays += stats.replays;
    }
    // The link really was damaged, retries happened, and the server answered
    // some repeats from its cache.
    expect(faults).toBeGreaterThan(100);
    expect(damaged).toBeGreaterThan(50);
    expect(replays).toBeGreaterThan(0);
  });

  it('ends with a clear error naming the request when the link is too bad', async () => {
    for (const seed of [7, 8]) {
      const { outcome } = await run(seed, 0.003, 1);
      if (!(outcome instanceof RpcError)) {
        expect(outcome).toEqual(expected); // luck is allowed; wrong results are not
        continue;
      }
      expect(['LINK', 'TIMEOUT']).toContain(outcome.code);
      expect(outcome.message).toMatch(
        /(INFO|LOAD_PACKAGE (begin|chunk \d+\/\d+|commit)|SET_INPUT 0|GET_INPUT 0|INVOKE|GET_OUTPUT 0)/,
      );
    }
  });
});
