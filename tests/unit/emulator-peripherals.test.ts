// The virtual board's peripherals at register level (no toolchain needed):
// the PL011-style UART, the Apollo4 CPU cache and its monitor counters, and
// the DWT counters with their enable rules.

import { describe, expect, test } from 'vitest';
import { BoardMachine, VIRTUAL_APOLLO4P } from '../../src/emulator/board.ts';
import {
  CACHECFG_HAL_DEFAULT,
  CACHECFG_MONITOR,
  CACHECFG_RESET,
  CpuCache,
} from '../../src/emulator/cache.ts';
import { Dwt, type DwtTotals } from '../../src/emulator/dwt.ts';
import { Pl011, UART_FIFO_DEPTH } from '../../src/emulator/uart.ts';

const DR = 0x00;
const FR = 0x18;
const CR = 0x30;
const IMSC = 0x38;
const RIS = 0x3c;
const MIS = 0x40;
const ICR = 0x44;
const RXFE = 1 << 4;
const TXFF = 1 << 5;
const RXFF = 1 << 6;
const TXFE = 1 << 7;

function uart(): {
  u: Pl011;
  tx: number[];
  irq: boolean[];
  idle: { n: number };
  clock: { t: number };
} {
  const tx: number[] = [];
  const irq: boolean[] = [];
  const idle = { n: 0 };
  const clock = { t: 0 };
  const u = new Pl011({
    onTx: (b) => tx.push(b),
    onIdle: () => idle.n++,
    irq: (l) => irq.push(l),
    now: () => clock.t,
  });
  return { u, tx, irq, idle, clock };
}

describe('PL011-style UART', () => {
  test('receives in order through the 32-byte FIFO, refilled from the host queue', () => {
    const { u } = uart();
    u.write(CR, 4, 0x301);
    expect(u.read(FR, 4) & (RXFE | TXFE | TXFF)).toBe(RXFE | TXFE);
    const bytes = Uint8Array.from({ length: 100 }, (_, i) => (i * 37) & 0xff);
    u.receive(bytes.subarray(0, 60));
    u.receive(bytes.subarray(60));
    expect(u.read(FR, 4) & RXFF).toBe(RXFF); // 32 bytes in the FIFO, the rest queued
    expect(u.waiting).toBe(100);
    const got: number[] = [];
    while ((u.read(FR, 4) & RXFE) === 0) got.push(u.read(DR, 4));
    expect(got).toEqual([...bytes]);
    expect(u.waiting).toBe(0);
    expect(u.rxBytes).toBe(100);
  });

  test('moves bytes only while enabled (UARTEN and TXE/RXE)', () => {
    const { u, tx } = uart();
    u.write(DR, 4, 0x41); // reset CR: TXE|RXE set but UARTEN clear
    u.receive(new Uint8Array([7]));
    expect(tx).toEqual([]);
    expect(u.read(FR, 4) & RXFE).toBe(RXFE); // held back in the queue, not lost
    u.write(CR, 4, 0x101); // UARTEN | TXE only
    u.write(DR, 4, 0x1_42); // upper bits are not data
    expect(tx).toEqual([0x42]);
    expect(u.read(FR, 4) & RXFE).toBe(RXFE);
    u.write(CR, 4, 0x301);
    expect(u.read(DR, 4)).toBe(7);
    expect(UART_FIFO_DEPTH).toBe(32);
  });

  test('raises its interrupt line for received data and an empty transmitter, as masked', () => {
    const { u, irq } = uart();
    u.write(CR, 4, 0x301);
    u.write(IMSC, 4, 1 << 4); // RX
    u.receive(new Uint8Array([1, 2]));
    expect(irq).toEqual([true]);
    expect(u.read(RIS, 4) & (1 << 4)).toBe(1 << 4);
    expect(u.read(MIS, 4)).toBe(1 << 4);
    u.read(DR, 4);
    u.read(DR, 4);
    expect(irq).toEqual([true, false]);
    u.write(DR, 4, 0x55);
    expect(u.read(RIS, 4) & (1 << 5)).toBe(1 << 5); // TX latch
    u.write(IMSC, 4, 1 << 5);
    expect(irq).toEqual([true, false, true]);
    u.write(ICR, 4, 1 << 5);
    expect(irq).toEqual([true, false, true, false]);
  });

  test('reports idle after dense polls of an empty receiver, not after sparse ones', () => {
    const { u, idle, clock } = uart();
    u.write(CR, 4, 0x301);
    for (let i = 0; i < 200; i++) {
      clock.t += 10_000; // one poll per 10k cycles: a program checking now and then
      u.read(FR, 4);
    }
    expect(idle.n).toBe(0);
    for (let i = 0; i < 64; i++) {
      clock.t += 20;
      u.read(FR, 4);
    }
    expect(idle.n).toBe(1);
    u.receive(new Uint8Array([1]));
    for (let i = 0; i < 200; i++) u.read(FR, 4); // data waiting: never idle
    expect(idle.n).toBe(1);
  });
});

