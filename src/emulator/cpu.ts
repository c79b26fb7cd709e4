// The executor: architectural state of an ARMv7E-M core with FPv4-SP, the
// run loop over straight-line blocks (block.ts), IT blocks, exceptions
// (SysTick, SVC, PendSV, NVIC interrupts, HardFault with stacking) and the
// cycle/event counters the DWT exposes.
//
// Hot path: per block one lookup (per-region array indexed by halfword) and
// one call, to the block's compiled function (jit.ts) or to runBlock; per
// instruction a constant cost and a compare against `limit` (min of the
// budget and the next timer event; executors set it to -1 to ask for
// attention: stop, pended exception, code written, ...).

import { condPassed } from './alu.ts';
import { AL, Block, buildBlock, itAdvance } from './block.ts';
import { decode } from './decode.ts';
import { Dwt } from './dwt.ts';
import type { SymbolTable } from './elf.ts';
import { AccessFault, describeFault, type CpuFault, type FaultKind } from './faults.ts';
import { widenNumberFields, type Insn } from './insn.ts';
import { compileBlock, jitAvailable, JIT_THRESHOLD } from './jit.ts';
import type { Memory, Region } from './memory.ts';
import { Exc, Nvic } from './nvic.ts';
import { PPB_BASE, PPB_SIZE, Ppb } from './ppb.ts';
import { SysTick, type Clocked } from './systick.ts';
import { pairAdjust } from './timing.ts';

/**
 * Why a run ended: BKPT, a fault, the cycle budget, asleep with nothing to
 * wake the core, lockup, a reset request (AIRCR.SYSRESETREQ), halt() from
 * outside, or a peripheral reporting that the firmware waits for input.
 */
export type StopReason =
  'bkpt' | 'fault' | 'limit' | 'sleep' | 'lockup' | 'sysreset' | 'halt' | 'idle';

export interface RunResult {
  reason: StopReason;
  /** BKPT immediate when reason is 'bkpt'. */
  bkpt?: number;
  fault?: CpuFault;
  /** Cycles and instructions executed by this call. */
  cycles: number;
  instructions: number;
}

export interface CpuOptions {
  /** Stop the run on a fault (default) instead of entering the HardFault handler. */
  trapFaults?: boolean;
  /** Address of the vector table at reset (VTOR's reset value; default 0). */
  resetVectors?: number;
  /** Start with CPACR granting CP10/CP11 (startup code normally does this). */
  fpuEnabled?: boolean;
  numIrq?: number;
  priorityBits?: number;
  symbols?: SymbolTable;
  /** Called on BKPT; return true to continue after it (semihosting), false to stop. */
  onBkpt?: (imm: number, cpu: Cpu) => boolean;
  /** Compile hot blocks to JavaScript where the environment allows it (default true). */
  jit?: boolean;
  /** Executions before a block is compiled (default JIT_THRESHOLD; 1 compiles at first use). */
  jitThreshold?: number;
}

export interface Counters {
  cycles: number;
  instructions: number;
  /** Extra cycles spent by load/store instructions beyond the first. */
  lsu: number;
  /** Instructions executed in zero cycles (IT folding). */
  fold: number;
  /** Cycles of exception entry and return. */
  exc: number;
  sleep: number;
  /** Cycles not explained by the others (DWT CPICNT, unwrapped). */
  cpi: number;
}

/** Cortex-M4 exception timing (TRM): entry and return, extra for an FP frame (lazy stacking off). */
const EXC_ENTRY_CYCLES = 12;
const EXC_RETURN_CYCLES = 10;
const FP_FRAME_CYCLES = 17;

export class Cpu {
  readonly r = new Int32Array(16);
  /** Address of the next instruction. */
  pc = 0;
  /** N = nf < 0, Z = zf === 0 (both hold the last result), C and V as 0/1. */
  nf = 0;
  zf = 1;
  cf = 0;
  vf = 0;
  qf = 0;
  ge = 0;
  /** ITSTATE: firstcond[3:0]:mask[3:0] in bits 7..0. */
  it = 0;

  readonly s = new Float32Array(32);
  readonly su = new Uint32Array(this.s.buffer);
  fpscr = 0;
  /** FPU enabled and CONTROL.FPCA set: VFP executors skip their check. */
  fpReady = false;

