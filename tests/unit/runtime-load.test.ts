// td_load on the host: every kind of damage gets its own td_status, and on
// mutated packages the runtime agrees with the TS parser.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alignUp, H, HEADER_BYTES, T, TENSOR_RECORD_BYTES } from '../../src/core/package/format.ts';
import { KERNEL_IDS } from '../../src/core/package/kernel-ids.ts';
import { parsePackage } from '../../src/core/package/parse-package.ts';
import { resealPackage } from '../../src/core/package/write-package.ts';
import { compiledKernels, loadStatuses, runPackage } from '../support/host-runtime.ts';
import { packageOf, randomBytes, reshapeChain } from '../support/package-fixtures.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const good = packageOf(reshapeChain()).bytes;
const inputBytes = 24 + 6 * 4;

const u32 = (b: Uint8Array, at: number): number =>
  new DataView(b.buffer, b.byteOffset).getUint32(at, true);

/** A copy of `good` with a u32 replaced, CRC recomputed so validation goes past it. */
function edited(at: number, value: number, width: 1 | 2 | 4 = 4): Uint8Array {
  const b = good.slice();
  const dv = new DataView(b.buffer);
  if (width === 1) dv.setUint8(at, value);
  else if (width === 2) dv.setUint16(at, value, true);
  else dv.setUint32(at, value >>> 0, true);
  resealPackage(b);
  return b;
}

function loadStatus(pkg: Uint8Array, arena?: number): string {
  const r = runPackage(pkg, new Uint8Array(inputBytes), arena === undefined ? {} : { arena });
  return r.ok ? 'TD_OK' : (r.status ?? `exit ${r.exitCode}: ${r.stderr}`);
}

