// SysTick, modelled by arithmetic on the cycle count rather than a per-cycle
// decrement: the timer only knows the cycle at which it next reaches zero.
// The CPU runs until min(budget, nextEvent) and then calls advance().

export interface Clocked {
  /** Cycle at which this device next needs attention (Infinity: never). */
  readonly nextEvent: number;
  /** Brings the device up to `now`; may pend exceptions through the callback it was built with. */
  advance(now: number): void;
}

export class SysTick implements Clocked {
  private enabled = false;
  private tickint = false;
  private clksource = 0;
  private countflag = false;
  private rvr = 0;
  /** Counter value while disabled. */
  private frozen = 0;
  /** While enabled: cycle at which the counter next goes from 1 to 0. */
  private zeroAt = Infinity;

  constructor(
    private readonly now: () => number,
    private readonly pend: () => void,
    /** SYST_CALIB value (TENMS etc.); 0 with NOREF/SKEW clear unless the board says otherwise. */
    private readonly calib = 0,
  ) {}

  get nextEvent(): number {
    return this.enabled && this.tickint ? this.zeroAt : Infinity;
  }

  advance(now: number): void {
    if (!this.enabled || this.zeroAt > now) return;
    // One or more wraps happened; the pending bit records at most one.
    this.countflag = true;
    if (this.tickint) this.pend();
    if (this.rvr === 0) {
      this.zeroAt = Infinity;
      return;
    }
    const period = this.rvr + 1;
    const wraps = Math.floor((now - this.zeroAt) / period) + 1;
    this.zeroAt += wraps * period;
  }

  private value(now: number): number {
    if (!this.enabled) return this.frozen;
    this.advance(now);
    return this.zeroAt === Infinity ? 0 : this.zeroAt - now;
  }

  readCsr(): number {
    this.advance(this.now());
    const v =
      (this.enabled ? 1 : 0) |
      (this.tickint ? 2 : 0) |
      (this.clksource << 2) |
      (this.countflag ? 1 << 16 : 0);
    this.countflag = false;
    return v;
  }

  writeCsr(v: number): void {
    const now = this.now();
    const cur = this.value(now);
    const enable = (v & 1) !== 0;
    this.tickint = (v & 2) !== 0;
    this.clksource = (v >>> 2) & 1;
    if (enable && !this.enabled) {
      // From 0 the counter reloads on the next tick; otherwise it counts down from where it was.
      this.zeroAt = cur === 0 ? now + 1 + this.rvr : now + cur;
      if (cur === 0 && this.rvr === 0) this.zeroAt = Infinity;
    } else if (!enable && this.enabled) {
      this.frozen = cur;
    }
    this.enabled = enable;
  }

  readRvr(): number {
    return this.rvr;
  }

  writeRvr(v: number): void {
    this.rvr = v & 0xffffff;
  }

  readCvr(): number {
    return this.value(this.now());
  }

  /** Any write clears the counter and COUNTFLAG. */
  writeCvr(): void {
    const now = this.now();
    this.countflag = false;
    if (this.enabled) this.zeroAt = this.rvr === 0 ? Infinity : now + 1 + this.rvr;
    else this.frozen = 0;
  }

  readCalib(): number {
    return this.calib;
  }

  reset(): void {
    this.enabled = false;
    this.tickint = false;
    this.clksource = 0;
    this.countflag = false;
    this.rvr = 0;
    this.frozen = 0;
    this.zeroAt = Infinity;
  }
}
