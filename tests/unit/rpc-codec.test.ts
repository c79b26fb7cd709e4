// The RPC codec: COBS and frames round-trip, and hostile bytes (garbage,
// damaged frames, random payloads) only ever produce typed errors, never a
// frame that was not sent.
import { describe, expect, it } from 'vitest';
import { cobsDecode, cobsEncode, cobsMaxEncoded } from '../../src/core/rpc/cobs.ts';
import {
  decodeFrame,
  encodeFrame,
  FrameError,
  FrameReader,
  type Frame,
} from '../../src/core/rpc/frame.ts';
import {
  BadPayload,
  parseInfo,
  parseInvoke,
  parseKernels,
  parseLoadCommit,
  parseProfile,
  parseTensorChunk,
} from '../../src/core/rpc/messages.ts';
import { createRng, type Rng } from '../../src/core/validate/prng.ts';

function bytes(rng: Rng, n: number, zeroChance: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => (rng.chance(zeroChance) ? 0 : rng.int(1, 255)));
}

function randomFrame(rng: Rng): Omit<Frame, 'version'> {
  const n = rng.pick([0, 1, 253, 254, 255, 508, rng.int(0, 1100)]);
  return {
    type: rng.int(0, 255),
    flags: rng.int(0, 255),
    status: rng.int(0, 255),
    seq: rng.int(0, 0xffff),
    payload: bytes(rng, n, rng.pick([0, 0.004, 0.5, 1])),
  };
}

/** Feeds a stream to a FrameReader in random slices; returns frames and errors. */
function read(stream: Uint8Array, rng: Rng): { frames: Frame[]; errors: FrameError[] } {
  const frames: Frame[] = [];
  const errors: FrameError[] = [];
  const reader = new FrameReader(
    { frame: (f) => frames.push(f), damaged: (e) => errors.push(e) },
    2048,
  );
  for (let at = 0; at < stream.length;) {
    const n = rng.int(1, 64);
    reader.push(stream.subarray(at, at + n));
    at += n;
  }
  return { frames, errors };
}

const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
};

describe('COBS', () => {
  it('round-trips block boundaries and zero runs, with no zero in the output', () => {
    const rng = createRng(1);
    const cases = [0, 1, 2, 253, 254, 255, 256, 507, 508, 509, 1000].flatMap((n) =>
      [0, 0.5, 1].map((z) => bytes(rng, n, z)),
    );
    for (const data of cases) {
      const enc = cobsEncode(data);
      expect(enc.includes(0)).toBe(false);
      expect(enc.length).toBeLessThanOrEqual(cobsMaxEncoded(data.length));
      expect(cobsDecode(enc)).toEqual(data);
    }
  });

  it('encodes known vectors', () => {
    expect([...cobsEncode(Uint8Array.of())]).toEqual([1]);
    expect([...cobsEncode(Uint8Array.of(0))]).toEqual([1, 1]);
    expect([...cobsEncode(Uint8Array.of(0x11, 0x22, 0, 0x33))]).toEqual([3, 0x11, 0x22, 2, 0x33]);
    const run = new Uint8Array(254).fill(7);
    expect([...cobsEncode(run)]).toEqual([255, ...run]);
    expect([...cobsEncode(Uint8Array.of(...run, 0))]).toEqual([255, ...run, 1, 1]);
  });

  it('rejects codes that run past the end and embedded zeros', () => {
    expect(cobsDecode(Uint8Array.of(5, 1, 2))).toBeNull();
    expect(cobsDecode(Uint8Array.of(3, 1, 0))).toBeNull();
    expect(cobsDecode(Uint8Array.of(0))).toBeNull();
  });
});

describe('frames', () => {
  it('round-trip through the stream reader, whatever the slicing', () => {
    const rng = createRng(2);
    const sent = Array.from({ length: 200 }, () => randomFrame(rng));
    const { frames, errors } = read(concat(sent.map((f) => encodeFrame(f))), rng);
    expect(errors).toEqual([]);
    expect(frames).toEqual(sent.map((f) => ({ version: 1, ...f })));
  });

  it('decodes garbage only into FrameErrors (10,000 cases)', () => {
    const rng = createRng(3);
    const codes = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      // Half raw junk, half COBS-valid junk whose length field is consistent.
      let junk = bytes(rng, rng.int(0, 40), 0.05);
      if (rng.chance(0.5)) {
        const raw = bytes(rng, 12 + rng.int(0, 30), 0.1);
        new DataView(raw.buffer).setUint16(6, raw.length - 12, true);
        junk = cobsEncode(raw);
      }
      try {
        decodeFrame(junk);
        throw new Error(`garbage decoded as a frame: ${junk.join(',')}`);
      } catch (e) {
        expect(e).toBeInstanceOf(FrameError);
        codes.add((e as FrameError).code);
      }
    }
    expect([...codes].sort()).toEqual(['COBS', 'CRC', 'LENGTH', 'SHORT']);
  });

  it('never yields a frame that was not sent from damaged streams (10,000 cases)', () => {
    const rng = createRng(4);
    let damaged = 0;
    let intact = 0;
    for (let i = 0; i < 10_000; i++) {
      const sent = Array.from({ length: rng.int(1, 3) }, () => ({
        version: 1,
        ...randomFrame(rng),
        payload: bytes(rng, rng.int(0, 80), 0.1),
      }));
      const stream = Array.from(concat(sent.map((f) => encodeFrame(f))));
      for (let k = rng.int(1, 4); k > 0; k--) {
        const at = rng.int(0, stream.length - 1);
        switch (rng.int(0, 3)) {
          case 0:
            stream[at] = (stream[at] as number) ^ rng.int(1, 255);
            break;
          case 1:
            stream.splice(at, 1);
            break;
          case 2:
            stream.splice(at, 0, rng.int(0, 255));
            break;
          default:
            stream.splice(at, rng.int(1, 20), ...bytes(rng, rng.int(0, 20), 0.2));
        }
      }
      const { frames, errors } = read(Uint8Array.from(stream), rng);
      const key = (f: Frame): string => JSON.stringify({ ...f, payload: [...f.payload] });
      const keys = new Set(sent.map(key));
      const foreign = frames.filter((f) => !keys.has(key(f)));
      if (foreign.length > 0) expect(foreign).toEqual([]);
      damaged += errors.length;
      intact += frames.length;
    }
    // Both outcomes are common: the check above is not vacuous.
    expect(damaged).toBeGreaterThan(5000);
    expect(intact).toBeGreaterThan(1000);
  });

  it('reports an oversized stretch once, then reads on', () => {
    const rng = createRng(5);
    const f = randomFrame(rng);
    const { frames, errors } = read(
      concat([
        new Uint8Array(5000).fill(9),
        encodeFrame({ ...f, payload: f.payload.subarray(0, 100) }),
      ]),
      rng,
    );
    expect(errors.map((e) => e.code)).toEqual(['OVERSIZE']);
    expect(frames).toHaveLength(1);
  });
});

describe('payload parsers', () => {
  it('reject random payloads only with BadPayload (10,000 cases)', () => {
    const rng = createRng(6);
    const parsers = [
      parseInfo,
      parseInvoke,
      parseKernels,
      parseLoadCommit,
      parseProfile,
      parseTensorChunk,
    ];
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < 10_000; i++) {
      const parse = rng.pick(parsers);
      try {
        parse(bytes(rng, rng.int(0, 120), 0.3));
        accepted++;
      } catch (e) {
        if (!(e instanceof BadPayload)) throw e;
        rejected++;
      }
    }
    expect(accepted).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  });
});
