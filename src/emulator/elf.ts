// ELF32 little-endian ARM executables: the loadable segments, the entry
// point and the symbol table (address -> name for fault reports and tests).
// Everything is bounds-checked; malformed input yields an ElfError with a
// stable code instead of a RangeError from deep inside a DataView.

import type { Memory } from './memory.ts';

export type ElfErrorCode =
  | 'TOO_SHORT'
  | 'BAD_MAGIC'
  | 'NOT_ELF32'
  | 'NOT_LITTLE_ENDIAN'
  | 'NOT_ARM'
  | 'TRUNCATED'
  | 'BAD_HEADER';

export class ElfError extends Error {
  override readonly name = 'ElfError';
  constructor(
    readonly code: ElfErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface ElfSegment {
  /** Load (physical) address: where the image bytes live at reset. */
  paddr: number;
  /** Run (virtual) address. */
  vaddr: number;
  data: Uint8Array;
  memsz: number;
  flags: number;
}

export type SymbolKind = 'func' | 'object' | 'label';

export interface ElfSymbol {
  name: string;
  /** Address with the Thumb bit cleared. */
  address: number;
  size: number;
  kind: SymbolKind;
  global: boolean;
}

export interface Elf {
  entry: number;
  segments: ElfSegment[];
  symbols: SymbolTable;
}

const PT_LOAD = 1;
const SHT_SYMTAB = 2;
const STT_NOTYPE = 0;
const STT_OBJECT = 1;
const STT_FUNC = 2;
const EM_ARM = 40;

export class SymbolTable {
  private readonly byAddr: ElfSymbol[];
  private readonly byName = new Map<string, ElfSymbol>();

  constructor(symbols: ElfSymbol[]) {
    // Sized symbols after labels at the same address, so a lookup prefers them.
    this.byAddr = [...symbols].sort((a, b) => a.address - b.address || a.size - b.size);
    for (const s of this.byAddr) {
      const old = this.byName.get(s.name);
      if (!old || (s.global && !old.global)) this.byName.set(s.name, s);
    }
  }

  get all(): readonly ElfSymbol[] {
    return this.byAddr;
  }

  get(name: string): ElfSymbol | undefined {
    return this.byName.get(name);
  }

  /** Address of a symbol; throws if absent (tests and loaders want a loud failure). */
  address(name: string): number {
    const s = this.byName.get(name);
    if (!s) throw new ElfError('BAD_HEADER', `no symbol named ${name}`);
    return s.address;
  }

  /**
   * The symbol containing addr, or the nearest label (a symbol without a
   * size) before it when that is within 4 KiB: further away, a label such
   * as __stack_top says nothing useful about an address.
   */
  lookup(addr: number): { symbol: ElfSymbol; offset: number } | undefined {
    const a = addr >>> 0;
    let lo = 0;
    let hi = this.byAddr.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.byAddr[mid]!.address <= a) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = at; i >= 0 && i > at - 64; i--) {
      const s = this.byAddr[i]!;
      if (s.size > 0 ? a < s.address + s.size : i === at && a - s.address < 0x1000)
        return { symbol: s, offset: a - s.address };
    }
    return undefined;
  }

  /** `name+0x1c` or undefined. */
  describe(addr: number): string | undefined {
    const hit = this.lookup(addr);
    if (!hit) return undefined;
    return hit.offset === 0 ? hit.symbol.name : `${hit.symbol.name}+0x${hit.offset.toString(16)}`;
  }
}

