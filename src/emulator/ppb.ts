// The Private Peripheral Bus (0xE0000000-0xE00FFFFF): System Control Block,
// NVIC, SysTick, DWT counters, FPU control (CPACR, FPCCR, FPDSCR). Unlisted
// addresses read as zero and ignore writes (ITM, FPB, TPIU stubs).

import type { Cpu } from './cpu.ts';
import type { AccessSize, Device } from './memory.ts';
import { Exc } from './nvic.ts';

export const PPB_BASE = 0xe0000000;
export const PPB_SIZE = 0x100000;
const DWT = 0x1000;
const SCS = 0xe000;

/** Cortex-M4 r0p1 CPUID. */
const CPUID = 0x410fc241;

export class Ppb implements Device {
  constructor(private readonly c: Cpu) {}

  read(offset: number, size: AccessSize): number {
    const word = this.readWord(offset & ~3);
    const shift = (offset & 3) * 8;
    if (size === 4) return word;
    return (word >>> shift) & (size === 2 ? 0xffff : 0xff);
  }

  write(offset: number, size: AccessSize, value: number): void {
    const aligned = offset & ~3;
    // Byte-addressable priority registers take sub-word writes directly.
    if (size !== 4 && this.writePriorityBytes(offset, size, value)) return;
    if (size !== 4) {
      const shift = (offset & 3) * 8;
      const m = (size === 2 ? 0xffff : 0xff) << shift;
      value = (this.readWord(aligned) & ~m) | ((value << shift) & m);
    }
    this.writeWord(aligned, value >>> 0);
  }

  private priorityIndex(offset: number): number {
    if (offset >= SCS + 0x400 && offset < SCS + 0x400 + (this.c.nvic.count - 16)) {
      return 16 + offset - (SCS + 0x400);
    }
    if (offset >= SCS + 0xd18 && offset < SCS + 0xd24) return 4 + offset - (SCS + 0xd18);
    return -1;
  }

  private writePriorityBytes(offset: number, size: number, value: number): boolean {
    if (this.priorityIndex(offset) < 0) return false;
    for (let b = 0; b < size; b++) {
      const n = this.priorityIndex(offset + b);
      if (n >= 0) this.c.nvic.setPriority(n, (value >>> (8 * b)) & 0xff);
    }
    this.c.requestAttention();
    return true;
  }

  private readWord(off: number): number {
    const c = this.c;
    const nvic = c.nvic;
    if (off >= DWT && off < DWT + 0x20) return c.dwt.read(off - DWT);
    if (off < SCS || off >= SCS + 0x1000) return 0;
    const o = off - SCS;
    if (o >= 0x100 && o < 0x380) {
      const bank = ((o & 0x7f) >>> 2) * 32;
      const kind = o >>> 7; // 2 ISER, 3 ICER, 4 ISPR, 5 ICPR, 6 IABR
      const bits = kind <= 3 ? nvic.enabled : kind <= 5 ? nvic.pending : nvic.active;
      let v = 0;
      for (let i = 0; i < 32; i++) if (bits[16 + bank + i]) v |= 1 << i;
      return v;
    }
    const prio = this.priorityIndex(off);
    if (prio >= 0) {
      let v = 0;
      for (let b = 0; b < 4; b++) {
        const n = this.priorityIndex(off + b);
        if (n >= 0) v |= (Math.max(0, nvic.priority[n]!) & 0xff) << (8 * b);
      }
      return v;
    }
    switch (o) {
      case 0x004:
        return Math.ceil((nvic.count - 16) / 32) - 1;
      case 0x010:
        return c.systick.readCsr();
      case 0x014:
        return c.systick.readRvr();
      case 0x018:
        return c.systick.readCvr();
      case 0x01c:
        return c.systick.readCalib();
      case 0xd00:
        return CPUID;
      case 0xd04: {
        const pend = nvic.highestPending();
        return (
          (nvic.pending[Exc.NMI] ? 1 << 31 : 0) |
          (nvic.pending[Exc.PendSV] ? 1 << 28 : 0) |
          (nvic.pending[Exc.SysTick] ? 1 << 26 : 0) |
          (pend << 12) |
          (c.ipsr & 0x1ff)
        );
      }
      case 0xd08:
        return c.vtor;
      case 0xd0c:
        return 0xfa050000 | (nvic.prigroup << 8);
      case 0xd10:
        return c.scr;
      case 0xd14:
        return c.ccr;
      case 0xd24:
        return c.shcsr;
      case 0xd28:
        return c.cfsr;
      case 0xd2c:
        return c.hfsr;
      case 0xd34:
        return c.mmfar;
      case 0xd38:
        return c.bfar;
      case 0xd88:
        return c.cpacr;
      case 0xdfc:
        return c.demcr;
      case 0xf34:
        return c.fpccr;
      case 0xf3c:
        return c.fpdscr;
      default:
        return 0;
    }
  }

