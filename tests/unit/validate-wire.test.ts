import { describe, expect, it } from 'vitest';
import {
  decodeJob,
  decodeResult,
  encodeJob,
  encodeResult,
  packFrame,
  unpackFrame,
} from '../../src/core/reference/wire.ts';
import type { ReferenceResult } from '../../src/core/reference/types.ts';

describe('reference wire frames', () => {
  it('round-trips a job with every tensor type, keeping types and values', () => {
    const job = {
      model: Uint8Array.of(1, 2, 3, 4, 5),
      inputSets: [
        [Int8Array.of(-128, 127), Uint8Array.of(255), Int16Array.of(-32768, 7, 32767)],
        [Int32Array.of(-(2 ** 31), 2 ** 31 - 1), Float32Array.of(0.5, -Infinity, NaN)],
      ],
      extraInputs: [Int8Array.of(3, 2, 1)],
      profile: true,
    };
    const back = decodeJob(encodeJob(job));
    expect(back.model).toEqual(job.model);
    expect(back.inputSets).toEqual(job.inputSets);
    expect(back.inputSets[1]?.[1]).toBeInstanceOf(Float32Array);
    expect(back.extraInputs).toEqual(job.extraInputs);
    expect(back.profile).toBe(true);
  });

  it('round-trips results and failures', () => {
    const ok: ReferenceResult = {
      ok: true,
      inputs: [{ name: 'in', type: 'INT8', shape: [1, 2] }],
      outputs: [{ name: 'out', type: 'INT16', shape: [3] }],
      outputSets: [[Int16Array.of(1, -2, 3)]],
      nodeTypes: ['CONV_2D'],
      timing: { loadMs: 1, inferMs: 2 },
    };
    expect(decodeResult(encodeResult(ok))).toEqual(ok);
    const bad: ReferenceResult = { ok: false, error: 'no' };
    expect(decodeResult(encodeResult(bad))).toEqual(bad);
  });

  it('keeps blobs 8-byte aligned and rejects damaged frames', () => {
    const frame = packFrame({ a: 1 }, [Uint8Array.of(1, 2, 3), Uint8Array.of(9)]);
    const { blobs } = unpackFrame(frame);
    for (const b of blobs) expect(b.byteOffset % 8).toBe(0);
    expect(() => unpackFrame(frame.subarray(0, frame.length - 8))).toThrow(/truncated/);
    const wrong = frame.slice();
    wrong[0] = 0;
    expect(() => unpackFrame(wrong)).toThrow(/not a reference frame/);
  });
});
