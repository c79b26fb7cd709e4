// The virtual board behind a message port (how the app runs it in a Web
// Worker), over a MessageChannel in one thread: bytes both ways, the state
// the page sees, and a fault arriving on the page as the same typed error.

import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  connectVirtualBoard,
  serveVirtualBoard,
  type PortBoard,
  type PortLike,
} from '../../src/app/worker/board-port.ts';
import { VirtualBoardFault } from '../../src/core/transport/virtual-board.ts';
import { FIXTURES, SKIP_REASON, armToolchain, compileBare } from '../emulator/toolchain.ts';

function received(t: PortBoard): { until: (s: string) => Promise<string> } {
  let text = '';
  const waiters: (() => void)[] = [];
  t.onData((b) => {
    text += new TextDecoder().decode(b);
    for (const w of waiters.splice(0)) w();
  });
  return {
    until: async (s) => {
      while (!text.includes(s)) await new Promise<void>((r) => waiters.push(r));
      return text;
    },
  };
}

describe.skipIf(!armToolchain)('virtual board over a message port', () => {
  const echo = armToolchain
    ? compileBare([join(FIXTURES, 'uart-echo.c')], '-O2', join(FIXTURES, 'apollo4p.ld'))
    : new Uint8Array();
  let channel: MessageChannel;
  afterEach(() => {
    channel.port1.close();
    channel.port2.close();
  });

  function open(): PortBoard {
    channel = new MessageChannel();
    serveVirtualBoard(channel.port2 as unknown as PortLike);
    return connectVirtualBoard(channel.port1 as unknown as PortLike, echo);
  }

  test('carries bytes both ways and reports when the firmware waits', async () => {
    const t = open();
    const rx = received(t);
    await rx.until('ready');
    await t.write(new TextEncoder().encode('abc'));
    expect(await rx.until('ABC')).toBe('echo ready\nABC');
    await new Promise((r) => setTimeout(r, 20));
    expect(t.state).toBe('waiting');
    await t.close();
    expect(t.state).toBe('stopped');
  });

  test('a fault reaches the page as a VirtualBoardFault with the same message', async () => {
    const t = open();
    await received(t).until('ready');
    const reason = new Promise<Error | null>((r) => t.onClose(r));
    await t.write(new TextEncoder().encode('!'));
    const e = await reason;
    expect(e).toBeInstanceOf(VirtualBoardFault);
    expect(e?.message).toMatch(/^virtual board faulted: unmapped read .* \(crash_here/);
    expect((e as VirtualBoardFault).fault?.address).toBe(0x50000000);
    await expect(t.write(new Uint8Array([1]))).rejects.toBe(e);
  });
});

if (!armToolchain) test.skip(`virtual board over a port: ${SKIP_REASON}`, () => {});
