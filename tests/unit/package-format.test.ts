// The package byte format in TS: CRC, writer/parser round trip, and the
// parser's verdicts on damaged packages (the runtime's are tested against
// these in runtime-load.test.ts).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/core/package/crc32.ts';
import { H, HEADER_BYTES, T, TENSOR_RECORD_BYTES } from '../../src/core/package/format.ts';
import { KERNEL_IDS } from '../../src/core/package/kernel-ids.ts';
import type { PackageContents } from '../../src/core/package/package-types.ts';
import { parsePackage } from '../../src/core/package/parse-package.ts';
import { resealPackage, writePackage } from '../../src/core/package/write-package.ts';
import { packageOf, randomBytes, reshapeChain } from '../support/package-fixtures.ts';

const repoRoot = resolve(import.meta.dirname, '../..');

function u32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(at, true);
}

function setU32(bytes: Uint8Array, at: number, v: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(at, v >>> 0, true);
  return copy;
}

const codeOf = (bytes: Uint8Array): string => {
  const r = parsePackage(bytes);
  return r.ok ? 'OK' : r.error.code;
};

describe('crc32', () => {
  it('matches zlib on random buffers, whole and in pieces', () => {
    for (const n of [0, 1, 3, 64, 1000, 4097]) {
      const b = randomBytes(n, n + 7);
      expect(crc32(b)).toBe(zlibCrc32(b));
      const cut = Math.floor(n / 3);
      expect(crc32(b.subarray(cut), crc32(b.subarray(0, cut)))).toBe(zlibCrc32(b));
    }
  });

  it('gives the standard check value for "123456789"', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});

describe('kernel ids', () => {
  it('are the same numbers in td_kernels.h and kernel-ids.ts', () => {
    const header = readFileSync(resolve(repoRoot, 'firmware/runtime/include/td_kernels.h'), 'utf8');
    const inC = Object.fromEntries(
      [...header.matchAll(/TD_K_(\w+)\s*=\s*(\d+)/g)].map((m) => [m[1], Number(m[2])]),
    );
    expect(inC).toEqual(KERNEL_IDS);
  });
});

describe('writePackage / parsePackage', () => {
  const contents = (): PackageContents => ({
    version: 1,
    tensors: [
      {
        dtype: 'INT8',
        shape: [2, 3],
        kind: 'arena',
        offset: 0,
        bytes: 6,
        zeroPoint: -5,
        scale: Math.fround(0.1),
        source: 4,
      },
      {
        dtype: 'INT32',
        shape: [],
        kind: 'const',
        offset: 16,
        bytes: 4,
        zeroPoint: 0,
        scale: 0,
        source: 7,
      },
      {
        dtype: 'INT16',
        shape: [1, 1, 1, 1, 1, 3],
        kind: 'state',
        offset: 16,
        bytes: 6,
        zeroPoint: 0,
        scale: 0,
        source: 9,
      },
      {
        dtype: 'FLOAT32',
        shape: [3],
        kind: 'arena',
        offset: 32,
        bytes: 12,
        zeroPoint: 0,
        scale: 0,
        source: 2,
      },
    ],
    ops: [
      {
        kernelId: KERNEL_IDS.ADD_S8,
        sourceOp: 3,
        inputs: [0, -1, 1],
        outputs: [3],
        params: [0xffffffff, 0, 32],
        arrays: [{ word: 2, bytes: 8 }],
      },
      {
        kernelId: KERNEL_IDS.RESHAPE,
        sourceOp: 5,
        inputs: [3],
        outputs: [2],
        params: [],
        arrays: [],
      },
    ],
    inputs: [0],
    outputs: [3, 2],
    constData: randomBytes(48, 3),
    arenaBytes: 48,
    scratchBytes: 100,
  });

  it('reads back exactly what it wrote', () => {
    const c = contents();
    const r = parsePackage(writePackage(c));
    expect(r.ok && r.value).toEqual(c);
  });

  it('places the constant region 16-byte aligned, after the I/O table', () => {
    const bytes = writePackage(contents());
    const constOffset = u32(bytes, H.constOffset);
    expect(constOffset % 16).toBe(0);
    expect(constOffset).toBeGreaterThanOrEqual(u32(bytes, H.ioOffset) + 4 * 3);
    expect(u32(bytes, H.totalBytes)).toBe(bytes.length);
    expect(bytes.subarray(constOffset)).toEqual(contents().constData);
  });

  it('rejects damage with the runtime status names', () => {
    const good = writePackage(contents());
    expect(codeOf(good)).toBe('OK');
    expect(codeOf(good.subarray(0, 63))).toBe('TRUNCATED');
    expect(codeOf(good.subarray(0, good.length - 1))).toBe('TRUNCATED');
    const magic = good.slice();
    magic[0] = 0x58;
    expect(codeOf(magic)).toBe('BAD_MAGIC');
    expect(codeOf(setU32(good, H.version, 2))).toBe('BAD_VERSION');
    const flipped = good.slice();
    flipped[HEADER_BYTES + 5] = (flipped[HEADER_BYTES + 5] as number) ^ 1;
    expect(codeOf(flipped)).toBe('BAD_CRC');

    const sealed = (at: number, v: number): string => {
      const b = setU32(good, at, v);
      resealPackage(b);
      return codeOf(b);
    };
    const t0 = u32(good, H.tensorsOffset);
    expect(sealed(H.opsBytes, 0xfffffff0)).toBe('OUT_OF_BOUNDS');
    expect(sealed(H.constOffset, 8)).toBe('ALIGNMENT');
    expect(sealed(H.numOutputs, 0)).toBe('BAD_INDEX');
    expect(sealed(t0 + T.offset, 48)).toBe('OUT_OF_BOUNDS'); // arena tensor past the arena
    expect(sealed(t0 + T.offset, 8)).toBe('ALIGNMENT');
    expect(sealed(t0 + T.bytes, 7)).toBe('BAD_TENSOR');
    expect(sealed(t0 + T.dims, 0)).toBe('BAD_TENSOR');
    expect(sealed(t0 + T.dims + 4 * 5, 1)).toBe('BAD_TENSOR'); // beyond rank must be 0
    expect(sealed(t0 + TENSOR_RECORD_BYTES + T.offset, 48)).toBe('OUT_OF_BOUNDS'); // const past constants
    const op0 = u32(good, H.opsOffset);
    expect(sealed(op0, 999)).toBe('UNKNOWN_KERNEL');
    expect(sealed(op0 + 12 + 4 * 3, 1)).toBe('BAD_OP'); // output is a constant tensor
    expect(sealed(op0 + 12, 4)).toBe('BAD_OP'); // input index past the table
    expect(sealed(op0 + 12 + 4 * 4 + 4 * 2, 48)).toBe('OUT_OF_BOUNDS'); // array past constants
    expect(sealed(op0 + 12 + 4 * 4 + 4 * 2, 24)).toBe('ALIGNMENT');
    expect(sealed(H.numOps, 1)).toBe('BAD_OP'); // records left over
  });

  it('returns the package a build made, byte for byte', () => {
    const build = packageOf(reshapeChain());
    const r = parsePackage(build.bytes);
    expect(r.ok && r.value).toEqual(build.contents);
    expect(r.ok && writePackage(r.value)).toEqual(build.bytes);
  });
});
