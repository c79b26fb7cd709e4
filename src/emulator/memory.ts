// The bus: a memory map of regions with permissions and wait states.
// RAM-like regions are typed-array backed (little-endian through DataView);
// device regions forward to read/write callbacks. A 64 KiB page table holds,
// per page, the region that covers the whole page, so the common access is
// one array load, one subtraction and one compare; everything else (devices,
// cached regions, small or unaligned regions, faults) takes the slow path.

import type { Block } from './block.ts';
import { AccessFault } from './faults.ts';
import type { Insn } from './insn.ts';

export type AccessSize = 1 | 2 | 4;

export interface Device {
  read(offset: number, size: AccessSize): number;
  write(offset: number, size: AccessSize, value: number): void;
}

/** A cache in front of a region (the Apollo4 CPU cache in front of MRAM): reports stall cycles. */
export interface CachePort {
  /** A data read at addr. */
  data(addr: number): number;
  /** The instruction fetches of a block: per line (in order), the words fetched from it. */
  fetch(lines: Int32Array, words: Int32Array): number;
}

export interface RegionSpec {
  name: string;
  base: number;
  size: number;
  /** Any of 'r', 'w', 'x'. */
  perms: string;
  /** Extra cycles per data access (per beat for multiple transfers). */
  waitStates?: number;
  /** Memory-mapped peripheral instead of RAM. */
  device?: Device;
  /** Cache in front of the region: data reads and instruction fetches go through it. */
  cache?: CachePort;
}

/** Granule (log2 bytes) of the map of where code has been decoded, for invalidation. */
const CODE_CHUNK = 6;

export class Region {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly executable: boolean;
  readonly wait: number;
  readonly bytes: Uint8Array;
  readonly dv: DataView;
  readonly device: Device | null;
  /** Highest offset at which a 4/2/1-byte access still fits (-1: never, for the sentinel). */
  readonly last4: number;
  readonly last2: number;
  readonly last1: number;
  readonly cache: CachePort | null;
  /** Decoded-instruction cache, one slot per halfword; created on first execution. */
  code: (Insn | undefined)[] | null = null;
  /** Blocks by start halfword. */
  blocks: (Block | undefined)[] | null = null;
  /** Per 64-byte chunk: has any instruction there been decoded? Writes there flush the caches. */
  codeMap: Uint8Array | null = null;
  /** Called after a write flushed this region's decoded code (the CPU drops its references). */
  onFlush: (() => void) | null = null;

  constructor(spec: RegionSpec) {
    this.name = spec.name;
    this.base = spec.base >>> 0;
    this.size = spec.size;
    this.readable = spec.perms.includes('r');
    this.writable = spec.perms.includes('w');
    this.executable = spec.perms.includes('x');
    this.wait = spec.waitStates ?? 0;
    this.device = spec.device ?? null;
    this.cache = spec.cache ?? null;
    this.bytes = new Uint8Array(this.device ? 0 : spec.size);
    this.dv = new DataView(this.bytes.buffer);
    const ram = this.device === null && spec.size > 0;
    this.last4 = ram ? spec.size - 4 : -1;
    this.last2 = ram ? spec.size - 2 : -1;
    this.last1 = ram ? spec.size - 1 : -1;
  }

  contains(addr: number): boolean {
    return (addr - this.base) >>> 0 < this.size;
  }

  /** Records that code at [off, off+size) has been decoded. */
  markCode(off: number, size: number): void {
    const map = (this.codeMap ??= new Uint8Array((this.size >>> CODE_CHUNK) + 1));
    for (let c = off >>> CODE_CHUNK; c <= (off + size - 1) >>> CODE_CHUNK; c++) map[c] = 1;
  }

  /**
   * A write to [off, off+size): when it touches decoded code (a 32-bit
   * instruction may start 2 bytes before), every decode and block of the
   * region is dropped. Rare (code loading, self-modifying code), so simple.
   */
  invalidate(off: number, size: number): void {
    const map = this.codeMap;
    if (map === null) return;
    const first = (off >= 2 ? off - 2 : 0) >>> CODE_CHUNK;
    const last = (off + size - 1) >>> CODE_CHUNK;
    for (let c = first; c <= last; c++) {
      if (map[c] !== 0) {
        this.flushCode();
        return;
      }
    }
  }

  flushCode(): void {
    this.code = null;
    this.blocks = null;
    this.codeMap = null;
    this.onFlush?.();
  }
}

const PAGE_SHIFT = 16;
const PAGES = 1 << (32 - PAGE_SHIFT);
const NONE = new Region({ name: '(none)', base: 0, size: 0, perms: '' });

export class Memory {
  readonly regions: Region[] = [];
  /** Per 64 KiB page: the RAM region readable (resp. writable) over the whole page, else NONE. */
  private readonly rpage: Region[] = new Array<Region>(PAGES).fill(NONE);
  private readonly wpage: Region[] = new Array<Region>(PAGES).fill(NONE);
  /** Wait-state cycles accumulated by data accesses; the CPU drains it into its cycle count. */
  stall = 0;

  constructor(specs: RegionSpec[] = []) {
    for (const s of specs) this.map(s);
  }

