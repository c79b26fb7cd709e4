// The DWT profiling counters (ARMv7-M ARM, "The Data Watchpoint and Trace
// unit"): CYCCNT (32-bit) and the 8-bit event counters CPICNT, EXCCNT,
// SLEEPCNT, LSUCNT and FOLDCNT, each enabled by its DWT_CTRL bit and all of
// them only while DEMCR.TRCENA is set. An event counter is cleared when its
// enable bit goes from 0 to 1; CYCCNT keeps its value. All are writable.
//
// The CPU keeps free-running totals; a counter is (total - base) while it
// runs and a held value while it is stopped, so nothing is done per cycle.
// CPICNT is derived from the architectural identity
//   cycles = instructions + CPI + EXC + SLEEP + LSU - FOLD
// i.e. it holds every cycle not explained by the first cycle of an
// instruction, exception overhead, sleep or the load/store unit: extra
// cycles of multi-cycle instructions, branch refills and fetch stalls.

/** Totals the counters are derived from (the CPU provides them up to date). */
export interface DwtTotals {
  cycles: number;
  cpi: number;
  exc: number;
  sleep: number;
  lsu: number;
  fold: number;
}

class Gated {
  private running = false;
  private base = 0;
  private held = 0;

  value(total: number): number {
    return this.running ? total - this.base : this.held;
  }

  set(on: boolean, total: number): void {
    if (on === this.running) return;
    if (on) this.base = total - this.held;
    else this.held = total - this.base;
    this.running = on;
  }

  write(v: number, total: number): void {
    if (this.running) this.base = total - v;
    else this.held = v;
  }
}

/** DWT_CTRL enable bits: CYCCNTENA, then CPI, EXC, SLEEP, LSU, FOLD event enables. */
const ENABLE_BITS = [1 << 0, 1 << 17, 1 << 18, 1 << 19, 1 << 20, 1 << 21] as const;
const KEYS = ['cycles', 'cpi', 'exc', 'sleep', 'lsu', 'fold'] as const;
/** NUMCOMP = 4 comparators (read-only field), as on Cortex-M4. */
const CTRL_RESET = 0x40000000;
const CTRL_WRITABLE = 0x0fffffff;

export const DWT_OFFSET = 0x1000;

export class Dwt {
  private ctrl = CTRL_RESET;
  private trcena = false;
  private readonly counters = KEYS.map(() => new Gated());

  constructor(private readonly totals: () => DwtTotals) {}

  /** DEMCR.TRCENA gates every counter. */
  setTrcena(on: boolean): void {
    if (on === this.trcena) return;
    this.trcena = on;
    this.apply(false);
  }

  private apply(clearOnEnable: boolean, oldCtrl = this.ctrl): void {
    const t = this.totals();
    KEYS.forEach((k, n) => {
      const bit = ENABLE_BITS[n]!;
      const c = this.counters[n]!;
      // Event counters start from zero when enabled (CYCCNT keeps counting from its value).
      if (clearOnEnable && n > 0 && (oldCtrl & bit) === 0 && (this.ctrl & bit) !== 0) {
        c.set(false, t[k]);
        c.write(0, t[k]);
      }
      c.set(this.trcena && (this.ctrl & bit) !== 0, t[k]);
    });
  }

  /** Register read at an offset inside the DWT block (0xE0001000). */
  read(off: number): number {
    if (off === 0x0) return this.ctrl >>> 0;
    const n = off >>> 2;
    if (off > 0x18 || (off & 3) !== 0 || n < 1) return 0;
    const key = KEYS[n - 1]!;
    const v = this.counters[n - 1]!.value(this.totals()[key]);
    return n === 1 ? v >>> 0 : v & 0xff;
  }

  write(off: number, v: number): void {
    if (off === 0x0) {
      const old = this.ctrl;
      this.ctrl = ((old & ~CTRL_WRITABLE) | (v & CTRL_WRITABLE)) >>> 0;
      this.apply(true, old);
      return;
    }
    const n = off >>> 2;
    if (off > 0x18 || (off & 3) !== 0 || n < 1) return;
    const key = KEYS[n - 1]!;
    this.counters[n - 1]!.write(n === 1 ? v >>> 0 : v & 0xff, this.totals()[key]);
  }
}
