// The committed validator images (firmware-prebuilt/<board>/): what the
// manifest says matches the bytes, the image fits the board's memory (and,
// for the virtual board, the emulator's map), and it takes nothing from
// libc beyond memcpy/memset. Reads files only: no toolchain needed.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VIRTUAL_APOLLO4P } from '../../src/emulator/board.ts';
import { parseElf } from '../../src/emulator/elf.ts';
import {
  BOARDS,
  firmwareDir,
  HOST_SYMBOLS,
  prebuiltDir,
  readManifest,
} from '../../src/node/firmware-build.ts';

const kernelList = readFileSync(join(firmwareDir, 'runtime/include/td_kernel_list.h'), 'utf8')
  .split('\n')
  .map((l) => /^TD_KERNEL\((\w+)\)/.exec(l)?.[1])
  .filter((k): k is string => k !== undefined)
  .sort();

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe.each(BOARDS)('prebuilt validator for %s', (board) => {
  const dir = join(prebuiltDir, board);
  const m = readManifest(join(dir, 'manifest.json'));
  const elfBytes = new Uint8Array(readFileSync(join(dir, 'firmware.elf')));
  const bin = new Uint8Array(readFileSync(join(dir, 'firmware.bin')));
  const elf = parseElf(elfBytes);
  const word = (addr: number): number => new DataView(bin.buffer).getUint32(addr - m.binBase, true);

  it('manifest hashes and sizes are those of the committed files', () => {
    expect(m.board).toBe(board);
    expect(m.files.elf).toEqual({ bytes: elfBytes.length, sha256: sha(elfBytes) });
    expect(m.files.bin).toEqual({ bytes: bin.length, sha256: sha(bin) });
    expect(m.buildId).toBe(sha(bin));
  });

  it('every section lies inside the region the manifest places it in', () => {
    expect(m.sections.map((s) => s.name)).toEqual(
      expect.arrayContaining(['.text', '.td_arena', '.stack', '.td_package']),
    );
    for (const s of m.sections) {
      const r = m.regions.find((x) => x.name === s.region);
      expect(r, `${s.name} has no region`).toBeDefined();
      expect(s.address).toBeGreaterThanOrEqual(r!.origin);
      expect(s.address + s.bytes).toBeLessThanOrEqual(r!.origin + r!.bytes);
    }
    for (const r of m.regions) expect(r.used).toBeLessThanOrEqual(r.bytes);
    // The image (.bin) is exactly the loaded sections, from binBase.
    const loaded = m.sections.filter((s) => s.loaded);
    const end = Math.max(...loaded.map((s) => s.address + s.bytes));
    expect(bin.length).toBe(end - m.binBase);
  });

  it('host symbols agree with the ELF symbol table', () => {
    for (const name of HOST_SYMBOLS) {
      expect(elf.symbols.address(name), name).toBe(m.symbols[name]!.address);
    }
    expect(elf.entry & ~1).toBe(m.entry);
  });

  it('starts with a vector table: stack top, then the reset entry in Thumb state', () => {
    const vectors = m.symbols.td_vectors!.address;
    expect(vectors).toBe(m.binBase);
    expect(word(vectors)).toBe(m.symbols.__stack_top!.address);
    expect(word(vectors + 4)).toBe((m.entry | 1) >>> 0);
    // The table's alignment must cover its size for VTOR (ARMv7-M: power of two >= 128).
    const bytes = m.symbols.td_vectors!.bytes;
    const align = 2 ** Math.ceil(Math.log2(Math.max(bytes, 128)));
    expect(vectors % align).toBe(0);
  });

  it('keeps td_board_info in the image with its magic', () => {
    expect(word(m.symbols.td_board_info!.address)).toBe(0x42445454);
  });

  it('gives the runtime 16-byte aligned package and arena regions', () => {
    const s = m.symbols;
    for (const name of ['__td_package_start', '__td_arena_start', '__td_arena_end'])
      expect(s[name]!.address % 16, name).toBe(0);
    expect(s.__td_arena_end!.address).toBe(s.__stack_limit!.address);
    expect(s.__stack_top!.address - s.__stack_limit!.address).toBe(16 * 1024);
  });

  it('links every kernel of the list, and only memcpy and memset from libc', () => {
    expect(Object.keys(m.kernels).sort()).toEqual(kernelList);
    for (const [k, bytes] of Object.entries(m.kernels)) expect(bytes, k).toBeGreaterThan(0);
    expect(m.libraries.libc).toEqual(['memcpy', 'memset']);
    const total = Object.values(m.code).reduce((a, b) => a + b, 0);
    const text = m.sections.find((s) => s.name === '.text')!.bytes;
    expect(total).toBeLessThanOrEqual(text);
    expect(total).toBeGreaterThan(text - 256); // only alignment padding is unattributed
  });
});

describe('virtual-apollo4p image on the emulator map', () => {
  const m = readManifest(join(prebuiltDir, 'virtual-apollo4p', 'manifest.json'));

  it('places the vector table where the virtual board resets from', () => {
    expect(m.symbols.td_vectors!.address).toBe(VIRTUAL_APOLLO4P.vectorTable);
  });

  it('puts every section in an emulated memory region with the right permissions', () => {
    for (const s of m.sections) {
      const r = VIRTUAL_APOLLO4P.regions.find(
        (x) => s.address >= x.base && s.address + s.bytes <= x.base + x.size,
      );
      expect(r, `${s.name} at 0x${s.address.toString(16)}`).toBeDefined();
      if (!s.loaded) expect(r!.perms, s.name).toContain('w');
    }
  });

  it('uses the Apollo4 Plus memories: code in MRAM, arena in TCM, package in SRAM', () => {
    const at = (name: string): number => m.sections.find((s) => s.name === name)!.address;
    expect(at('.text')).toBe(0x18000);
    expect(at('.td_arena') >>> 20).toBe(0x100); // TCM 0x1000_0000..0x1005_FFFF
    expect(at('.td_arena')).toBeLessThan(0x10060000);
    expect(at('.td_package')).toBe(0x10060000);
    expect(m.sections.find((s) => s.name === '.td_package')!.bytes).toBe(1024 * 1024);
  });
});