  map(spec: RegionSpec): Region {
    const r = new Region(spec);
    const end = r.base + r.size;
    if (r.size <= 0 || end > 2 ** 32) throw new RangeError(`region ${r.name}: bad size`);
    for (const o of this.regions) {
      if (r.base < o.base + o.size && o.base < end) {
        throw new RangeError(`region ${r.name} overlaps ${o.name}`);
      }
    }
    this.regions.push(r);
    this.regions.sort((a, b) => a.base - b.base);
    if (r.device === null && r.cache === null) {
      const first = Math.ceil(r.base / 2 ** PAGE_SHIFT);
      const last = Math.floor(end / 2 ** PAGE_SHIFT);
      for (let p = first; p < last; p++) {
        if (r.readable) this.rpage[p] = r;
        if (r.writable) this.wpage[p] = r;
      }
    }
    return r;
  }

  find(addr: number): Region | undefined {
    const a = addr >>> 0;
    for (const r of this.regions) if (a - r.base < r.size && a >= r.base) return r;
    return undefined;
  }

  // ---- data accesses (may throw AccessFault) ----

  read32(addr: number): number {
    const r = this.rpage[addr >>> PAGE_SHIFT]!;
    const off = (addr - r.base) >>> 0;
    if (off <= r.last4) {
      this.stall += r.wait;
      return r.dv.getInt32(off, true);
    }
    return this.slowRead(addr, 4);
  }

  read16(addr: number): number {
    const r = this.rpage[addr >>> PAGE_SHIFT]!;
    const off = (addr - r.base) >>> 0;
    if (off <= r.last2) {
      this.stall += r.wait;
      return r.dv.getUint16(off, true);
    }
    return this.slowRead(addr, 2);
  }

  read8(addr: number): number {
    const r = this.rpage[addr >>> PAGE_SHIFT]!;
    const off = (addr - r.base) >>> 0;
    if (off <= r.last1) {
      this.stall += r.wait;
      return r.bytes[off]!;
    }
    return this.slowRead(addr, 1);
  }

  write32(addr: number, value: number): void {
    const r = this.wpage[addr >>> PAGE_SHIFT]!;
    const off = (addr - r.base) >>> 0;
    if (off <= r.last4) {
      this.stall += r.wait;
      r.dv.setInt32(off, value, true);
      if (r.codeMap !== null) r.invalidate(off, 4);
      return;
    }
    this.slowWrite(addr, 4, value);
  }

  write16(addr: number, value: number): void {
    const r = this.wpage[addr >>> PAGE_SHIFT]!;
    const off = (addr - r.base) >>> 0;
    if (off <= r.last2) {
      this.stall += r.wait;
      r.dv.setUint16(off, value, true);
      if (r.codeMap !== null) r.invalidate(off, 2);
      return;
    }
    this.slowWrite(addr, 2, value);
  }

  write8(addr: number, value: number): void {
    const r = this.wpage[addr >>> PAGE_SHIFT]!;
    const off = (addr - r.base) >>> 0;
    if (off <= r.last1) {
      this.stall += r.wait;
      r.bytes[off] = value;
      if (r.codeMap !== null) r.invalidate(off, 1);
      return;
    }
    this.slowWrite(addr, 1, value);
  }

  private locate(addr: number, size: AccessSize, access: 'read' | 'write'): Region {
    const r = this.find(addr);
    if (r === undefined || ((addr - r.base) >>> 0) + size > r.size) {
      throw new AccessFault('unmapped', addr >>> 0, access, size);
    }
    if (access === 'read' ? !r.readable : !r.writable) {
      throw new AccessFault(access === 'read' ? 'unmapped' : 'readonly', addr >>> 0, access, size);
    }
    return r;
  }

  private slowRead(addr: number, size: AccessSize): number {
    const r = this.locate(addr, size, 'read');
    const off = (addr - r.base) >>> 0;
    this.stall += r.cache !== null ? r.cache.data(addr >>> 0) : r.wait;
    if (r.device !== null) {
      const v = r.device.read(off, size);
      return size === 4 ? v | 0 : size === 2 ? v & 0xffff : v & 0xff;
    }
    return size === 4
      ? r.dv.getInt32(off, true)
      : size === 2
        ? r.dv.getUint16(off, true)
        : r.bytes[off]!;
  }

  private slowWrite(addr: number, size: AccessSize, value: number): void {
    const r = this.locate(addr, size, 'write');
    const off = (addr - r.base) >>> 0;
    this.stall += r.wait;
    if (r.device !== null) {
      r.device.write(off, size, size === 4 ? value >>> 0 : value & (size === 2 ? 0xffff : 0xff));
      return;
    }
    if (size === 4) r.dv.setInt32(off, value, true);
    else if (size === 2) r.dv.setUint16(off, value, true);
    else r.bytes[off] = value;
    r.invalidate(off, size);
  }

  // ---- loader and debugger access: no permissions, no wait states ----

  /** Copies bytes into RAM regions regardless of write permission (image loading). */
  load(addr: number, data: Uint8Array): void {
    let done = 0;
    while (done < data.length) {
      const a = (addr + done) >>> 0;
      const r = this.find(a);
      if (r === undefined || r.device !== null) throw new AccessFault('unmapped', a, 'write', 1);
      const off = a - r.base;
      const n = Math.min(r.size - off, data.length - done);
      r.bytes.set(data.subarray(done, done + n), off);
      r.invalidate(off, n);
      done += n;
    }
  }

  /** Reads bytes from RAM regions (debugger view); throws AccessFault if unmapped. */
  peek(addr: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const a = (addr + done) >>> 0;
      const r = this.find(a);
      if (r === undefined || r.device !== null) throw new AccessFault('unmapped', a, 'read', 1);
      const off = a - r.base;
      const n = Math.min(r.size - off, length - done);
      out.set(r.bytes.subarray(off, off + n), done);
      done += n;
    }
    return out;
  }

  peek32(addr: number): number {
    const b = this.peek(addr, 4);
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  }
}
