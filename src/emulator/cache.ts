// The Apollo4 CPU cache in front of MRAM, and its register block ("CPU",
// 0x4800_0000 on Apollo4 Plus; offsets from the part's register map):
//   0x000 CACHECFG   ENABLE[0] LRU[1] CONFIG[7:4] IENABLE[8] DENABLE[9]
//                    ENABLEMONITOR[24] (other bits stored, not modelled)
//   0x008 CACHECTRL  INVALIDATE[0] (write 1), RESETSTAT[1] (write 1),
//                    CACHEREADY[2] (read)
//   0x010-0x01C      NCR0/1 START/END: stored, not modelled
//   0x100-0x10C      DMON0-3: data accesses, tag lookups, lookup hits, line hits
//   0x110-0x11C      IMON0-3: the same for instruction fetches
// Everything else in the block reads as zero and ignores writes.
//
// The model: lines of 16 bytes (128 bits), CONFIG chooses ways and entries
// (sets per way); a hit costs nothing; a miss fills the line from MRAM and
// stalls for `missCycles`. Each side (instruction, data) has a line buffer
// holding the last line it touched: an access in that line is a "line hit"
// and needs no tag lookup. So, per side:
//   access    = every 32-bit fetch word / data read that reaches the cache
//   taglookup = accesses outside the line buffer (looked up in the tags)
//   hitslookup= tag lookups that hit
//   hitsline  = accesses served by the line buffer
// and access = taglookup + hitsline, misses = taglookup - hitslookup.
// Instruction and data share the tag array (one unified cache). Counters
// advance only while ENABLEMONITOR is set (and keep their values when it is
// cleared); they are 32-bit and wrap. With the cache (or one side of it)
// disabled, every access of that side goes to MRAM and costs `uncachedCycles`.

import type { AccessSize, CachePort, Device } from './memory.ts';

export const CPU_CACHE_BASE = 0x48000000;
export const CPU_CACHE_SIZE = 0x1000;

/** CACHECFG after reset (Apollo4 Plus register map): CONFIG = 5, clock gating bits set, cache off. */
export const CACHECFG_RESET = 0x00103c50;
/** What AmbiqSuite's defaults select: direct mapped, 4096 entries (64 KiB), LRR, instructions + data. */
export const CACHECFG_HAL_DEFAULT = 0x3e1; // ENABLE | CONFIG 14 | IENABLE | DENABLE
export const CACHECFG_MONITOR = 1 << 24;

const LINE_SHIFT = 4;

/** CONFIG field → [ways, entries per way] (128-bit lines in every mode). */
const GEOMETRY: Record<number, [number, number]> = {
  4: [1, 512],
  5: [2, 512],
  8: [1, 1024],
  12: [1, 2048],
  13: [2, 2048],
  14: [1, 4096],
};

export interface CacheTiming {
  /** Stall of a line fill on a miss (MRAM read of 16 bytes). */
  missCycles: number;
  /** Stall of an access when the cache is off for that side. */
  uncachedCycles: number;
}

export const APOLLO4_MRAM_TIMING: CacheTiming = { missCycles: 8, uncachedCycles: 6 };

export interface CacheStats {
  daccess: number;
  dtaglookup: number;
  dhitslookup: number;
  dhitsline: number;
  iaccess: number;
  itaglookup: number;
  ihitslookup: number;
  ihitsline: number;
}

export class CpuCache implements Device, CachePort {
  cfg = CACHECFG_RESET;
  private ncr = new Uint32Array(4);
  /** DMON0-3 then IMON0-3 (unwrapped; the registers show them modulo 2^32). */
  private da = 0;
  private dt = 0;
  private dh = 0;
  private dl = 0;
  private ia = 0;
  private itl = 0;
  private ih = 0;
  private il = 0;
  private ways = 2;
  private sets = 512;
  /** tags[set * ways + way] = line number, or -1. */
  private tags = new Int32Array(0);
  /** Per set: the way to replace next (LRR order, or LRU when CACHECFG.LRU). */
  private victim = new Uint8Array(0);
  private iBuf = -1;
  private dBuf = -1;

  constructor(readonly timing: CacheTiming = APOLLO4_MRAM_TIMING) {
    this.configure();
  }

  reset(): void {
    this.cfg = CACHECFG_RESET;
    this.ncr.fill(0);
    this.clearStats();
    this.configure();
  }

  stats(): CacheStats {
    return {
      daccess: this.da,
      dtaglookup: this.dt,
      dhitslookup: this.dh,
      dhitsline: this.dl,
      iaccess: this.ia,
      itaglookup: this.itl,
      ihitslookup: this.ih,
      ihitsline: this.il,
    };
  }

  private clearStats(): void {
    this.da = this.dt = this.dh = this.dl = 0;
    this.ia = this.itl = this.ih = this.il = 0;
  }

