// Exception bookkeeping: pending/active/enabled bits and priorities for the
// system exceptions (1..15) and external interrupts (16..), and the
// architecture's priority rules (group priority via PRIGROUP, PRIMASK,
// FAULTMASK, BASEPRI). The CPU asks it "what should run next?".

export const Exc = {
  Reset: 1,
  NMI: 2,
  HardFault: 3,
  MemManage: 4,
  BusFault: 5,
  UsageFault: 6,
  SVCall: 11,
  DebugMonitor: 12,
  PendSV: 14,
  SysTick: 15,
} as const;

export class Nvic {
  readonly count: number;
  readonly pending: Uint8Array;
  readonly active: Uint8Array;
  /** Enable bits for external interrupts (system exceptions are always enabled). */
  readonly enabled: Uint8Array;
  /** Raw priority byte per exception (0..255, upper `priorityBits` implemented). */
  readonly priority: Int16Array;
  readonly priorityMask: number;
  prigroup = 0;
  activeCount = 0;

  constructor(numIrq: number, priorityBits: number) {
    this.count = 16 + numIrq;
    this.pending = new Uint8Array(this.count);
    this.active = new Uint8Array(this.count);
    this.enabled = new Uint8Array(this.count);
    this.priority = new Int16Array(this.count);
    this.priorityMask = (0xff << (8 - priorityBits)) & 0xff;
    this.priority[Exc.Reset] = -3;
    this.priority[Exc.NMI] = -2;
    this.priority[Exc.HardFault] = -1;
  }

  setPriority(n: number, value: number): void {
    if (n > Exc.HardFault && n < this.count) this.priority[n] = value & this.priorityMask;
  }

  /** Group priority: the subpriority bits (PRIGROUP+1 low bits) do not preempt. */
  group(prio: number): number {
    if (prio < 0) return prio;
    return prio & ~((2 << this.prigroup) - 1) & 0xff;
  }

  isEnabled(n: number): boolean {
    return n < 16 || this.enabled[n] !== 0;
  }

  /** Highest-priority pending and enabled exception (lowest number on ties), or 0. */
  highestPending(): number {
    let best = 0;
    let bestPri = 1 << 10;
    for (let n = 2; n < this.count; n++) {
      if (this.pending[n] === 0 || !this.isEnabled(n)) continue;
      const p = this.group(this.priority[n]!);
      if (p < bestPri) {
        best = n;
        bestPri = p;
      }
    }
    return best;
  }

  /** Priority of the running code from active exceptions only (256 = thread, nothing active). */
  activePriority(): number {
    if (this.activeCount === 0) return 256;
    let pri = 256;
    for (let n = 1; n < this.count; n++) {
      if (this.active[n] !== 0) pri = Math.min(pri, this.group(this.priority[n]!));
    }
    return pri;
  }

  executionPriority(primask: number, faultmask: number, basepri: number): number {
    let pri = this.activePriority();
    if (basepri !== 0) pri = Math.min(pri, this.group(basepri));
    if (primask !== 0) pri = Math.min(pri, 0);
    if (faultmask !== 0) pri = Math.min(pri, -1);
    return pri;
  }

  reset(): void {
    this.pending.fill(0);
    this.active.fill(0);
    this.enabled.fill(0);
    for (let n = 4; n < this.count; n++) this.priority[n] = 0;
    this.prigroup = 0;
    this.activeCount = 0;
  }
}
