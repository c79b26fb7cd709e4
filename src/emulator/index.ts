// Public surface of the virtual board's CPU emulator.
export { Machine, APOLLO4_LIKE } from './board.ts';
export { Cpu, type CpuOptions, type Counters, type RunResult, type StopReason } from './cpu.ts';
export { decode } from './decode.ts';
export { ElfError, SymbolTable, loadElf, parseElf, type Elf, type ElfSymbol } from './elf.ts';
export type { AccessKind, CpuFault, FaultKind } from './faults.ts';
export { Memory, Region, type Device, type RegionSpec } from './memory.ts';
export type { Insn } from './insn.ts';