  primask = 0;
  faultmask = 0;
  basepri = 0;
  /** CONTROL: bit0 nPRIV, bit1 SPSEL, bit2 FPCA. */
  control = 0;
  ipsr = 0;
  /** The stack pointer not currently in r[13]. */
  otherSp = 0;
  exclusive = false;
  eventRegister = false;

  // System control registers (the PPB device reads and writes these).
  vtor = 0;
  scr = 0;
  ccr = 0x200;
  shcsr = 0;
  cfsr = 0;
  hfsr = 0;
  mmfar = 0;
  bfar = 0;
  cpacr = 0;
  private demcrValue = 0;
  fpccr = 0xc0000000;
  fpdscr = 0;
  readonly dwt: Dwt;

  cycles = 0;
  icount = 0;
  lsu = 0;
  fold = 0;
  excCycles = 0;
  sleepCycles = 0;
  /** The instruction executed last, when execution continues with the next one in memory (pairing). */
  prev: Insn | null = null;
  /** The block being executed (its partial counts are added at exit; see counts()). */
  curBlock: Block | null = null;

  /** Run-loop exit threshold on `cycles`. */
  limit = 0;
  private stopReason: StopReason | null = null;
  private bkptImm = 0;
  private lastFault: CpuFault | null = null;
  /** In WFI/WFE until an exception is pending. */
  sleeping = false;
  private inIT = false;
  private itPrev = 0;
  private readonly jit: boolean;
  private readonly jitThreshold: number;

  readonly mem: Memory;
  readonly nvic: Nvic;
  readonly systick: SysTick;
  readonly clocked: Clocked[] = [];
  readonly options: CpuOptions;
  symbols: SymbolTable | undefined;

  /** The region the loop is executing from, and its block array (by halfword). */
  private xregion: Region | null = null;
  private xbase = 0;
  private xlen = 0;
  private xblocks: (Block | undefined)[] = [];

  constructor(mem: Memory, options: CpuOptions = {}) {
    this.mem = mem;
    this.options = options;
    this.symbols = options.symbols;
    // Counters outgrow 31 bits and flags hold any 32-bit result (see widenNumberFields).
    widenNumberFields<Cpu>(this, [
      'pc',
      'nf',
      'zf',
      'fpscr',
      'cycles',
      'icount',
      'lsu',
      'fold',
      'excCycles',
      'sleepCycles',
      'limit',
    ]);
    this.jit = options.jit !== false && jitAvailable();
    this.jitThreshold = options.jitThreshold ?? JIT_THRESHOLD;
    this.dwt = new Dwt(() => {
      const k = this.counts();
      return {
        cycles: k.cycles,
        cpi: k.cpi,
        exc: k.exc,
        sleep: k.sleep,
        lsu: k.lsu,
        fold: k.fold,
      };
    });
    this.nvic = new Nvic(options.numIrq ?? 64, options.priorityBits ?? 3);
    this.systick = new SysTick(
      () => this.cycles,
      () => this.pend(Exc.SysTick),
    );
    this.clocked.push(this.systick);
    if (!mem.find(PPB_BASE)) {
      mem.map({ name: 'ppb', base: PPB_BASE, size: PPB_SIZE, perms: 'rw', device: new Ppb(this) });
    }
    if (options.fpuEnabled) this.cpacr = 0x00f00000;
  }

  // ---- reset and register access ----

  /** Architectural reset: SP and PC from the vector table at 0 (or the given values). */
  reset(at?: { pc: number; sp: number }): void {
    this.r.fill(0);
    this.su.fill(0);
    this.nf = 0;
    this.zf = 1;
    this.cf = this.vf = this.qf = this.ge = this.it = 0;
    this.fpscr = 0;
    this.primask = this.faultmask = this.basepri = this.control = this.ipsr = 0;
    this.exclusive = false;
    this.vtor = (this.options.resetVectors ?? 0) & 0xffffff80;
    this.scr = 0;
    this.ccr = 0x200;
    this.shcsr = this.cfsr = this.hfsr = this.mmfar = this.bfar = 0;
    this.cpacr = this.options.fpuEnabled ? 0x00f00000 : 0;
    this.fpccr = 0xc0000000;
    this.fpdscr = 0;
    this.fpReady = false;
    this.nvic.reset();
    this.systick.reset();
    this.sleeping = false;
    this.prev = null;
    this.r[14] = -1;
    if (at) {
      this.r[13] = at.sp & ~3;
      this.pc = at.pc & ~1;
    } else {
      this.r[13] = this.mem.peek32(this.vtor) & ~3;
      this.pc = this.mem.peek32(this.vtor + 4) & ~1;
    }
    this.otherSp = 0;
  }

