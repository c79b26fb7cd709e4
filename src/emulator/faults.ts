// Faults as typed values. A bad access or an undefined instruction stops the
// run with one of these (or, when the CPU is configured to, escalates to the
// firmware's HardFault handler). Memory code throws the light-weight
// AccessFault; the CPU adds the PC and symbol names before reporting it.

export type FaultKind =
  | 'unmapped' // no region at the address
  | 'readonly' // write to a region without write permission (ROM, flash)
  | 'noexec' // instruction fetch from a region without execute permission
  | 'unaligned' // misaligned where the architecture faults (LDM, LDRD, LDREX, ...)
  | 'undefined' // UDF or an encoding the core does not implement
  | 'invstate' // branch to an address with bit 0 clear (ARM state)
  | 'nocp' // floating-point instruction while CPACR leaves the FPU off
  | 'divbyzero' // SDIV/UDIV by zero with CCR.DIV_0_TRP set
  | 'badreturn' // malformed EXC_RETURN value
  | 'lockup'; // fault while in HardFault/NMI, or an unhandled fault with no vector

export type AccessKind = 'read' | 'write' | 'exec' | 'none';

/** Thrown by memory and executors; caught by the CPU run loop. Not an Error (no stack capture). */
export class AccessFault {
  constructor(
    readonly kind: FaultKind,
    readonly address: number,
    readonly access: AccessKind,
    readonly size: number,
  ) {}
}

/** What a run reports when it stops on a fault. */
export interface CpuFault {
  readonly kind: FaultKind;
  /** Address of the faulting instruction. */
  readonly pc: number;
  /** Data address for memory faults, otherwise the PC. */
  readonly address: number;
  readonly access: AccessKind;
  readonly size: number;
  /** `function+0x12` for the PC when a symbol table is present. */
  readonly pcSymbol?: string;
  /** Symbol containing the data address, when there is one. */
  readonly addressSymbol?: string;
  readonly message: string;
}

const hex = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');

export function describeFault(f: Omit<CpuFault, 'message'>): string {
  const where = f.pcSymbol ? ` (${f.pcSymbol})` : '';
  const at = f.addressSymbol ? ` (${f.addressSymbol})` : '';
  switch (f.kind) {
    case 'unmapped':
    case 'readonly':
    case 'noexec':
    case 'unaligned':
      return `${f.kind} ${f.access} of ${f.size} byte(s) at ${hex(f.address)}${at} by instruction at ${hex(f.pc)}${where}`;
    default:
      return `${f.kind} fault at ${hex(f.pc)}${where}`;
  }
}
