// A PL011-style UART (Arm PrimeCell UART register offsets; Apollo4's UART
// uses the same layout): the byte link between the firmware and the host.
//   0x00 DR     read: next received byte (RX FIFO); write: transmit a byte
//   0x04 RSR    receive status / error clear: always 0 (no errors)
//   0x18 FR     flags: BUSY[3] RXFE[4] TXFF[5] RXFF[6] TXFE[7]
//   0x20 ILPR, 0x24 IBRD, 0x28 FBRD, 0x2C LCRH, 0x30 CR, 0x34 IFLS: stored
//   0x38 IMSC   interrupt mask; 0x3C RIS raw status; 0x40 MIS masked status;
//   0x44 ICR    interrupt clear
// Transmission is instantaneous (TXFF and BUSY never set): bytes written to
// DR go to `onTx` at once. Reception is flow-controlled: the host side queues
// any amount of data and the RX FIFO (32 bytes) is refilled from that queue
// as the firmware reads, so nothing overruns. Bytes move only while CR has
// UARTEN and TXE (transmit) or RXE (receive) set.
//
// Interrupts: RX (RIS bit 4) and receive timeout (bit 6) are raised while
// received data waits; TX (bit 5) while the transmitter is empty. The IRQ
// line (MIS != 0) pends the NVIC interrupt given to the constructor.
//
// Idle detection: firmware that polls FR for data (no interrupts) would keep
// the emulator spinning while the host has nothing to say. After 64 reads of
// FR with RXFE set, each within 1024 cycles of the previous one and with no
// data access in between, `onIdle` fires so the board can stop the run
// until data arrives. A program that checks the UART now and then while it
// computes never triggers it.

import type { AccessSize, Device } from './memory.ts';

export const UART_FIFO_DEPTH = 32;

const FR_RXFE = 1 << 4;
const FR_RXFF = 1 << 6;
const FR_TXFE = 1 << 7;
const INT_RX = 1 << 4;
const INT_TX = 1 << 5;
const INT_RT = 1 << 6;
const CR_UARTEN = 1 << 0;
const CR_TXE = 1 << 8;
const CR_RXE = 1 << 9;

/** Polls of an empty receiver in a row, each close to the last, after which the firmware is taken to be waiting. */
const IDLE_POLLS = 64;
/** "Close": at most this many cycles since the previous poll. */
const IDLE_POLL_GAP = 1024;

export interface UartHooks {
  /** A transmitted byte. */
  onTx(byte: number): void;
  /** The firmware is polling an empty receiver (see above). */
  onIdle?(): void;
  /** Raise (true) or drop the interrupt line. */
  irq?(level: boolean): void;
  /** Current cycle count (idle detection). */
  now(): number;
}

export class Pl011 implements Device {
  private readonly fifo = new Uint8Array(UART_FIFO_DEPTH);
  private head = 0;
  private count = 0;
  /** Bytes from the host not yet in the FIFO. */
  private pending: Uint8Array[] = [];
  private pendingOff = 0;
  private regs = { ilpr: 0, ibrd: 0, fbrd: 0, lcrh: 0, cr: 0x300, ifls: 0x12, imsc: 0 };
  /** TX interrupt latch: set when the transmitter empties, cleared by ICR or a write to DR. */
  private txInt = false;
  private irqLevel = false;
  private emptyPolls = 0;
  private lastPoll = 0;
  /** Bytes received and transmitted (for tests and status). */
  rxBytes = 0;
  txBytes = 0;

  constructor(private readonly hooks: UartHooks) {}

  reset(): void {
    this.head = this.count = 0;
    this.regs = { ilpr: 0, ibrd: 0, fbrd: 0, lcrh: 0, cr: 0x300, ifls: 0x12, imsc: 0 };
    this.txInt = false;
    this.emptyPolls = 0;
    this.updateIrq();
  }

  /** Host → firmware: queues bytes for reception. */
  receive(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.pending.push(bytes.slice());
    this.refill();
    this.updateIrq();
  }

  /** Bytes the host has sent that the firmware has not read yet. */
  get waiting(): number {
    let n = this.count - this.pendingOff; // pendingOff bytes of pending[0] are in the FIFO already
    for (const p of this.pending) n += p.length;
    return n;
  }