  get apsr(): number {
    return (
      ((this.nf < 0 ? 1 : 0) << 31) |
      ((this.zf === 0 ? 1 : 0) << 30) |
      (this.cf << 29) |
      (this.vf << 28) |
      (this.qf << 27) |
      (this.ge << 16)
    );
  }

  set apsr(v: number) {
    this.setNzcvq(v);
    this.ge = (v >>> 16) & 15;
  }

  setNzcvq(v: number): void {
    this.nf = v & (1 << 31) ? -1 : 0;
    this.zf = v & (1 << 30) ? 0 : 1;
    this.cf = (v >>> 29) & 1;
    this.vf = (v >>> 28) & 1;
    this.qf = (v >>> 27) & 1;
  }

  get xpsr(): number {
    const it = this.it;
    return (this.apsr | ((it & 3) << 25) | (1 << 24) | ((it >>> 2) << 10) | this.ipsr) >>> 0;
  }

  /** Main and process stack pointers, wherever they currently live. */
  get msp(): number {
    return this.usingPsp() ? this.otherSp : this.r[13]! >>> 0;
  }

  get psp(): number {
    return this.usingPsp() ? this.r[13]! >>> 0 : this.otherSp;
  }

  private usingPsp(): boolean {
    return this.ipsr === 0 && (this.control & 2) !== 0;
  }

  counters(): Counters {
    this.drainStall();
    return this.counts();
  }

  /**
   * The counters as of the current instruction. Inside a block, instructions
   * and LSU cycles are added at its exit; a device read in the middle (DWT)
   * adds the part already executed here.
   */
  private counts(): Counters {
    let icount = this.icount;
    let lsu = this.lsu + this.mem.stall;
    const b = this.curBlock;
    if (b !== null) {
      const k = b.indexOf((this.r[15]! - 4) >>> 0);
      icount += k;
      lsu += b.lsuPre[k]!;
    }
    const cycles = this.cycles + this.mem.stall;
    return {
      cycles,
      instructions: icount,
      lsu,
      fold: this.fold,
      exc: this.excCycles,
      sleep: this.sleepCycles,
      cpi: cycles - icount - lsu - this.excCycles - this.sleepCycles + this.fold,
    };
  }

  get demcr(): number {
    return this.demcrValue;
  }

  set demcr(v: number) {
    this.demcrValue = v;
    this.dwt.setTrcena((v & (1 << 24)) !== 0);
  }

  /** Drains wait-state cycles the bus accumulated into the cycle and LSU counts. */
  drainStall(): void {
    if (this.mem.stall !== 0) {
      this.cycles += this.mem.stall;
      this.lsu += this.mem.stall;
      this.mem.stall = 0;
    }
  }

  // ---- running ----

  /** Runs until BKPT, a fault, a sleep with nothing to wake it, or `maxCycles`. */
  run(maxCycles = Infinity, single = false): RunResult {
    const startCycles = this.cycles;
    const startInsns = this.icount;
    const end = this.cycles + maxCycles;
    this.stopReason = null;
    this.lastFault = null;
    for (;;) {
      this.service();
      if (this.stopReason !== null) break;
      if (this.cycles >= end) {
        this.stopReason = 'limit';
        break;
      }
      let event = Infinity;
      for (const d of this.clocked) event = Math.min(event, d.nextEvent);
      const next = Math.min(end, event);
      if (this.sleeping) {
        // Asleep with no timer armed: nothing can ever wake the core.
        if (event === Infinity) {
          this.stopReason = 'sleep';
          break;
        }
        this.sleepCycles += next - this.cycles;
        this.cycles = next;
        continue;
      }
      // A limit at the current cycle runs exactly one instruction (do-while).
      this.limit = single ? this.cycles : next;
      try {
        this.loop(single);
      } catch (e) {
        if (!(e instanceof AccessFault)) throw e;
        this.abandonBlock();
        this.onFault(e);
      }
      this.drainStall();
      if (single) {
        this.stopReason ??= 'limit';
        break;
      }
    }
    const reason = this.stopReason as StopReason;
    const result: RunResult = {
      reason,
      cycles: this.cycles - startCycles,
      instructions: this.icount - startInsns,
    };
    if (reason === 'bkpt') result.bkpt = this.bkptImm;
    if (this.lastFault) result.fault = this.lastFault;
    return result;
  }

