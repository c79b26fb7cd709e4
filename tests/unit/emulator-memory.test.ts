// The bus: regions, permissions, the page-table fast path against the slow
// path, devices, wait states and decode-cache invalidation. No toolchain needed.

import { describe, expect, test } from 'vitest';
import { AccessFault } from '../../src/emulator/faults.ts';
import { Memory, type Device } from '../../src/emulator/memory.ts';

function fault(fn: () => unknown): AccessFault {
  try {
    fn();
  } catch (e) {
    if (e instanceof AccessFault) return e;
    throw e;
  }
  throw new Error('expected an AccessFault');
}

describe('Memory', () => {
  test('reads and writes little-endian words, halfwords and bytes, also unaligned', () => {
    const m = new Memory([{ name: 'ram', base: 0x20000000, size: 0x20000, perms: 'rw' }]);
    m.write32(0x20000000, 0x11223344);
    expect(m.read8(0x20000000)).toBe(0x44);
    expect(m.read16(0x20000002)).toBe(0x1122);
    expect(m.read32(0x20000001) >>> 0).toBe(0x00112233);
    m.write16(0x2000ffff, 0xabcd); // straddles a 64 KiB page inside one region
    expect(m.read8(0x2000ffff)).toBe(0xcd);
    expect(m.read8(0x20010000)).toBe(0xab);
    m.write8(0x20000003, 0x1ff);
    expect(m.read32(0x20000000) >>> 0).toBe(0xff223344);
  });

  test('small and unaligned regions work through the slow path', () => {
    const m = new Memory([
      { name: 'a', base: 0x1003, size: 100, perms: 'rw' },
      { name: 'b', base: 0x1067, size: 16, perms: 'r' },
    ]);
    m.write32(0x1003, 0xcafebabe);
    expect(m.read32(0x1003) >>> 0).toBe(0xcafebabe);
    expect(m.read8(0x1067)).toBe(0);
    expect(fault(() => m.write8(0x1067, 1)).kind).toBe('readonly');
    // A word that starts in region a but ends past it is not mapped as a whole.
    expect(fault(() => m.read32(0x1003 + 98))).toMatchObject({
      kind: 'unmapped',
      access: 'read',
      size: 4,
    });
  });

  test('faults carry the kind, address, access and size', () => {
    const m = new Memory([{ name: 'rom', base: 0, size: 0x10000, perms: 'rx' }]);
    expect(fault(() => m.read32(0x40000000))).toMatchObject({
      kind: 'unmapped',
      address: 0x40000000,
      access: 'read',
      size: 4,
    });
    expect(fault(() => m.write16(0x100, 1))).toMatchObject({
      kind: 'readonly',
      address: 0x100,
      access: 'write',
      size: 2,
    });
    expect(fault(() => m.write32(0xfffffffc, 0))).toMatchObject({
      kind: 'unmapped',
      address: 0xfffffffc,
    });
  });

  test('overlapping regions are rejected', () => {
    const m = new Memory([{ name: 'a', base: 0x1000, size: 0x1000, perms: 'rw' }]);
    expect(() => m.map({ name: 'b', base: 0x1800, size: 0x1000, perms: 'rw' })).toThrow(/overlaps/);
  });

  test('devices see offsets and sizes; wait states accumulate as stall cycles', () => {
    const log: string[] = [];
    const dev: Device = {
      read: (off, size) => {
        log.push(`r${size}@${off}`);
        return 0x12345678;
      },
      write: (off, size, v) => {
        log.push(`w${size}@${off}=${v.toString(16)}`);
      },
    };
    const m = new Memory([
      { name: 'uart', base: 0x40004000, size: 0x1000, perms: 'rw', device: dev },
      { name: 'flash', base: 0, size: 0x10000, perms: 'rx', waitStates: 2 },
    ]);
    expect(m.read8(0x40004004)).toBe(0x78);
    m.write16(0x40004008, 0x1abcd);
    expect(log).toEqual(['r1@4', 'w2@8=abcd']);
    m.stall = 0;
    m.read32(0);
    m.read16(4);
    expect(m.stall).toBe(4);
  });

  test('a write into decoded code drops all decodes and blocks of its region; other writes keep them', () => {
    const m = new Memory([{ name: 'ram', base: 0x20000000, size: 0x1000, perms: 'rwx' }]);
    const r = m.find(0x20000000)!;
    let flushes = 0;
    r.onFlush = () => flushes++;
    r.code = [{} as never];
    r.markCode(0x40, 4); // code decoded in the 64-byte chunk 0x40..0x7f
    m.write32(0x20000200, 1); // far away: kept
    expect(flushes).toBe(0);
    m.write8(0x2000003f, 1); // just before the chunk: kept
    expect(flushes).toBe(0);
    m.write8(0x20000042, 1); // inside it
    expect(flushes).toBe(1);
    expect(r.code).toBeNull();
    m.write32(0x20000040, 0); // nothing decoded any more: no flush
    expect(flushes).toBe(1);
    r.markCode(0x80, 2);
    m.load(0x20000080, new Uint8Array(2)); // the loader invalidates too
    expect(flushes).toBe(2);
  });
});