describe('Apollo4 CPU cache model', () => {
  const lines = (...l: number[]): Int32Array => Int32Array.from(l);
  const words = (...w: number[]): Int32Array => Int32Array.from(w);

  test('resets disabled: every access pays the uncached cost and nothing is counted', () => {
    const c = new CpuCache({ missCycles: 8, uncachedCycles: 5 });
    expect(c.read(0, 4)).toBe(CACHECFG_RESET);
    expect(c.fetch(lines(1, 2), words(4, 2))).toBe(6 * 5);
    expect(c.data(0x100)).toBe(5);
    expect(Object.values(c.stats()).every((v) => v === 0)).toBe(true);
  });

  test('counts accesses, tag lookups, lookup hits and line-buffer hits per side', () => {
    const c = new CpuCache({ missCycles: 8, uncachedCycles: 5 });
    c.write(0, 4, CACHECFG_HAL_DEFAULT | CACHECFG_MONITOR);
    // Lines 10, 11 (miss, miss), then 10 again (hit), 4 words in each.
    expect(c.fetch(lines(10, 11), words(4, 4))).toBe(16);
    expect(c.fetch(lines(10), words(4))).toBe(0);
    // Same line as the line buffer: no lookup at all.
    expect(c.fetch(lines(10), words(2))).toBe(0);
    const s = c.stats();
    expect(s).toMatchObject({ iaccess: 14, itaglookup: 3, ihitslookup: 1, ihitsline: 11 });
    expect(s.iaccess).toBe(s.itaglookup + s.ihitsline);
    // Data side: own line buffer, shared tags (line 11 is already in).
    expect(c.data(11 << 4)).toBe(0);
    expect(c.data((11 << 4) + 4)).toBe(0);
    expect(c.data(99 << 4)).toBe(8);
    expect(c.stats()).toMatchObject({ daccess: 3, dtaglookup: 2, dhitslookup: 1, dhitsline: 1 });
    // The registers show the same numbers (DMON0-3, IMON0-3).
    const regs = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => c.read(0x100 + 4 * k, 4));
    expect(regs).toEqual([3, 2, 1, 1, 14, 3, 1, 11]);
  });

  test('direct mapped: lines 4096 apart evict each other; 2-way keeps both', () => {
    const direct = new CpuCache({ missCycles: 8, uncachedCycles: 5 });
    direct.write(0, 4, CACHECFG_HAL_DEFAULT); // 1 way x 4096 entries
    direct.fetch(lines(5), words(1));
    direct.fetch(lines(5 + 4096), words(1));
    expect(direct.fetch(lines(5), words(1))).toBe(8);
    const twoWay = new CpuCache({ missCycles: 8, uncachedCycles: 5 });
    twoWay.write(0, 4, 0x301 | (13 << 4)); // 2 ways x 2048 entries
    twoWay.fetch(lines(5), words(1));
    twoWay.fetch(lines(5 + 2048), words(1));
    expect(twoWay.fetch(lines(5), words(1))).toBe(0);
  });

  test('monitor counters: frozen while ENABLEMONITOR is clear, cleared by RESETSTAT', () => {
    const c = new CpuCache({ missCycles: 8, uncachedCycles: 5 });
    c.write(0, 4, CACHECFG_HAL_DEFAULT | CACHECFG_MONITOR);
    c.fetch(lines(1), words(3));
    c.write(0, 4, CACHECFG_HAL_DEFAULT);
    c.fetch(lines(2), words(3));
    expect(c.stats().iaccess).toBe(3);
    c.write(8, 4, 2); // RESETSTAT without the monitor: ignored
    expect(c.stats().iaccess).toBe(3);
    c.write(0, 4, CACHECFG_HAL_DEFAULT | CACHECFG_MONITOR);
    c.write(8, 4, 2);
    expect(c.stats().iaccess).toBe(0);
    expect(c.read(8, 4) & 4).toBe(4); // CACHEREADY
    c.write(8, 4, 1); // INVALIDATE: line 1 misses again
    expect(c.fetch(lines(1), words(1))).toBe(8);
  });
});

describe('DWT counters', () => {
  function dwt(): { d: Dwt; t: DwtTotals } {
    const t: DwtTotals = { cycles: 0, cpi: 0, exc: 0, sleep: 0, lsu: 0, fold: 0 };
    return { d: new Dwt(() => t), t };
  }

  test('count only with DEMCR.TRCENA and their DWT_CTRL enable', () => {
    const { d, t } = dwt();
    d.write(0x0, 1 | (1 << 20)); // CYCCNTENA, LSUEVTENA
    t.cycles = 100;
    t.lsu = 10;
    expect(d.read(0x4)).toBe(0);
    d.setTrcena(true);
    t.cycles = 150;
    t.lsu = 13;
    expect(d.read(0x4)).toBe(50);
    expect(d.read(0x14)).toBe(3);
    expect(d.read(0x8)).toBe(0); // CPICNT not enabled
    d.setTrcena(false);
    t.cycles = 1000;
    expect(d.read(0x4)).toBe(50);
  });

  test('event counters wrap at 8 bits and clear when enabled; CYCCNT keeps its value', () => {
    const { d, t } = dwt();
    d.setTrcena(true);
    d.write(0x0, 1 | (1 << 21));
    t.cycles = 0x1_0000_0005;
    t.fold = 300;
    expect(d.read(0x4)).toBe(5); // 32-bit wrap
    expect(d.read(0x18)).toBe(300 & 0xff);
    d.write(0x0, 0); // stop both
    t.fold = 400;
    t.cycles += 10;
    d.write(0x0, 1 | (1 << 21)); // enable again
    expect(d.read(0x18)).toBe(0);
    expect(d.read(0x4)).toBe(5);
    d.write(0x4, 0xfffffff0);
    t.cycles += 0x20;
    expect(d.read(0x4)).toBe(0x10);
    expect(d.read(0x0) >>> 28).toBe(4); // NUMCOMP
  });
});

describe('virtual Apollo4 Plus board', () => {
  test('maps the UART and the cache block where the firmware expects them; the rest faults', () => {
    const b = new BoardMachine();
    expect(VIRTUAL_APOLLO4P.uart.base).toBe(0x4001c000);
    expect(b.mem.find(0x4001c018)?.name).toBe('uart0');
    expect(b.mem.find(0x48000100)?.name).toBe('cpu');
    expect(b.mem.find(0x40020000)).toBeUndefined();
    expect(b.mem.read32(0x48000000) >>> 0).toBe(CACHECFG_RESET);
  });
});