  /** A fault left a block in the middle: count what it executed before the faulting instruction. */
  private abandonBlock(): void {
    const b = this.curBlock;
    this.curBlock = null;
    this.prev = null;
    if (b === null) return;
    const k = b.indexOf((this.r[15]! - 4) >>> 0);
    this.icount += k;
    this.lsu += b.lsuPre[k]!;
  }

  /** Executes exactly one instruction (after taking any pending exception). */
  step(): RunResult {
    return this.run(Infinity, true);
  }

  private loop(single: boolean): void {
    const r = this.r;
    let blocks = this.xblocks;
    let base = this.xbase;
    let len = this.xlen;
    do {
      const pc = this.pc;
      if (this.it !== 0) {
        // Entered in the middle of an IT block (exception return, single step).
        this.stepIT(pc);
        continue;
      }
      const off = (pc - base) >>> 0;
      if (off >= len) {
        r[15] = pc + 4;
        this.enterRegion(pc);
        blocks = this.xblocks;
        base = this.xbase;
        len = this.xlen;
      }
      let b = blocks[((pc - base) >>> 0) >>> 1];
      if (b === undefined) {
        r[15] = pc + 4;
        b = this.newBlock(pc);
        blocks = this.xblocks;
      }
      let fn = b.fn;
      if (fn === null && this.jit && !single && ++b.runs >= this.jitThreshold) {
        fn = b.fn = compileBlock(b, pairAdjust);
      }
      if (fn !== null && !single) fn(this);
      else {
        this.enterBlock(b);
        this.runBlock(b);
      }
    } while (this.cycles < this.limit);
    this.curBlock = null;
  }

  /** Work at the start of a block (compiled blocks do it themselves). */
  private enterBlock(b: Block): void {
    this.curBlock = b;
    const prev = this.prev;
    if (prev !== null) {
      // Pairing with the instruction before the block (it ended in the middle of a run).
      const adj = pairAdjust(prev, b.insns[0]!);
      this.cycles += adj;
      this.lsu += adj;
    }
    const cache = b.region.cache;
    if (cache !== null) this.cycles += cache.fetch(b.lines, b.lineWords);
  }

  /**
   * Executes a block (the interpreter for blocks not compiled; jit.ts emits
   * the same steps with the constants folded in). Stops after any
   * instruction that reaches `limit`.
   */
  runBlock(b: Block): void {
    const r = this.r;
    const mem = this.mem;
    const ins = b.insns;
    const cyc = b.cyc;
    const n = ins.length;
    const hasIT = b.hasIT;
    let k = 0;
    while (k < n) {
      const d = ins[k]!;
      r[15] = d.addr + 4;
      if (d.flow) this.pc = (d.addr + d.size) >>> 0;
      if (hasIT && b.cond[k] !== AL) {
        if (condPassed(this, b.cond[k]!)) {
          d.exec(this, d);
          this.cycles += cyc[k]!;
        } else {
          // Skipped: one cycle, none of its LSU cycles.
          this.cycles += 1;
          this.lsu -= b.lsuPre[k + 1]! - b.lsuPre[k]!;
        }
        this.it = b.itNext[k]!;
      } else {
        d.exec(this, d);
        this.cycles += cyc[k]!;
      }
      if (mem.stall !== 0) this.drainStall();
      k++;
      if (this.cycles >= this.limit) break;
    }
    this.exitBlock(b, k);
  }

  /** Bookkeeping when a block stops after k instructions (compiled blocks inline it). */
  exitBlock(b: Block, k: number): void {
    this.icount += k;
    this.lsu += b.lsuPre[k]!;
    const last = b.insns[k - 1]!;
    if (last.flow) this.prev = null;
    else {
      this.pc = (last.addr + last.size) >>> 0;
      this.prev = last;
    }
  }

  /** One instruction inside an IT block, outside any block (slow path). */
  private stepIT(pc: number): void {
    const region = this.regionAt(pc);
    const d0 = this.decodeIn(region, pc);
    const d = d0.alt ?? d0;
    const it = this.it;
    this.r[15] = pc + 4;
    this.pc = pc + d.size;
    this.itPrev = it;
    this.inIT = true;
    this.it = itAdvance(it);
    const adj = pairAdjust(this.prev, d);
    if (condPassed(this, it >>> 4)) {
      d.exec(this, d);
      this.cycles += d.cycles + adj;
      this.lsu += d.lsu + adj;
    } else this.cycles += 1;
    this.inIT = false;
    this.icount++;
    this.prev = d.flow ? null : d;
    if (this.mem.stall !== 0) this.drainStall();
  }

