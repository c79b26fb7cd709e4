// The virtual board as a Transport: bytes both ways through the emulated
// UART, the board stops running while the firmware waits for input, faults
// close the link with the instruction and symbol (and fail a pending RPC
// request with that message instead of a timeout), and the event loop keeps
// running while the CPU does. Then the real validator firmware: its banner
// and INFO over RPC.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BoardClient } from '../../src/core/rpc/client.ts';
import { RpcError } from '../../src/core/rpc/errors.ts';
import {
  VirtualBoardFault,
  virtualBoard,
  type VirtualBoardTransport,
} from '../../src/core/transport/virtual-board.ts';
import { FIXTURES, SKIP_REASON, armToolchain, compileBare } from '../emulator/toolchain.ts';

const FIRMWARE = join(import.meta.dirname, '../../firmware-prebuilt/virtual-apollo4p/firmware.elf');

/** Collects received bytes as text; `until` resolves once the text matches (rejects if the link closes first). */
function collect(t: VirtualBoardTransport): {
  text: () => string;
  until: (re: RegExp) => Promise<string>;
} {
  let text = '';
  let closed: Error | null | undefined;
  const waiters: (() => void)[] = [];
  const wake = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  t.onData((b) => {
    text += new TextDecoder().decode(b);
    wake();
  });
  t.onClose((reason) => {
    closed = reason;
    wake();
  });
  return {
    text: () => text,
    until: async (re) => {
      while (!re.test(text)) {
        if (closed !== undefined) {
          throw new Error(
            `link closed (${closed?.message ?? 'locally'}) before ${re}; got ${JSON.stringify(text)}`,
          );
        }
        await new Promise<void>((r) => waiters.push(r));
      }
      return text;
    },
  };
}

const closeReason = (t: VirtualBoardTransport): Promise<Error | null> =>
  new Promise((resolve) => t.onClose(resolve));