  private get rxOn(): boolean {
    return (this.regs.cr & (CR_UARTEN | CR_RXE)) === (CR_UARTEN | CR_RXE);
  }

  private refill(): void {
    if (!this.rxOn) return;
    while (this.count < UART_FIFO_DEPTH && this.pending.length > 0) {
      const chunk = this.pending[0]!;
      this.fifo[(this.head + this.count) % UART_FIFO_DEPTH] = chunk[this.pendingOff++]!;
      this.count++;
      if (this.pendingOff === chunk.length) {
        this.pending.shift();
        this.pendingOff = 0;
      }
    }
  }

  private ris(): number {
    let v = 0;
    if (this.count > 0) v |= INT_RX | INT_RT;
    if (this.txInt) v |= INT_TX;
    return v;
  }

  private updateIrq(): void {
    const level = (this.ris() & this.regs.imsc) !== 0;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.hooks.irq?.(level);
    }
  }

  private activity(): void {
    this.emptyPolls = 0;
  }

  read(offset: number, size: AccessSize): number {
    const v = this.readReg(offset & ~3);
    return size === 4 ? v : (v >>> ((offset & 3) * 8)) & (size === 2 ? 0xffff : 0xff);
  }

  private readReg(off: number): number {
    const r = this.regs;
    switch (off) {
      case 0x00: {
        this.activity();
        if (this.count === 0) return 0;
        const b = this.fifo[this.head]!;
        this.head = (this.head + 1) % UART_FIFO_DEPTH;
        this.count--;
        this.rxBytes++;
        this.refill();
        this.updateIrq();
        return b;
      }
      case 0x18: {
        if (this.count === 0) this.notePoll();
        return (
          (this.count === 0 ? FR_RXFE : 0) |
          (this.count === UART_FIFO_DEPTH ? FR_RXFF : 0) |
          FR_TXFE
        );
      }
      case 0x20:
        return r.ilpr;
      case 0x24:
        return r.ibrd;
      case 0x28:
        return r.fbrd;
      case 0x2c:
        return r.lcrh;
      case 0x30:
        return r.cr;
      case 0x34:
        return r.ifls;
      case 0x38:
        return r.imsc;
      case 0x3c:
        return this.ris();
      case 0x40:
        return this.ris() & r.imsc;
      default:
        return 0;
    }
  }

  /** An FR read with nothing received: counts towards idle detection. */
  private notePoll(): void {
    const now = this.hooks.now();
    if (now - this.lastPoll > IDLE_POLL_GAP) this.emptyPolls = 0;
    this.lastPoll = now;
    if (++this.emptyPolls >= IDLE_POLLS) {
      this.emptyPolls = 0;
      if (this.waiting === 0) this.hooks.onIdle?.();
    }
  }

  write(offset: number, size: AccessSize, value: number): void {
    const off = offset & ~3;
    // Registers take the low bits of sub-word writes at their base address.
    const v = size === 4 || (offset & 3) === 0 ? value : 0;
    const r = this.regs;
    switch (off) {
      case 0x00:
        this.activity();
        if ((r.cr & (CR_UARTEN | CR_TXE)) === (CR_UARTEN | CR_TXE)) {
          this.txBytes++;
          this.hooks.onTx(v & 0xff);
        }
        // The byte leaves at once: the transmitter is empty again.
        this.txInt = true;
        break;
      case 0x20:
        r.ilpr = v & 0xff;
        break;
      case 0x24:
        r.ibrd = v & 0xffff;
        break;
      case 0x28:
        r.fbrd = v & 0x3f;
        break;
      case 0x2c:
        r.lcrh = v & 0xff;
        break;
      case 0x30:
        r.cr = v & 0xffff;
        this.refill();
        break;
      case 0x34:
        r.ifls = v & 0x3f;
        break;
      case 0x38:
        r.imsc = v & 0x7ff;
        break;
      case 0x44:
        if (v & INT_TX) this.txInt = false;
        break;
      default:
        return;
    }
    this.updateIrq();
  }
}