  private regionAt(pc: number): Region {
    const region = this.mem.find(pc);
    if (region === undefined || region.device !== null)
      throw new AccessFault('unmapped', pc >>> 0, 'exec', 2);
    if (!region.executable) throw new AccessFault('noexec', pc >>> 0, 'exec', 2);
    return region;
  }

  /** Points the loop at the region holding pc, growing its block array to cover pc. */
  private enterRegion(pc: number): void {
    const region = this.regionAt(pc);
    if (region.onFlush === null) region.onFlush = () => this.codeFlushed(region);
    const blocks = (region.blocks ??= []);
    const need = Math.min(region.size >>> 1, (((pc - region.base) >>> 0) >>> 1) + 2048);
    while (blocks.length < need) blocks.push(undefined);
    this.xregion = region;
    this.xblocks = blocks;
    this.xbase = region.base;
    this.xlen = blocks.length * 2;
  }

  /** A write hit decoded code: forget the region's blocks and stop after this instruction. */
  private codeFlushed(region: Region): void {
    if (this.xregion === region) {
      this.xregion = null;
      this.xblocks = [];
      this.xlen = 0;
    }
    this.requestAttention();
  }

  private newBlock(pc: number): Block {
    const region = this.xregion!;
    const b = buildBlock(region, pc, (a) => this.decodeIn(region, a));
    if (region.blocks === null) this.enterRegion(pc); // flushed while decoding (cannot, but be safe)
    const blocks = region.blocks!;
    const slot = ((pc - region.base) >>> 0) >>> 1;
    while (blocks.length <= slot) blocks.push(undefined);
    blocks[slot] = b;
    region.markCode((pc - region.base) >>> 0, b.end - pc);
    return b;
  }

  /** The decoded instruction at addr in region (cached per halfword). */
  private decodeIn(region: Region, addr: number): Insn {
    const off = (addr - region.base) >>> 0;
    const code = (region.code ??= []);
    const slot = off >>> 1;
    const hit = slot < code.length ? code[slot] : undefined;
    if (hit !== undefined) return hit;
    const hw1 = this.fetch16(addr);
    const wide = hw1 >>> 11 >= 0x1d;
    const hw2 = wide ? this.fetch16(addr + 2) : 0;
    const insn = decode(hw1, hw2, addr >>> 0);
    // Cache only when the whole encoding sits in this region (else decode each time).
    if (off + insn.size <= region.size) {
      while (code.length <= slot) code.push(undefined);
      code[slot] = insn;
      region.markCode(off, insn.size);
    }
    return insn;
  }

  private fetch16(addr: number): number {
    const region = this.mem.find(addr);
    if (region === undefined || region.device !== null)
      throw new AccessFault('unmapped', addr >>> 0, 'exec', 2);
    if (!region.executable) throw new AccessFault('noexec', addr >>> 0, 'exec', 2);
    const off = (addr - region.base) >>> 0;
    if (off + 2 > region.size) throw new AccessFault('unmapped', addr >>> 0, 'exec', 2);
    return region.dv.getUint16(off, true);
  }

  /** Is the instruction at addr a 32-bit one? (Used for the pipeline-refill estimate.) */
  wideAt(addr: number): boolean {
    const region = this.mem.find(addr);
    if (region === undefined || region.device !== null) return false;
    const off = (addr - region.base) >>> 0;
    if (off + 2 > region.size) return false;
    return region.dv.getUint16(off, true) >>> 11 >= 0x1d;
  }

  /** Asks the run loop to stop after the current instruction and look at events. */
  requestAttention(): void {
    this.limit = -1;
  }

  requestStop(reason: StopReason): void {
    if (this.stopReason === null) this.stopReason = reason;
    this.limit = -1;
  }

  /** Stops the current run from outside (e.g., a UI); takes effect after the current instruction. */
  halt(): void {
    this.requestStop('halt');
  }

  // ---- branches ----