describe('the host runtime', () => {
  it('compiles exactly the kernels listed in td_kernel_list.h, with their stable ids', () => {
    const list = readFileSync(
      resolve(repoRoot, 'firmware/runtime/include/td_kernel_list.h'),
      'utf8',
    );
    const listed = [...list.matchAll(/^TD_KERNEL\((\w+)\)/gm)].map((m) =>
      (m[1] as string).toUpperCase(),
    );
    const compiled = compiledKernels();
    expect(compiled.map((k) => k.name)).toEqual(listed);
    for (const k of compiled) expect(KERNEL_IDS[k.name as keyof typeof KERNEL_IDS]).toBe(k.id);
  });

  it('builds with only the kernels a model needs, via -DTD_KERNEL_LIST', () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-list-'));
    try {
      writeFileSync(join(dir, 'list.h'), 'TD_KERNEL(reshape)\n');
      const rt = resolve(repoRoot, 'firmware/runtime');
      const sources = readdirSync(rt)
        .filter((f) => f.endsWith('.c'))
        .map((f) => join(rt, f));
      const exe = join(dir, 'td-run');
      const cc = spawnSync(
        'cc',
        [
          '-std=c11',
          '-Wall',
          '-Wextra',
          '-Werror',
          `-I${rt}/include`,
          `-I${rt}`,
          `-DTD_KERNEL_LIST="${join(dir, 'list.h')}"`,
          '-o',
          exe,
          ...sources,
          join(rt, 'kernels/reshape.c'),
          resolve(repoRoot, 'firmware/host/td_run.c'),
        ],
        { encoding: 'utf8' },
      );
      expect(cc.stderr).toBe('');
      expect(spawnSync(exe, ['--kernels'], { encoding: 'utf8' }).stdout).toBe(
        `${KERNEL_IDS.RESHAPE} RESHAPE\n`,
      );
      // The same package with its first layer claiming another kernel.
      const other = edited(u32(good, H.opsOffset), KERNEL_IDS.CONV_2D_S8, 2);
      writeFileSync(join(dir, 'a.tdpk'), good);
      writeFileSync(join(dir, 'b.tdpk'), other);
      const check = spawnSync(exe, ['--check', join(dir, 'a.tdpk'), join(dir, 'b.tdpk')], {
        encoding: 'utf8',
      });
      expect(check.stdout).toBe('TD_OK\nTD_ERR_UNKNOWN_KERNEL\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists every kernel source file in td_kernel_list.h', () => {
    const list = readFileSync(
      resolve(repoRoot, 'firmware/runtime/include/td_kernel_list.h'),
      'utf8',
    );
    const files = readdirSync(resolve(repoRoot, 'firmware/runtime/kernels'))
      .filter((f) => f.endsWith('.c'))
      .map((f) => f.slice(0, -2));
    for (const f of files) expect(list).toContain(`TD_KERNEL(${f})`);
  });
});

describe('td_load rejects', () => {
  it('nothing in a package the builder made', () => {
    expect(loadStatus(good)).toBe('TD_OK');
  });

  it('a wrong magic, a wrong version, a bad CRC, a truncated package', () => {
    const magic = good.slice();
    magic[3] = 0x4c;
    expect(loadStatus(magic)).toBe('TD_ERR_BAD_MAGIC');
    expect(loadStatus(edited(H.version, 2))).toBe('TD_ERR_BAD_VERSION');
    const flipped = good.slice();
    flipped[good.length - 1] = (flipped[good.length - 1] as number) ^ 0x80;
    expect(loadStatus(flipped)).toBe('TD_ERR_BAD_CRC');
    expect(loadStatus(good.subarray(0, 40))).toBe('TD_ERR_TRUNCATED');
    expect(loadStatus(good.subarray(0, good.length - 4))).toBe('TD_ERR_TRUNCATED');
  });

  it('sections, tensors and arrays outside their bounds', () => {
    expect(loadStatus(edited(H.ioOffset, good.length - 4))).toBe('TD_ERR_OUT_OF_BOUNDS');
    expect(loadStatus(edited(H.numTensors, 0x10000000))).toBe('TD_ERR_OUT_OF_BOUNDS'); // 48 * n wraps in 32 bits
    expect(loadStatus(edited(H.tensorsOffset, 0xfffffff0))).toBe('TD_ERR_OUT_OF_BOUNDS');
    expect(loadStatus(edited(H.tensorsOffset, 0))).toBe('TD_ERR_OUT_OF_BOUNDS');
    const t0 = u32(good, H.tensorsOffset);
    const arena = alignUp(u32(good, H.arenaBytes));
    expect(loadStatus(edited(t0 + T.offset, arena))).toBe('TD_ERR_OUT_OF_BOUNDS');
    expect(loadStatus(edited(t0 + T.offset, 0xfffffff0))).toBe('TD_ERR_OUT_OF_BOUNDS');
    expect(loadStatus(edited(H.arenaBytes, 16))).toBe('TD_ERR_OUT_OF_BOUNDS');
  });

  it('inconsistent tensors', () => {
    const t0 = u32(good, H.tensorsOffset);
    expect(loadStatus(edited(t0 + T.bytes, 25))).toBe('TD_ERR_BAD_TENSOR');
    expect(loadStatus(edited(t0 + T.dtype, 1, 1))).toBe('TD_ERR_BAD_TENSOR'); // FLOAT16
    expect(loadStatus(edited(t0 + T.rank, 7, 1))).toBe('TD_ERR_BAD_TENSOR');
    expect(loadStatus(edited(t0 + T.flags, 3, 1))).toBe('TD_ERR_BAD_TENSOR');
    expect(loadStatus(edited(t0 + T.dims, 0xffffffff))).toBe('TD_ERR_BAD_TENSOR'); // -1
    // Six dims of 2^24: the element count must not wrap to match `bytes`.
    const huge = good.slice();
    const dv = new DataView(huge.buffer);
    dv.setUint8(t0 + T.rank, 6);
    for (let d = 0; d < 6; d++) dv.setInt32(t0 + T.dims + 4 * d, 1 << 24, true);
    dv.setUint32(t0 + T.bytes, 0, true);
    resealPackage(huge);
    expect(loadStatus(huge)).toBe('TD_ERR_BAD_TENSOR');
    expect(loadStatus(edited(t0 + T.offset, 8))).toBe('TD_ERR_ALIGNMENT');
  });

  it('malformed ops and I/O', () => {
    const op0 = u32(good, H.opsOffset);
    expect(loadStatus(edited(op0, 999, 2))).toBe('TD_ERR_UNKNOWN_KERNEL');
    expect(loadStatus(edited(op0 + 12, 1000))).toBe('TD_ERR_BAD_OP'); // input index
    expect(loadStatus(edited(op0 + 12, 0xfffffffe))).toBe('TD_ERR_BAD_OP'); // -2
    expect(loadStatus(edited(op0 + 3, 0, 1))).toBe('TD_ERR_BAD_OP'); // no outputs
    expect(loadStatus(edited(op0 + 2, 200, 1))).toBe('TD_ERR_BAD_OP'); // record past the section
    expect(loadStatus(edited(H.numOps, 3))).toBe('TD_ERR_BAD_OP'); // bytes left over
    expect(loadStatus(edited(H.numOutputs, 0))).toBe('TD_ERR_BAD_INDEX');
    const io = u32(good, H.ioOffset);
    expect(loadStatus(edited(io, 77))).toBe('TD_ERR_BAD_INDEX');
  });

  it('an op whose kernel check fails, naming the layer', () => {
    // RESHAPE checks that input and output hold the same bytes.
    const t0 = u32(good, H.tensorsOffset);
    const b = good.slice();
    const dv = new DataView(b.buffer);
    // The first op's output (tensor 2) becomes [1, 12]: 12 bytes, still valid as a tensor.
    const out = t0 + 2 * TENSOR_RECORD_BYTES;
    dv.setInt32(out + T.dims + 4, 12, true);
    dv.setUint32(out + T.bytes, 12, true);
    resealPackage(b);
    const r = runPackage(b, new Uint8Array(inputBytes));
    expect(!r.ok && [r.status, r.layer]).toEqual(['TD_ERR_BAD_PARAMS', 0]);
  });

  it('an arena smaller than the package needs', () => {
    // Tensors (rounded up to 16 bytes), then scratch.
    const need = alignUp(u32(good, H.arenaBytes)) + u32(good, H.scratchBytes);
    expect(loadStatus(good, need - 1)).toBe('TD_ERR_ARENA_TOO_SMALL');
    expect(loadStatus(good, need)).toBe('TD_OK');
  });
});

describe('td_load and parsePackage', () => {
  it('give the same verdict on 3000 mutated packages', () => {
    const kernels = new Set(compiledKernels().map((k) => k.id));
    const cases: Uint8Array[] = [];
    const rnd = randomBytes(3000 * 16, 99);
    const word = (i: number, k: number): number =>
      new DataView(rnd.buffer).getUint32(i * 16 + k * 4, true);
    for (let i = 0; i < 3000; i++) {
      const b = good.slice();
      const dv = new DataView(b.buffer);
      const kind = word(i, 0) % 4;
      if (kind === 0) {
        // A header field, anything at all.
        dv.setUint32(12 + 4 * (word(i, 1) % 13), word(i, 2), true);
      } else if (kind === 1) {
        // A word of the body set to a small or boundary value.
        const at = HEADER_BYTES + 4 * (word(i, 1) % ((b.length - HEADER_BYTES) / 4));
        const values = [0, 1, 16, 0xffffffff, 0x80000000, b.length, word(i, 2) & 0xff];
        dv.setUint32(at, values[word(i, 2) % values.length] as number, true);
      } else if (kind === 2) {
        // A byte of the body.
        b[HEADER_BYTES + (word(i, 1) % (b.length - HEADER_BYTES))] = word(i, 2) & 0xff;
      } else {
        // Two bit flips anywhere, CRC left stale on purpose.
        for (let k = 1; k <= 2; k++) {
          const bit = word(i, k) % (b.length * 8);
          b[bit >> 3] = (b[bit >> 3] as number) ^ (1 << (bit & 7));
        }
        cases.push(b);
        continue;
      }
      resealPackage(b);
      cases.push(b);
    }
    const c = loadStatuses(cases);
    const ts = cases.map((b) => {
      const r = parsePackage(b, { knownKernel: (id) => kernels.has(id) });
      return r.ok ? 'TD_OK' : `TD_ERR_${r.error.code}`;
    });
    // Past the parser, the runtime also checks the arena and each kernel.
    const agree = c.map((s, i) =>
      ts[i] === 'TD_OK'
        ? ['TD_OK', 'TD_ERR_BAD_PARAMS', 'TD_ERR_ARENA_TOO_SMALL'].includes(s)
        : s === ts[i],
    );
    const firstDisagreement = agree.indexOf(false);
    expect(
      firstDisagreement === -1
        ? null
        : [firstDisagreement, c[firstDisagreement], ts[firstDisagreement]],
    ).toBeNull();
    // The mutations reach far past the CRC: many distinct verdicts.
    expect(new Set(c).size).toBeGreaterThanOrEqual(8);
  });
});