  /** Re-reads the geometry from CACHECFG and empties the cache. */
  private configure(): void {
    const [ways, sets] = GEOMETRY[(this.cfg >>> 4) & 15] ?? [1, 512];
    this.ways = ways;
    this.sets = sets;
    this.tags = new Int32Array(ways * sets).fill(-1);
    this.victim = new Uint8Array(sets);
    this.iBuf = this.dBuf = -1;
  }

  invalidate(): void {
    this.tags.fill(-1);
    this.victim.fill(0);
    this.iBuf = this.dBuf = -1;
  }

  // ---- the cache proper ----

  /** Looks a line up (filling it on a miss); returns true on a hit. */
  private lookup(line: number): boolean {
    const ways = this.ways;
    const set = line & (this.sets - 1);
    const base = set * ways;
    const tags = this.tags;
    for (let w = 0; w < ways; w++) {
      if (tags[base + w] === line) {
        // LRU: the other way becomes the victim; LRR leaves the order alone.
        if ((this.cfg & 2) !== 0 && ways === 2) this.victim[set] = w ^ 1;
        return true;
      }
    }
    const v = this.victim[set]!;
    tags[base + v] = line;
    this.victim[set] = ways === 2 ? v ^ 1 : 0;
    return false;
  }

  private enabled(sideBit: number): boolean {
    return (this.cfg & 1) !== 0 && (this.cfg & sideBit) !== 0;
  }

  data(addr: number): number {
    if (!this.enabled(1 << 9)) return this.timing.uncachedCycles;
    const count = (this.cfg & CACHECFG_MONITOR) !== 0;
    const line = addr >>> LINE_SHIFT;
    if (count) this.da++;
    if (line === this.dBuf) {
      if (count) this.dl++;
      return 0;
    }
    this.dBuf = line;
    const hit = this.lookup(line);
    if (count) {
      this.dt++;
      if (hit) this.dh++;
    }
    return hit ? 0 : this.timing.missCycles;
  }

  fetch(lines: Int32Array, words: Int32Array): number {
    if (!this.enabled(1 << 8)) {
      let n = 0;
      for (let k = 0; k < words.length; k++) n += words[k]!;
      return n * this.timing.uncachedCycles;
    }
    const count = (this.cfg & CACHECFG_MONITOR) !== 0;
    let stall = 0;
    for (let k = 0; k < lines.length; k++) {
      const line = lines[k]!;
      const n = words[k]!;
      if (count) this.ia += n;
      if (line === this.iBuf) {
        if (count) this.il += n;
        continue;
      }
      // First word of a new line: a tag lookup; the rest come from the line buffer.
      this.iBuf = line;
      const hit = this.lookup(line);
      if (count) {
        this.itl++;
        if (hit) this.ih++;
        this.il += n - 1;
      }
      if (!hit) stall += this.timing.missCycles;
    }
    return stall;
  }

  // ---- registers ----

  read(offset: number, size: AccessSize): number {
    const word = this.readWord(offset & ~3);
    if (size === 4) return word;
    const v = word >>> ((offset & 3) * 8);
    return size === 2 ? v & 0xffff : v & 0xff;
  }

  write(offset: number, size: AccessSize, value: number): void {
    // Sub-word writes merge into the register, as the bus would.
    let v = value;
    if (size !== 4) {
      const shift = (offset & 3) * 8;
      const mask = (size === 2 ? 0xffff : 0xff) << shift;
      v = (this.readWord(offset & ~3) & ~mask) | ((value << shift) & mask);
    }
    this.writeWord(offset & ~3, v >>> 0);
  }

  private readWord(off: number): number {
    if (off === 0x000) return this.cfg;
    if (off === 0x008) return (this.cfg & 1) !== 0 ? 4 : 0;
    if (off >= 0x010 && off < 0x020) return this.ncr[(off - 0x10) >>> 2]!;
    if (off >= 0x100 && off < 0x120) {
      const s = this.stats();
      const v = [
        s.daccess,
        s.dtaglookup,
        s.dhitslookup,
        s.dhitsline,
        s.iaccess,
        s.itaglookup,
        s.ihitslookup,
        s.ihitsline,
      ];
      return v[(off - 0x100) >>> 2]! >>> 0;
    }
    return 0;
  }

  private writeWord(off: number, v: number): void {
    if (off === 0x000) {
      const geometryChanged = ((v ^ this.cfg) & 0xf0) !== 0;
      const enabling = (v & 1) !== 0 && (this.cfg & 1) === 0;
      this.cfg = v;
      if (geometryChanged) this.configure();
      else if (enabling) this.invalidate();
    } else if (off === 0x008) {
      if (v & 1) this.invalidate();
      if (v & 2 && (this.cfg & CACHECFG_MONITOR) !== 0) this.clearStats();
    } else if (off >= 0x010 && off < 0x020) {
      this.ncr[(off - 0x10) >>> 2] = v;
    } else if (off >= 0x100 && off < 0x120) {
      // The monitor counters are read-only in the register map; writes are ignored.
    }
  }
}