  /** BXWritePC / LoadWritePC: interworking branch, or exception return from handler mode. */
  bxWritePC(v: number): void {
    if (this.ipsr !== 0 && v >>> 28 === 0xf) {
      this.exceptionReturn(v >>> 0);
      return;
    }
    if ((v & 1) === 0) throw new AccessFault('invstate', v >>> 0, 'exec', 2);
    this.pc = (v & ~1) >>> 0;
  }

  /** Pipeline refill P (1..3): +1 for an unaligned 32-bit target, +1 when not predictable early. */
  refill(target: number, indirect: boolean): number {
    let p = indirect ? 2 : 1;
    if ((target & 2) !== 0 && this.wideAt(target)) p++;
    return p;
  }

  // ---- BKPT, SVC, hints ----

  divideByZero(): never {
    throw new AccessFault('divbyzero', (this.r[15]! - 4) >>> 0, 'none', 0);
  }

  undefinedInstruction(): never {
    throw new AccessFault('undefined', (this.r[15]! - 4) >>> 0, 'none', 0);
  }

  bkpt(imm: number): void {
    const pc = (this.r[15]! - 4) >>> 0;
    if (this.options.onBkpt?.(imm, this)) return;
    this.pc = pc;
    this.bkptImm = imm;
    // It halts instead of retiring: the loop's count for it is taken back.
    this.icount--;
    this.requestStop('bkpt');
  }

  pend(n: number): void {
    this.nvic.pending[n] = 1;
    this.requestAttention();
  }

  /** WFI/WFE: sleep until an exception becomes pending (WFE also returns on the event register). */
  sleep(wfe: boolean): void {
    if (wfe && this.eventRegister) {
      this.eventRegister = false;
      return;
    }
    this.sleeping = true;
    this.requestAttention();
  }

  // ---- special registers ----

