// Reads what the export needs from an ELF32 little-endian relocatable
// object (the prebuilt runtime objects): its sections and its symbol table.
// The archive writer indexes the defined globals; the library build reads
// each kernel's id out of its descriptor. Not a general ELF reader: no
// program headers, no relocations, 32-bit little-endian only.

export class ElfObjectError extends Error {
  override readonly name = 'ElfObjectError';
}

export interface ObjectSection {
  index: number;
  name: string;
  /** sh_type: 1 PROGBITS, 8 NOBITS, ... */
  type: number;
  /** sh_flags: 2 ALLOC, 1 WRITE, 4 EXECINSTR. */
  flags: number;
  offset: number;
  size: number;
}

export type SymbolBinding = 'local' | 'global' | 'weak';

export interface ObjectSymbol {
  name: string;
  binding: SymbolBinding;
  /** st_info type: 0 NOTYPE, 1 OBJECT, 2 FUNC, 3 SECTION, 4 FILE. */
  type: number;
  /** Section index; 0 for an undefined symbol. */
  section: number;
  value: number;
  size: number;
}

export interface ElfObject {
  sections: ObjectSection[];
  symbols: ObjectSymbol[];
  /** e_type: 1 (ET_REL) for a relocatable object. */
  fileType: number;
  /** e_machine: 40 (EM_ARM) for Arm. */
  machine: number;
}

const SHT_SYMTAB = 2;
const SHT_NOBITS = 8;
const SHF_WRITE = 1;
const SHF_ALLOC = 2;
const SHF_EXECINSTR = 4;
export const EM_ARM = 40;
export const ET_REL = 1;
const SHN_UNDEF = 0;
const SHN_LORESERVE = 0xff00;

const BINDINGS: Record<number, SymbolBinding> = { 0: 'local', 1: 'global', 2: 'weak' };

function cString(bytes: Uint8Array, at: number): string {
  let end = at;
  while (end < bytes.length && bytes[end] !== 0) end++;
  if (end >= bytes.length) throw new ElfObjectError('unterminated string');
  let s = '';
  for (let i = at; i < end; i++) s += String.fromCharCode(bytes[i] as number);
  return s;
}

export function parseElfObject(bytes: Uint8Array): ElfObject {
  if (bytes.length < 52 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c) {
    throw new ElfObjectError('not an ELF file');
  }
  if (bytes[4] !== 1 || bytes[5] !== 1) throw new ElfObjectError('not ELF32 little-endian');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fileType = dv.getUint16(16, true);
  const machine = dv.getUint16(18, true);
  const shoff = dv.getUint32(32, true);
  const shentsize = dv.getUint16(46, true);
  const shnum = dv.getUint16(48, true);
  const shstrndx = dv.getUint16(50, true);
  if (shentsize < 40 || shoff + shnum * shentsize > bytes.length) {
    throw new ElfObjectError('section table outside the file');
  }
  const raw = Array.from({ length: shnum }, (_, i) => {
    const at = shoff + i * shentsize;
    return {
      nameOff: dv.getUint32(at, true),
      type: dv.getUint32(at + 4, true),
      flags: dv.getUint32(at + 8, true),
      offset: dv.getUint32(at + 16, true),
      size: dv.getUint32(at + 20, true),
      link: dv.getUint32(at + 24, true),
      entsize: dv.getUint32(at + 36, true),
    };
  });
  const body = (i: number): Uint8Array => {
    const s = raw[i];
    if (!s) throw new ElfObjectError(`no section ${i}`);
    if (s.type === SHT_NOBITS) return new Uint8Array(0);
    if (s.offset + s.size > bytes.length) throw new ElfObjectError(`section ${i} outside the file`);
    return bytes.subarray(s.offset, s.offset + s.size);
  };
  const shstr = body(shstrndx);
  const sections: ObjectSection[] = raw.map((s, index) => ({
    index,
    name: index === 0 ? '' : cString(shstr, s.nameOff),
    type: s.type,
    flags: s.flags,
    offset: s.offset,
    size: s.size,
  }));
  const symbols: ObjectSymbol[] = [];
  raw.forEach((s, i) => {
    if (s.type !== SHT_SYMTAB) return;
    const table = body(i);
    const strings = body(s.link);
    const entsize = s.entsize || 16;
    const tdv = new DataView(table.buffer, table.byteOffset, table.byteLength);
    for (let at = entsize; at + 16 <= table.length; at += entsize) {
      const info = tdv.getUint8(at + 12);
      symbols.push({
        name: cString(strings, tdv.getUint32(at, true)),
        binding: BINDINGS[info >> 4] ?? 'local',
        type: info & 0xf,
        section: tdv.getUint16(at + 14, true),
        value: tdv.getUint32(at + 4, true),
        size: tdv.getUint32(at + 8, true),
      });
    }
  });
  return { sections, symbols, fileType, machine };
}

/** Global and weak symbols the object defines (what an archive index lists). */
export function definedGlobals(obj: ElfObject): string[] {
  return obj.symbols
    .filter((s) => s.binding !== 'local' && s.section !== SHN_UNDEF && s.name !== '')
    .map((s) => s.name);
}

/** Symbols the object needs from elsewhere. */
export function undefinedSymbols(obj: ElfObject): string[] {
  const names = obj.symbols
    .filter((s) => s.binding !== 'local' && s.section === SHN_UNDEF && s.name !== '')
    .map((s) => s.name);
  return [...new Set(names)].sort();
}

export interface SectionSizes {
  /** Executable bytes. */
  text: number;
  /** Read-only data. */
  rodata: number;
  /** Initialised writable data. */
  data: number;
  /** Zero-initialised data. */
  bss: number;
}

/** Bytes of the allocated sections, by kind (what `size` would report). */
export function sectionSizes(obj: ElfObject): SectionSizes {
  const out: SectionSizes = { text: 0, rodata: 0, data: 0, bss: 0 };
  for (const s of obj.sections) {
    if (!(s.flags & SHF_ALLOC)) continue;
    if (s.type === SHT_NOBITS) out.bss += s.size;
    else if (s.flags & SHF_EXECINSTR) out.text += s.size;
    else if (s.flags & SHF_WRITE) out.data += s.size;
    else out.rodata += s.size;
  }
  return out;
}

/** The bytes a defined symbol covers in its section (reads a const descriptor). */
export function symbolBytes(bytes: Uint8Array, obj: ElfObject, name: string): Uint8Array {
  const sym = obj.symbols.find((s) => s.name === name && s.section !== SHN_UNDEF);
  if (!sym) throw new ElfObjectError(`no symbol ${name}`);
  if (sym.section >= SHN_LORESERVE) throw new ElfObjectError(`${name} is not in a section`);
  const sec = obj.sections[sym.section];
  if (!sec || sec.type === SHT_NOBITS) throw new ElfObjectError(`${name} has no bytes`);
  if (sym.value + sym.size > sec.size) throw new ElfObjectError(`${name} exceeds its section`);
  const start = sec.offset + sym.value;
  return bytes.subarray(start, start + sym.size);
}