  private writeWord(off: number, v: number): void {
    const c = this.c;
    const nvic = c.nvic;
    if (off >= DWT && off < DWT + 0x20) {
      c.dwt.write(off - DWT, v);
      return;
    }
    if (off < SCS || off >= SCS + 0x1000) return;
    const o = off - SCS;
    if (o >= 0x100 && o < 0x300) {
      const bank = ((o & 0x7f) >>> 2) * 32;
      const kind = o >>> 7;
      for (let i = 0; i < 32; i++) {
        const n = 16 + bank + i;
        if (n >= nvic.count || ((v >>> i) & 1) === 0) continue;
        if (kind === 2) nvic.enabled[n] = 1;
        else if (kind === 3) nvic.enabled[n] = 0;
        else if (kind === 4) nvic.pending[n] = 1;
        else nvic.pending[n] = 0;
      }
      c.requestAttention();
      return;
    }
    if (this.priorityIndex(off) >= 0) {
      this.writePriorityBytes(off, 4, v);
      return;
    }
    switch (o) {
      case 0x010:
        c.systick.writeCsr(v);
        c.requestAttention();
        return;
      case 0x014:
        c.systick.writeRvr(v);
        return;
      case 0x018:
        c.systick.writeCvr();
        c.requestAttention();
        return;
      case 0xd04:
        if (v & (1 << 31)) nvic.pending[Exc.NMI] = 1;
        if (v & (1 << 28)) nvic.pending[Exc.PendSV] = 1;
        if (v & (1 << 27)) nvic.pending[Exc.PendSV] = 0;
        if (v & (1 << 26)) nvic.pending[Exc.SysTick] = 1;
        if (v & (1 << 25)) nvic.pending[Exc.SysTick] = 0;
        c.requestAttention();
        return;
      case 0xd08:
        c.vtor = v & 0xffffff80;
        return;
      case 0xd0c:
        if (v >>> 16 !== 0x05fa) return;
        nvic.prigroup = (v >>> 8) & 7;
        if (v & 4) c.requestStop('sysreset');
        c.requestAttention();
        return;
      case 0xd10:
        c.scr = v & 0x16;
        return;
      case 0xd14:
        c.ccr = (v & 0x31b) | 0x200;
        return;
      case 0xd24:
        c.shcsr = v & 0x7ffff;
        return;
      case 0xd28:
        c.cfsr &= ~v;
        return;
      case 0xd2c:
        c.hfsr &= ~v;
        return;
      case 0xd34:
        c.mmfar = v;
        return;
      case 0xd38:
        c.bfar = v;
        return;
      case 0xd88:
        c.cpacr = v & 0x00f00000;
        return;
      case 0xdfc:
        c.demcr = v & 0x010f07f1;
        return;
      case 0xf00:
        if (16 + (v & 0x1ff) < nvic.count) nvic.pending[16 + (v & 0x1ff)] = 1;
        c.requestAttention();
        return;
      case 0xf34:
        c.fpccr = (c.fpccr & 0x3fffffff) | (v & 0xc0000000);
        return;
      case 0xf3c:
        c.fpdscr = v & 0x07c00000;
        return;
      default:
        return;
    }
  }
}
