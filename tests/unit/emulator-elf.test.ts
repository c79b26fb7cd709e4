// ELF32 loader: segments, entry, symbols, and typed errors on malformed input.
// The images are built byte by byte here so the test needs no toolchain.

import { describe, expect, test } from 'vitest';
import { ElfError, loadElf, parseElf } from '../../src/emulator/elf.ts';
import { Memory } from '../../src/emulator/memory.ts';

interface Sym {
  name: string;
  value: number;
  size: number;
  type: number;
}

/** Minimal ARM executable: one or two PT_LOAD segments and a symbol table. */
function buildElf(opts: {
  segments: Array<{ paddr: number; vaddr: number; data: number[]; memsz: number }>;
  symbols: Sym[];
  machine?: number;
}): Uint8Array {
  const strtab = [0];
  const nameOff = opts.symbols.map((s) => {
    const off = strtab.length;
    for (const ch of s.name) strtab.push(ch.charCodeAt(0));
    strtab.push(0);
    return off;
  });
  const phoff = 52;
  const dataOff = phoff + 32 * opts.segments.length;
  const segOffs: number[] = [];
  let off = dataOff;
  for (const s of opts.segments) {
    segOffs.push(off);
    off += s.data.length;
  }
  const symOff = (off + 3) & ~3;
  const symSize = 16 * (opts.symbols.length + 1);
  const strOff = symOff + symSize;
  const shoff = (strOff + strtab.length + 3) & ~3;
  const total = shoff + 40 * 3;
  const b = new Uint8Array(total);
  const dv = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  dv.setUint16(16, 2, true);
  dv.setUint16(18, opts.machine ?? 40, true);
  dv.setUint32(20, 1, true);
  dv.setUint32(24, 0x101, true);
  dv.setUint32(28, phoff, true);
  dv.setUint32(32, shoff, true);
  dv.setUint16(40, 52, true);
  dv.setUint16(42, 32, true);
  dv.setUint16(44, opts.segments.length, true);
  dv.setUint16(46, 40, true);
  dv.setUint16(48, 3, true);
  opts.segments.forEach((s, k) => {
    const o = phoff + 32 * k;
    dv.setUint32(o, 1, true);
    dv.setUint32(o + 4, segOffs[k]!, true);
    dv.setUint32(o + 8, s.vaddr, true);
    dv.setUint32(o + 12, s.paddr, true);
    dv.setUint32(o + 16, s.data.length, true);
    dv.setUint32(o + 20, s.memsz, true);
    b.set(s.data, segOffs[k]!);
  });
  opts.symbols.forEach((s, k) => {
    const o = symOff + 16 * (k + 1);
    dv.setUint32(o, nameOff[k]!, true);
    dv.setUint32(o + 4, s.value, true);
    dv.setUint32(o + 8, s.size, true);
    b[o + 12] = (1 << 4) | s.type;
    dv.setUint16(o + 14, 1, true);
  });
  b.set(strtab, strOff);
  // Section 1: .symtab linked to section 2: .strtab.
  const sh = (
    k: number,
    type: number,
    o: number,
    size: number,
    link: number,
    ent: number,
  ): void => {
    const h = shoff + 40 * k;
    dv.setUint32(h + 4, type, true);
    dv.setUint32(h + 16, o, true);
    dv.setUint32(h + 20, size, true);
    dv.setUint32(h + 24, link, true);
    dv.setUint32(h + 36, ent, true);
  };
  sh(1, 2, symOff, symSize, 2, 16);
  sh(2, 3, strOff, strtab.length, 0, 0);
  return b;
}

const image = buildElf({
  segments: [
    { paddr: 0x100, vaddr: 0x100, data: [1, 2, 3, 4], memsz: 6 },
    { paddr: 0x108, vaddr: 0x20000000, data: [9, 9], memsz: 16 },
  ],
  symbols: [
    { name: 'main', value: 0x101, size: 4, type: 2 },
    { name: 'table', value: 0x20000000, size: 16, type: 1 },
    { name: 'loop', value: 0x180, size: 0, type: 0 },
  ],
});

describe('ELF loader', () => {
  test('reads entry, loadable segments and symbols (Thumb bit cleared)', () => {
    const elf = parseElf(image);
    expect(elf.entry).toBe(0x101);
    expect(elf.segments.map((s) => [s.paddr, s.vaddr, s.data.length, s.memsz])).toEqual([
      [0x100, 0x100, 4, 6],
      [0x108, 0x20000000, 2, 16],
    ]);
    expect(elf.symbols.get('main')).toMatchObject({ address: 0x100, kind: 'func', size: 4 });
    expect(elf.symbols.describe(0x102)).toBe('main+0x2');
    expect(elf.symbols.describe(0x2000000f)).toBe('table+0xf');
    expect(elf.symbols.describe(0x20000010)).toBeUndefined();
    expect(elf.symbols.describe(0x190)).toBe('loop+0x10');
    expect(() => elf.symbols.address('nope')).toThrow(ElfError);
  });

  test('loads at the load address; zero-fills only where load and run addresses agree', () => {
    const m = new Memory([
      { name: 'rom', base: 0, size: 0x1000, perms: 'rx' },
      { name: 'ram', base: 0x20000000, size: 0x100, perms: 'rw' },
    ]);
    m.load(0x100, new Uint8Array(16).fill(0xee));
    m.load(0x20000000, new Uint8Array(16).fill(0xee));
    loadElf(m, parseElf(image));
    expect([...m.peek(0x100, 10)]).toEqual([1, 2, 3, 4, 0, 0, 0xee, 0xee, 9, 9]);
    expect([...m.peek(0x20000000, 2)]).toEqual([0xee, 0xee]);
  });

  test.each([
    ['TOO_SHORT', image.subarray(0, 40)],
    ['BAD_MAGIC', Uint8Array.from(image, (v, k) => (k === 1 ? 0 : v))],
    ['NOT_ELF32', Uint8Array.from(image, (v, k) => (k === 4 ? 2 : v))],
    ['NOT_LITTLE_ENDIAN', Uint8Array.from(image, (v, k) => (k === 5 ? 2 : v))],
    ['NOT_ARM', buildElf({ segments: [], symbols: [], machine: 3 })],
    ['TRUNCATED', image.subarray(0, 100)],
  ] as const)('rejects malformed input with %s', (code, bytes) => {
    let err: unknown;
    try {
      parseElf(bytes);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ElfError);
    expect((err as ElfError).code).toBe(code);
  });
});
