// Memory maps, the Machine (memory + CPU + ELF), and the virtual board: a
// Machine with the peripherals the validator firmware uses.
//
// VIRTUAL_APOLLO4P follows the Ambiq Apollo4 Plus as the firmware's board
// support sees it (firmware/boards/virtual-apollo4p: linker.ld, board.c):
//   MRAM  0x0000_0000  2 MiB   code, behind the CPU cache; the image starts at
//                              0x0001_8000 (after Ambiq's secure boot loader),
//                              where reset finds its vector table
//   TCM   0x1000_0000  384 KiB data, bss, arena, stack (no wait states)
//   SRAM  0x1006_0000  1 MiB   shared SRAM: the model package (no wait states)
//   UART0 0x4001_C000          PL011-style UART, NVIC interrupt 15
//   CPU   0x4800_0000          cache control and monitor (cache.ts)
//   PPB   0xE000_0000          SCB, NVIC, SysTick, DWT (ppb.ts)
// Anything else is unmapped: touching it stops the run with a fault.

import { CPU_CACHE_BASE, CPU_CACHE_SIZE, CpuCache, type CacheTiming } from './cache.ts';
import { Cpu, type CpuOptions, type RunResult } from './cpu.ts';
import { type Elf, loadElf, parseElf } from './elf.ts';
import { Memory, type RegionSpec } from './memory.ts';
import { Pl011 } from './uart.ts';

export const APOLLO4_LIKE: readonly RegionSpec[] = [
  { name: 'mram', base: 0x00000000, size: 2 * 1024 * 1024, perms: 'rx' },
  { name: 'tcm', base: 0x10000000, size: 384 * 1024, perms: 'rwx' },
  { name: 'sram', base: 0x10060000, size: 1024 * 1024, perms: 'rwx' },
];

export class Machine {
  readonly mem: Memory;
  readonly cpu: Cpu;
  elf: Elf | undefined;

  constructor(regions: readonly RegionSpec[] = APOLLO4_LIKE, options: CpuOptions = {}) {
    this.mem = new Memory([...regions]);
    this.cpu = new Cpu(this.mem, options);
  }

  /** Loads an ELF image and resets: from the vector table when the entry's region holds one at 0. */
  load(image: Uint8Array, reset: 'vectors' | 'entry' = 'vectors'): Elf {
    const elf = parseElf(image);
    loadElf(this.mem, elf);
    this.elf = elf;
    this.cpu.symbols = elf.symbols;
    if (reset === 'vectors') this.reset();
    else this.cpu.reset({ pc: elf.entry, sp: this.cpu.r[13]! >>> 0 });
    return elf;
  }

  /** Core reset from the vector table (peripherals too, in subclasses). */
  reset(): void {
    this.cpu.reset();
  }

  run(maxCycles?: number): RunResult {
    return this.cpu.run(maxCycles);
  }

  /** Address of a symbol in the loaded image. */
  symbol(name: string): number {
    if (!this.elf) throw new Error('no image loaded');
    return this.elf.symbols.address(name);
  }
}

export interface BoardSpec {
  name: string;
  /** Memory regions (RAM and non-volatile memory; peripherals are added from the fields below). */
  regions: readonly RegionSpec[];
  /** Where reset finds the vector table (VTOR's value after the boot loader). */
  vectorTable: number;
  /** Core clock the emulated cycles stand for (labels and time conversions). */
  clockHz: number;
  uart: { base: number; irq: number };
  /** The CPU cache: its register block, and the region it sits in front of. */
  cache?: { base: number; region: string; timing?: CacheTiming };
  numIrq: number;
  priorityBits: number;
}

export const VIRTUAL_APOLLO4P: BoardSpec = {
  name: 'virtual-apollo4p',
  regions: [
    { name: 'mram', base: 0x00000000, size: 2 * 1024 * 1024, perms: 'rx' },
    { name: 'tcm', base: 0x10000000, size: 384 * 1024, perms: 'rwx' },
    { name: 'sram', base: 0x10060000, size: 1024 * 1024, perms: 'rwx' },
  ],
  vectorTable: 0x00018000,
  clockHz: 96_000_000,
  uart: { base: 0x4001c000, irq: 15 },
  cache: { base: CPU_CACHE_BASE, region: 'mram' },
  numIrq: 84,
  priorityBits: 3,
};

/**
 * A Machine with the board's peripherals. Bytes the firmware transmits
 * collect in `tx` until taken; `receive` feeds the UART's receiver.
 */
export class BoardMachine extends Machine {
  readonly uart: Pl011;
  readonly cache: CpuCache | null;
  /** Transmitted bytes not yet taken. */
  private tx: number[] = [];

  constructor(
    readonly spec: BoardSpec = VIRTUAL_APOLLO4P,
    options: CpuOptions = {},
  ) {
    const cache = spec.cache ? new CpuCache(spec.cache.timing) : null;
    const regions = spec.regions.map((r) =>
      cache !== null && r.name === spec.cache!.region ? { ...r, cache } : r,
    );
    super(regions, {
      numIrq: spec.numIrq,
      priorityBits: spec.priorityBits,
      resetVectors: spec.vectorTable,
      ...options,
    });
    this.cache = cache;
    const cpu = this.cpu;
    const irq = 16 + spec.uart.irq;
    this.uart = new Pl011({
      onTx: (b) => this.tx.push(b),
      onIdle: () => cpu.requestStop('idle'),
      irq: (level) => {
        if (level) cpu.pend(irq);
      },
      now: () => cpu.cycles,
    });
    this.mem.map({
      name: 'uart0',
      base: spec.uart.base,
      size: 0x1000,
      perms: 'rw',
      device: this.uart,
    });
    if (cache !== null && spec.cache) {
      this.mem.map({
        name: 'cpu',
        base: spec.cache.base,
        size: CPU_CACHE_SIZE,
        perms: 'rw',
        device: cache,
      });
    }
  }

  override reset(): void {
    this.uart.reset();
    this.cache?.reset();
    super.reset();
  }

  /** Takes the bytes transmitted since the last call. */
  takeTx(): Uint8Array {
    const out = Uint8Array.from(this.tx);
    this.tx = [];
    return out;
  }

  /** Host → firmware bytes. */
  receive(bytes: Uint8Array): void {
    this.uart.receive(bytes);
  }
}