describe.skipIf(!armToolchain)('virtual board transport (UART echo program)', () => {
  const echo = armToolchain
    ? compileBare([join(FIXTURES, 'uart-echo.c')], '-O2', join(FIXTURES, 'apollo4p.ld'))
    : new Uint8Array();

  test('exchanges bytes with the firmware and waits (not spins) when it polls for input', async () => {
    const t = virtualBoard(echo);
    const rx = collect(t);
    await rx.until(/echo ready\n/);
    await t.settled();
    expect(t.state).toBe('waiting');
    const cyclesWhileWaiting = t.machine.cpu.cycles;
    await new Promise((r) => setTimeout(r, 20));
    // Nothing ran while nobody was talking.
    expect(t.machine.cpu.cycles).toBe(cyclesWhileWaiting);

    await t.write(new TextEncoder().encode('Hello, Board'));
    // ',' and ' ' flip to 0x0c and 0x00.
    expect(await rx.until(/bOARD$/)).toBe('echo ready\nhELLO\f\u0000bOARD');
    // More than a FIFO's worth in one write: flow control, nothing lost.
    const long = 'abcdefghij'.repeat(10);
    await t.write(new TextEncoder().encode(long));
    const text = await rx.until(/(ABCDEFGHIJ){10}$/);
    expect(text.endsWith(long.toUpperCase())).toBe(true);
    expect(t.machine.uart.rxBytes).toBe(12 + 100);
    await t.close();
    expect(t.state).toBe('stopped');
    await expect(t.write(new Uint8Array([1]))).rejects.toThrow(/closed/);
  });

  test('a bad access closes the link with pc, address and symbol', async () => {
    const t = virtualBoard(echo);
    const rx = collect(t);
    await rx.until(/ready/);
    const closing = closeReason(t);
    await t.write(new TextEncoder().encode('!'));
    const reason = await closing;
    expect(reason).toBeInstanceOf(VirtualBoardFault);
    const f = reason as VirtualBoardFault;
    expect(f.stop).toBe('fault');
    expect(f.fault?.kind).toBe('unmapped');
    expect(f.fault?.address).toBe(0x50000000);
    expect(f.message).toMatch(
      /^virtual board faulted: unmapped read of 4 byte\(s\) at 0x50000000 at pc=0x[0-9a-f]{8} \(crash_here(\+0x[0-9a-f]+)?\)$/,
    );
    expect(f.pc).toBe(t.machine.cpu.pc);
    await expect(t.write(new Uint8Array([1]))).rejects.toBe(f);
  });

  test('a firmware asleep for good is reported once the host sends it something', async () => {
    const t = virtualBoard(echo);
    await collect(t).until(/ready/);
    await t.write(new TextEncoder().encode('#'));
    await t.settled();
    expect(t.state).toBe('waiting'); // asleep, nothing unread: could be waiting for input
    const closing = closeReason(t);
    await t.write(new TextEncoder().encode('x'));
    const e = (await closing) as VirtualBoardFault;
    expect(e.stop).toBe('halted');
    expect(e.message).toMatch(
      /^virtual board is asleep with nothing to wake it \(1 byte\(s\) unread\) at pc=0x[0-9a-f]{8} \(sleep_forever/,
    );
  });

  test('a pending RPC request fails with the fault, well before its timeout', async () => {
    const t = virtualBoard(echo);
    await collect(t).until(/ready/);
    // Any frame contains bytes other than '!': make the program crash on the first one.
    const client = new BoardClient(t, { timeoutMs: 30_000, retries: 0 });
    const started = Date.now();
    const crashing = t.write(new TextEncoder().encode('!'));
    const request = client.echo(new Uint8Array([1, 2, 3]));
    await crashing;
    const e = await request.then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(RpcError);
    expect((e as RpcError).code).toBe('CLOSED');
    expect((e as RpcError).message).toMatch(/virtual board faulted: .* \(crash_here/);
    // The typed fault rides along as the cause: no need to parse the message.
    const fault = (e as RpcError).cause;
    expect(fault).toBeInstanceOf(VirtualBoardFault);
    expect((fault as VirtualBoardFault).stop).toBe('fault');
    expect((fault as VirtualBoardFault).fault?.address).toBe(0x50000000);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('schedules its slices with a MessageChannel where there is no setImmediate (workers)', async () => {
    const g = globalThis as { setImmediate?: unknown };
    const saved = g.setImmediate;
    g.setImmediate = undefined;
    let t: VirtualBoardTransport;
    try {
      t = virtualBoard(echo);
    } finally {
      g.setImmediate = saved;
    }
    const rx = collect(t);
    await rx.until(/ready/);
    await t.write(new TextEncoder().encode('xyz'));
    expect(await rx.until(/XYZ/)).toBe('echo ready\nXYZ');
    await t.close();
  });

  test('the event loop keeps running while the CPU does; close() stops it', async () => {
    let slices = 0;
    const t = virtualBoard(echo, { sliceMs: 5, onSlice: () => slices++ });
    await collect(t).until(/ready/);
    await t.write(new TextEncoder().encode('~'));
    // A timer set now fires while the firmware spins (it never waits for input).
    const before = slices;
    await new Promise((r) => setTimeout(r, 30));
    expect(t.state).toBe('running');
    expect(slices).toBeGreaterThan(before);
    await t.close();
    const at = t.machine.cpu.cycles;
    await new Promise((r) => setTimeout(r, 20));
    expect(t.machine.cpu.cycles).toBe(at);
  });
});

describe.skipIf(!existsSync(FIRMWARE))('virtual board with the validator firmware', () => {
  test('boots, prints its banner and answers INFO over RPC', async () => {
    const t = virtualBoard(new Uint8Array(readFileSync(FIRMWARE)));
    const rx = collect(t);
    await rx.until(/TinyDeploy validator virtual-apollo4p/);
    await t.settled();
    const client = new BoardClient(t, { timeoutMs: 5000 });
    const info = await client.info();
    expect(info.name).toBe('virtual-apollo4p');
    expect(info.core).toBe('cortex-m4f');
    expect(info.clockHz).toBe(96_000_000);
    // What the board reports must match the memory map the emulator models.
    expect(info.packageCapacity).toBeLessThanOrEqual(1024 * 1024);
    expect(info.arenaCapacity).toBeLessThanOrEqual(384 * 1024);
    const payload = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff);
    expect(await client.echo(payload)).toEqual(payload);
    await t.close();
  });
});

if (!armToolchain) test.skip(`virtual board transport: ${SKIP_REASON}`, () => {});
