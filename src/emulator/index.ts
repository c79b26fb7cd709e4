// Public surface of the virtual board's emulator.
export { APOLLO4_LIKE, BoardMachine, Machine, VIRTUAL_APOLLO4P, type BoardSpec } from './board.ts';
export {
  CACHECFG_HAL_DEFAULT,
  CACHECFG_MONITOR,
  CpuCache,
  type CacheStats,
  type CacheTiming,
} from './cache.ts';
export { Cpu, type CpuOptions, type Counters, type RunResult, type StopReason } from './cpu.ts';
export { decode } from './decode.ts';
export { Dwt } from './dwt.ts';
export { ElfError, SymbolTable, loadElf, parseElf, type Elf, type ElfSymbol } from './elf.ts';
export type { AccessKind, CpuFault, FaultKind } from './faults.ts';
export { jitAvailable } from './jit.ts';
export { Memory, Region, type Device, type RegionSpec } from './memory.ts';
export type { Insn } from './insn.ts';
export { Pl011 } from './uart.ts';
