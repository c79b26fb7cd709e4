// Memory maps and a Machine that ties memory, CPU and an ELF image together.
// The default map follows an Ambiq Apollo4-class part: non-volatile code
// memory (MRAM) at 0, tightly-coupled memory and shared SRAM at 0x1000_0000.

import { Cpu, type CpuOptions, type RunResult } from './cpu.ts';
import { type Elf, loadElf, parseElf } from './elf.ts';
import { Memory, type RegionSpec } from './memory.ts';

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
    if (reset === 'vectors') this.cpu.reset();
    else this.cpu.reset({ pc: elf.entry, sp: this.cpu.r[13]! >>> 0 });
    return elf;
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