  readSpecial(sysm: number): number {
    switch (sysm) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 5:
      case 6:
      case 7: {
        let v = 0;
        if ((sysm & 4) === 0) v |= this.apsr;
        if (sysm & 1) v |= this.ipsr;
        return v | 0;
      }
      case 8:
        return this.msp | 0;
      case 9:
        return this.psp | 0;
      case 16:
        return this.primask;
      case 17:
      case 18:
        return this.basepri;
      case 19:
        return this.faultmask;
      case 20:
        return this.control;
      default:
        return 0;
    }
  }

  /** MSR; mask bit 1 writes NZCVQ, bit 0 the GE bits (APSR forms only). */
  writeSpecial(sysm: number, mask: number, v: number): void {
    const privileged = this.ipsr !== 0 || (this.control & 1) === 0;
    switch (sysm) {
      case 0:
      case 1:
      case 2:
      case 3:
        if (mask & 2) this.setNzcvq(v);
        if (mask & 1) this.ge = (v >>> 16) & 15;
        return;
      case 8:
        if (!privileged) return;
        if (this.usingPsp()) this.otherSp = (v & ~3) >>> 0;
        else this.r[13] = v & ~3;
        return;
      case 9:
        if (!privileged) return;
        if (this.usingPsp()) this.r[13] = v & ~3;
        else this.otherSp = (v & ~3) >>> 0;
        return;
      case 16:
        if (privileged) this.primask = v & 1;
        break;
      case 17:
        if (privileged) this.basepri = v & this.nvic.priorityMask;
        break;
      case 18: {
        const b = v & this.nvic.priorityMask;
        if (privileged && b !== 0 && (b < this.basepri || this.basepri === 0)) this.basepri = b;
        break;
      }
      case 19:
        if (privileged && this.ipsr !== Exc.NMI) this.faultmask = v & 1;
        break;
      case 20: {
        if (!privileged) return;
        const was = this.usingPsp();
        this.control = (this.control & ~3) | (v & 1) | (this.ipsr === 0 ? v & 2 : this.control & 2);
        this.control = (this.control & ~4) | (v & 4);
        if (was !== this.usingPsp()) this.swapSp();
        this.fpReady = false;
        break;
      }
      default:
        return;
    }
    this.requestAttention();
  }

  cps(disable: boolean, affectI: boolean, affectF: boolean): void {
    if (this.ipsr === 0 && (this.control & 1) !== 0) return;
    const v = disable ? 1 : 0;
    if (affectI) this.primask = v;
    if (affectF && (v === 0 || this.ipsr !== Exc.NMI)) this.faultmask = v;
    this.requestAttention();
  }

  private swapSp(): void {
    const cur = this.r[13]! >>> 0;
    this.r[13] = this.otherSp;
    this.otherSp = cur;
  }

  // ---- FPU enable check (ExecuteFPCheck) ----

  /** Called by VFP executors when fpReady is false. */
  fpCheck(): void {
    if (((this.cpacr >>> 20) & 0xf) !== 0xf) {
      throw new AccessFault('nocp', (this.r[15]! - 4) >>> 0, 'none', 0);
    }
    if ((this.fpccr & 0x80000000) !== 0 && (this.control & 4) === 0) {
      this.fpscr = (this.fpscr & ~0x07c00000) | (this.fpdscr & 0x07c00000);
      this.control |= 4;
    }
    this.fpReady = (this.control & 4) !== 0 || (this.fpccr & 0x80000000) === 0;
  }

  // ---- exceptions ----

  /** Between instructions: advance timers, take the highest pending exception if it preempts. */
  private service(): void {
    for (const d of this.clocked) if (d.nextEvent <= this.cycles) d.advance(this.cycles);
    if (this.stopReason !== null) return;
    const n = this.nvic.highestPending();
    if (n === 0) return;
    // Pending interrupts wake WFI even when masked by PRIMASK.
    this.sleeping = false;
    const pri = this.nvic.group(this.nvic.priority[n]!);
    if (pri >= this.nvic.executionPriority(this.primask, this.faultmask, this.basepri)) return;
    try {
      this.enterException(n, this.pc);
    } catch (e) {
      if (!(e instanceof AccessFault)) throw e;
      this.stopWithFault('lockup', e.address, e.access, e.size, this.pc);
    }
  }

  private enterException(n: number, returnAddress: number): void {
    const fpFrame = (this.control & 4) !== 0;
    const frameSize = fpFrame ? 0x68 : 0x20;
    const forceAlign = fpFrame || (this.ccr & 0x200) !== 0;
    const psp = this.usingPsp();
    const sp = this.r[13]! >>> 0;
    const align = forceAlign && (sp & 4) !== 0 ? 1 : 0;
    const frame = ((sp - frameSize) & (forceAlign ? ~7 : ~3)) >>> 0;
    const m = this.mem;
    const r = this.r;
    const xpsr = (this.xpsr & ~(1 << 9)) | (align << 9);
    m.write32(frame, r[0]!);
    m.write32(frame + 4, r[1]!);
    m.write32(frame + 8, r[2]!);
    m.write32(frame + 12, r[3]!);
    m.write32(frame + 16, r[12]!);
    m.write32(frame + 20, r[14]!);
    m.write32(frame + 24, returnAddress);
    m.write32(frame + 28, xpsr);
    if (fpFrame) {
      for (let i = 0; i < 16; i++) m.write32(frame + 32 + 4 * i, this.su[i]!);
      m.write32(frame + 96, this.fpscr);
    }
    r[13] = frame;
    const handler = this.ipsr !== 0;
    r[14] = 0xffffffe1 | (fpFrame ? 0 : 0x10) | (handler ? 0 : 8) | (psp ? 4 : 0) | 0;
    if (psp) {
      // Handlers run on the main stack.
      this.swapSp();
    }
    const vector = m.read32((this.vtor + 4 * n) >>> 0);
    this.ipsr = n;
    this.control &= ~6;
    this.fpReady = false;
    this.it = 0;
    this.exclusive = false;
    this.nvic.pending[n] = 0;
    this.nvic.active[n] = 1;
    this.nvic.activeCount++;
    const cost = EXC_ENTRY_CYCLES + (fpFrame ? FP_FRAME_CYCLES : 0);
    this.cycles += cost;
    this.excCycles += cost;
    this.prev = null;
    if ((vector & 1) === 0) throw new AccessFault('invstate', vector >>> 0, 'exec', 2);
    this.pc = (vector & ~1) >>> 0;
  }

  private exceptionReturn(excReturn: number): void {
    const kind = excReturn & 0xf;
    if ((excReturn & 0x0fffffe0) !== 0x0fffffe0 || (kind !== 1 && kind !== 9 && kind !== 13)) {
      throw new AccessFault('badreturn', excReturn, 'none', 0);
    }
    const n = this.ipsr;
    if (this.nvic.active[n]) {
      this.nvic.active[n] = 0;
      this.nvic.activeCount--;
    }
    if (n !== Exc.NMI) this.faultmask = 0;
    const toThread = (kind & 8) !== 0;
    const toPsp = kind === 13;
    // Select the stack the frame lives on; handler mode always uses MSP.
    const frame = toPsp ? this.otherSp : this.r[13]! >>> 0;
    const m = this.mem;
    const r = this.r;
    const fpFrame = (excReturn & 0x10) === 0;
    r[0] = m.read32(frame);
    r[1] = m.read32(frame + 4);
    r[2] = m.read32(frame + 8);
    r[3] = m.read32(frame + 12);
    r[12] = m.read32(frame + 16);
    r[14] = m.read32(frame + 20);
    const ret = m.read32(frame + 24) >>> 0;
    const psr = m.read32(frame + 28) >>> 0;
    if (fpFrame) {
      for (let i = 0; i < 16; i++) this.su[i] = m.read32(frame + 32 + 4 * i);
      this.fpscr = m.read32(frame + 96) >>> 0;
    }
    const newSp = (frame + (fpFrame ? 0x68 : 0x20) + ((psr >>> 9) & 1) * 4) >>> 0;
    if (toPsp) {
      // r[13] holds MSP in handler mode; make PSP current for the thread.
      this.otherSp = this.r[13]! >>> 0;
      r[13] = newSp;
    } else r[13] = newSp;
    this.control = (this.control & ~6) | (toPsp ? 2 : 0) | (fpFrame ? 4 : 0);
    this.fpReady = false;
    this.apsr = psr;
    this.it = ((psr >>> 25) & 3) | (((psr >>> 10) & 0x3f) << 2);
    this.ipsr = toThread ? 0 : psr & 0x1ff;
    this.exclusive = false;
    this.pc = (ret & ~1) >>> 0;
    const cost = EXC_RETURN_CYCLES + (fpFrame ? FP_FRAME_CYCLES : 0);
    this.cycles += cost;
    this.excCycles += cost;
    this.prev = null;
    this.requestAttention();
    if ((this.scr & 2) !== 0 && toThread) this.sleeping = true; // SLEEPONEXIT
  }

  private onFault(e: AccessFault): void {
    const pc = (this.r[15]! - 4) >>> 0;
    if (this.inIT) {
      this.it = this.itPrev;
      this.inIT = false;
    }
    this.pc = pc;
    if (this.options.trapFaults !== false) {
      this.stopWithFault(e.kind, e.address, e.access, e.size, pc);
      return;
    }
    this.recordFaultStatus(e);
    // A fault inside HardFault or NMI cannot escalate further: lockup.
    if (this.ipsr === Exc.HardFault || this.ipsr === Exc.NMI || this.faultmask !== 0) {
      this.stopWithFault('lockup', e.address, e.access, e.size, pc);
      return;
    }
    this.hfsr |= 1 << 30; // FORCED: configurable faults escalate (their enables are off)
    try {
      this.enterException(Exc.HardFault, pc);
    } catch (e2) {
      if (!(e2 instanceof AccessFault)) throw e2;
      this.stopWithFault('lockup', e2.address, e2.access, e2.size, pc);
    }
  }

  private recordFaultStatus(e: AccessFault): void {
    const bits: Partial<Record<FaultKind, number>> = {
      undefined: 1 << 16,
      invstate: 1 << 17,
      badreturn: 1 << 18,
      nocp: 1 << 19,
      unaligned: 1 << 24,
      divbyzero: 1 << 25,
    };
    const b = bits[e.kind];
    if (b !== undefined) this.cfsr |= b;
    else if (e.access === 'exec')
      this.cfsr |= 1 << 8; // IBUSERR
    else {
      this.cfsr |= (1 << 9) | (1 << 15); // PRECISERR, BFARVALID
      this.bfar = e.address;
    }
  }

  private stopWithFault(
    kind: FaultKind,
    address: number,
    access: AccessFault['access'],
    size: number,
    pc: number,
  ): void {
    const sym = this.symbols;
    const base = {
      kind,
      pc,
      address,
      access,
      size,
      ...(sym?.describe(pc) !== undefined ? { pcSymbol: sym.describe(pc)! } : {}),
      ...(access !== 'none' && access !== 'exec' && sym?.describe(address) !== undefined
        ? { addressSymbol: sym.describe(address)! }
        : {}),
    };
    this.lastFault = { ...base, message: describeFault(base) };
    this.stopReason = kind === 'lockup' ? 'lockup' : 'fault';
    this.limit = -1;
  }
}