export function parseElf(bytes: Uint8Array): Elf {
  if (bytes.length < 52)
    throw new ElfError('TOO_SHORT', `ELF header needs 52 bytes, got ${bytes.length}`);
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new ElfError('BAD_MAGIC', 'not an ELF file (bad magic)');
  }
  if (bytes[4] !== 1) throw new ElfError('NOT_ELF32', 'not a 32-bit ELF file');
  if (bytes[5] !== 1) throw new ElfError('NOT_LITTLE_ENDIAN', 'not a little-endian ELF file');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number): number => dv.getUint16(o, true);
  const u32 = (o: number): number => dv.getUint32(o, true);
  const machine = u16(18);
  if (machine !== EM_ARM) throw new ElfError('NOT_ARM', `machine ${machine} is not ARM (40)`);
  const entry = u32(24);
  const phoff = u32(28);
  const shoff = u32(32);
  const phentsize = u16(42);
  const phnum = u16(44);
  const shentsize = u16(46);
  const shnum = u16(48);

  const need = (off: number, len: number, what: string): void => {
    if (off + len > bytes.length || off < 0 || len < 0) {
      throw new ElfError(
        'TRUNCATED',
        `${what} at 0x${off.toString(16)} (+${len}) is past the end of the file`,
      );
    }
  };

  const segments: ElfSegment[] = [];
  if (phnum > 0) {
    if (phentsize < 32) throw new ElfError('BAD_HEADER', `program header size ${phentsize} < 32`);
    need(phoff, phnum * phentsize, 'program header table');
    for (let i = 0; i < phnum; i++) {
      const o = phoff + i * phentsize;
      if (u32(o) !== PT_LOAD) continue;
      const offset = u32(o + 4);
      const filesz = u32(o + 16);
      const memsz = u32(o + 20);
      if (filesz > memsz) throw new ElfError('BAD_HEADER', `segment ${i}: filesz > memsz`);
      need(offset, filesz, `segment ${i}`);
      segments.push({
        vaddr: u32(o + 8),
        paddr: u32(o + 12),
        data: bytes.subarray(offset, offset + filesz),
        memsz,
        flags: u32(o + 24),
      });
    }
  }

  const symbols: ElfSymbol[] = [];
  if (shnum > 0 && shoff !== 0) {
    if (shentsize < 40) throw new ElfError('BAD_HEADER', `section header size ${shentsize} < 40`);
    need(shoff, shnum * shentsize, 'section header table');
    const decoder = new TextDecoder();
    for (let i = 0; i < shnum; i++) {
      const o = shoff + i * shentsize;
      if (u32(o + 4) !== SHT_SYMTAB) continue;
      const off = u32(o + 16);
      const size = u32(o + 20);
      const link = u32(o + 24);
      const entsize = u32(o + 36) || 16;
      need(off, size, 'symbol table');
      if (link >= shnum) throw new ElfError('BAD_HEADER', `symbol table links to section ${link}`);
      const so = shoff + link * shentsize;
      const strOff = u32(so + 16);
      const strSize = u32(so + 20);
      need(strOff, strSize, 'string table');
      const strings = bytes.subarray(strOff, strOff + strSize);
      for (let e = off; e + 16 <= off + size; e += entsize) {
        const nameOff = u32(e);
        const value = u32(e + 4);
        const symSize = u32(e + 8);
        const info = bytes[e + 12]!;
        const shndx = u16(e + 14);
        const type = info & 15;
        if (shndx === 0 || nameOff >= strSize) continue;
        if (type !== STT_NOTYPE && type !== STT_OBJECT && type !== STT_FUNC) continue;
        let end = nameOff;
        while (end < strings.length && strings[end] !== 0) end++;
        const name = decoder.decode(strings.subarray(nameOff, end));
        if (name === '' || name.startsWith('$')) continue; // mapping symbols $t/$d/$a
        symbols.push({
          name,
          address: type === STT_FUNC ? value & ~1 : value,
          size: symSize,
          kind: type === STT_FUNC ? 'func' : type === STT_OBJECT ? 'object' : 'label',
          global: info >> 4 !== 0,
        });
      }
    }
  }
  return { entry, segments, symbols: new SymbolTable(symbols) };
}

/**
 * Places the segments at their load addresses, as flash programming would.
 * Zero-fills the tail (.bss) only where load and run addresses agree; otherwise
 * the startup code owns the copy and the clearing.
 */
export function loadElf(mem: Memory, elf: Elf): void {
  for (const s of elf.segments) {
    if (s.data.length > 0) mem.load(s.paddr, s.data);
    if (s.memsz > s.data.length && s.paddr === s.vaddr) {
      mem.load(s.vaddr + s.data.length, new Uint8Array(s.memsz - s.data.length));
    }
  }
}
