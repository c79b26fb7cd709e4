// The client's request engine against a scripted board over an in-memory
// link: timeouts (fake timers), retries with the same sequence number,
// NAKs, damaged and stale answers, one request in flight, typed errors.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BoardClient, type BoardClientOptions } from '../../src/core/rpc/client.ts';
import { RpcError } from '../../src/core/rpc/errors.ts';
import { encodeFrame, FrameReader, type Frame } from '../../src/core/rpc/frame.ts';
import { FLAG_REPLAY, MsgType, RESPONSE_BIT, WireStatus } from '../../src/core/rpc/wire.ts';
import { memoryPair } from '../../src/core/transport/memory.ts';
import { CloseSignal, type Transport } from '../../src/core/transport/transport.ts';

type Reply = Uint8Array | null;

interface Script {
  /** Every request frame the board received, in order. */
  log: Frame[];
  client: BoardClient;
  boardEnd: Transport;
}

/** A board that answers each request with whatever `respond` returns (null: silence). */
function scripted(
  respond: (req: Frame, attempt: number) => Reply,
  options: BoardClientOptions = {},
): Script {
  const [clientEnd, boardEnd] = memoryPair();
  const log: Frame[] = [];
  const reader = new FrameReader({
    frame: (f) => {
      log.push(f);
      const attempt = log.filter((g) => g.seq === f.seq && g.type === f.type).length;
      const reply = respond(f, attempt);
      if (reply) void boardEnd.write(reply);
    },
    damaged: () => {},
  });
  boardEnd.onData((b) => reader.push(b));
  const client = new BoardClient(clientEnd, { firstSeq: 100, ...options });
  return { log, client, boardEnd };
}

const answer = (
  req: Frame,
  payload: Uint8Array = new Uint8Array(0),
  status = 0,
  flags = 0,
): Uint8Array =>
  encodeFrame({ type: req.type | RESPONSE_BIT, flags, status, seq: req.seq, payload });

/** The same answer with one byte flipped: fails its CRC. */
function damaged(req: Frame): Uint8Array {
  const a = answer(req, Uint8Array.of(1, 2, 3));
  const i = a.length - 2; // inside the CRC; never turned into a delimiter
  a[i] = a[i] === 0x40 ? 0x41 : (a[i] as number) ^ 0x40;
  return a;
}

const nak = (): Uint8Array =>
  encodeFrame({
    type: MsgType.NAK | RESPONSE_BIT,
    flags: 0,
    status: WireStatus.BAD_FRAME,
    seq: 0,
    payload: new Uint8Array(0),
  });

/** An INFO payload: 1 KB frames, 64 KB package region, 16 KB arena. */
function infoPayload(packageCapacity = 65536): Uint8Array {
  const p = new Uint8Array(48 + 3 * 5);
  const dv = new DataView(p.buffer);
  p[0] = 1;
  p[2] = 6;
  dv.setUint16(4, 256, true);
  dv.setUint32(16, packageCapacity, true);
  dv.setUint32(20, 16384, true);
  dv.setUint32(24, 64, true);
  for (let i = 0; i < 3; i++) p.set([4, 0x66, 0x61, 0x6b, 0x65], 48 + 5 * i);
  return p;
}

/** A board that answers everything OK (INFO with infoPayload), except as `override` says. */
function board(
  override: (req: Frame, attempt: number) => Reply | undefined = () => undefined,
  options: BoardClientOptions = {},
): Script {
  return scripted((req, attempt) => {
    const o = override(req, attempt);
    if (o !== undefined) return o;
    return answer(req, req.type === MsgType.INFO ? infoPayload() : new Uint8Array(0));
  }, options);
}

async function rejection(p: Promise<unknown>): Promise<RpcError> {
  const e: unknown = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!(e instanceof RpcError)) throw new Error(`expected an RpcError, got ${String(e)}`);
  return e;
}

/** A fake package: a header whose arena fields ask for `arena` bytes. */
function fakePackage(bytes: number, arena = 1024): Uint8Array {
  const p = new Uint8Array(bytes).map((_, i) => (i * 7) & 0xff);
  new DataView(p.buffer).setUint32(56, arena, true);
  new DataView(p.buffer).setUint32(60, 0, true);
  return p;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('BoardClient requests', () => {
  it('times out naming the request and the chunk, after resending the same bytes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // Answers everything up to the second chunk, then nothing.
    const s = board(
      (req) =>
        req.type === MsgType.LOAD_CHUNK &&
        s.log.filter((f) => f.type === MsgType.LOAD_CHUNK).length > 1
          ? null
          : undefined,
      {
        timeoutMs: 500,
        retries: 2,
      },
    );
    let settled = false;
    const outcome = rejection(s.client.loadPackage(fakePackage(600))).finally(
      () => (settled = true),
    );
    await vi.advanceTimersByTimeAsync(1499);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const e = await outcome;
    expect(e.code).toBe('TIMEOUT');
    // 252-byte chunks of a 600-byte package: 3 chunks.
    expect(e.message).toBe(
      'board did not answer LOAD_PACKAGE chunk 2/3 within 500 ms (3 attempts)',
    );
    const chunk2 = s.log.filter((f) => f.type === MsgType.LOAD_CHUNK).slice(1);
    expect(chunk2).toHaveLength(3);
    expect(new Set(chunk2.map((f) => f.seq)).size).toBe(1);
    expect(chunk2[1]).toEqual(chunk2[0]);
    expect(chunk2[2]).toEqual(chunk2[0]);
    expect(s.client.stats.timeouts).toBe(3);
  });

  it('waits longer for INVOKE than for other requests', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const s = board((req) => (req.type === MsgType.INVOKE ? null : undefined), {
      timeoutMs: 100,
      invokeTimeoutMs: 5000,
      retries: 0,
    });
    let settled = false;
    const outcome = rejection(s.client.invoke()).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(4999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await outcome).message).toBe('board did not answer INVOKE within 5000 ms (1 attempt)');
  });

  it('resends at once after a NAK or a damaged answer, without waiting for the timeout', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const s = board((req, attempt) =>
      req.type === MsgType.ECHO
        ? [nak(), damaged(req), answer(req, req.payload, 0, FLAG_REPLAY)][attempt - 1]
        : undefined,
    );
    const echoed = await s.client.echo(Uint8Array.of(9, 0, 9)); // no timer advanced
    expect([...echoed]).toEqual([9, 0, 9]);
    const echoes = s.log.filter((f) => f.type === MsgType.ECHO);
    expect(echoes).toHaveLength(3);
    expect(new Set(echoes.map((f) => f.seq)).size).toBe(1);
    expect(s.client.stats).toMatchObject({ damaged: 2, timeouts: 0, replays: 1 });
  });

  it('ignores answers that do not match the request in flight', async () => {
    const s = board((req) => {
      if (req.type !== MsgType.ECHO) return undefined;
      const stale = answer({ ...req, seq: (req.seq - 1) & 0xffff }, Uint8Array.of(6));
      const other = answer({ ...req, type: MsgType.INFO }, Uint8Array.of(7));
      return Uint8Array.from([...stale, ...other, ...answer(req, Uint8Array.of(1))]);
    });
    expect([...(await s.client.echo(Uint8Array.of(1)))]).toEqual([1]);
    expect(s.client.stats.stale).toBe(2);
  });

  it('gives up with LINK when every answer comes back damaged', async () => {
    const s = board((req) => (req.type === MsgType.INFO ? damaged(req) : undefined), {
      retries: 2,
    });
    const e = await rejection(s.client.info());
    expect(e.code).toBe('LINK');
    expect(e.message).toMatch(/^INFO: the answer came back damaged on each of 3 attempts/);
    expect(s.log).toHaveLength(3);
  });

  it('keeps one request on the wire at a time', async () => {
    let outstanding = 0;
    let most = 0;
    const [clientEnd, boardEnd] = memoryPair();
    const reader = new FrameReader({
      frame: (f) => {
        most = Math.max(most, ++outstanding);
        // Answer a few microtasks later, so queued requests could overtake.
        void Promise.resolve()
          .then(() => Promise.resolve())
          .then(() => {
            outstanding--;
            return boardEnd.write(answer(f, f.payload));
          });
      },
      damaged: () => {},
    });
    boardEnd.onData((b) => reader.push(b));
    const client = new BoardClient(clientEnd);
    const replies = await Promise.all([1, 2, 3, 4].map((n) => client.echo(Uint8Array.of(n))));
    expect(replies.map((r) => r[0])).toEqual([1, 2, 3, 4]);
    expect(most).toBe(1);
  });

  it('fails the request in flight and later ones with CLOSED when the link goes away', async () => {
    const s = board((req) => (req.type === MsgType.ECHO ? null : undefined));
    const pending = rejection(s.client.echo(Uint8Array.of(1)));
    await s.boardEnd.close();
    const e = await pending;
    expect(e.code).toBe('CLOSED');
    expect(e.message).toBe('ECHO of 1 bytes: the link was closed');
    expect((await rejection(s.client.info())).code).toBe('CLOSED');
    expect(e.cause).toBeUndefined(); // a plain hang-up has no reason to carry
  });

  it("keeps the transport's close reason, typed, as the CLOSED error's cause", async () => {
    class BoardFault extends Error {
      override readonly name = 'BoardFault';
      constructor(readonly pc: number) {
        super(`faulted at pc=0x${pc.toString(16)}`);
      }
    }
    const [clientEnd] = memoryPair(); // nobody answers on the other end
    const closed = new CloseSignal();
    const link: Transport = {
      write: (b) => clientEnd.write(b),
      onData: (cb) => clientEnd.onData(cb),
      onClose: (cb) => closed.onClose(cb),
      close: async () => closed.fire(null),
    };
    const client = new BoardClient(link, { timeoutMs: 60_000 });
    const pending = rejection(client.echo(Uint8Array.of(1)));
    const fault = new BoardFault(0x1234);
    closed.fire(fault);
    const e = await pending;
    expect(e.code).toBe('CLOSED');
    expect(e.message).toBe('ECHO of 1 bytes: the link closed: faulted at pc=0x1234');
    expect(e.cause).toBe(fault);
    expect((e.cause as BoardFault).pc).toBe(0x1234);
    // Requests after the close carry the same cause.
    const later = await rejection(client.info());
    expect(later.code).toBe('CLOSED');
    expect(later.cause).toBe(fault);
  });

  it('keeps the error a failed write threw as the cause', async () => {
    const refused = new Error('port unplugged');
    const link: Transport = {
      write: () => Promise.reject(refused),
      onData: () => () => {},
      onClose: () => () => {},
      close: async () => {},
    };
    const e = await rejection(new BoardClient(link, { timeoutMs: 60_000 }).info());
    expect(e.code).toBe('CLOSED');
    expect(e.message).toBe('INFO: could not write to the link: port unplugged');
    expect(e.cause).toBe(refused);
  });

  it('turns malformed answers and unknown statuses into BAD_RESPONSE', async () => {
    const short = board((req) => answer(req, new Uint8Array(3)));
    const e = await rejection(short.client.info());
    expect(e.code).toBe('BAD_RESPONSE');
    expect(e.message).toMatch(/^INFO: payload of 3 bytes ends before byte 4$/);
    const odd = board((req) => answer(req, new Uint8Array(0), 200));
    expect((await rejection(odd.client.info())).message).toBe(
      'INFO: board answered with status 200',
    );
  });

  it('names the runtime status and the layer of a failed invoke', async () => {
    const s = board((req) => {
      if (req.type !== MsgType.INVOKE) return undefined;
      const p = new Uint8Array(24);
      const dv = new DataView(p.buffer);
      dv.setUint32(0, 9, true); // TD_ERR_BAD_PARAMS
      dv.setUint32(4, 3, true);
      dv.setUint32(8, 4, true);
      return answer(req, p, WireStatus.RUNTIME);
    });
    const e = await rejection(s.client.invoke());
    expect(e).toMatchObject({
      code: 'RUNTIME',
      runtime: { status: 'TD_ERR_BAD_PARAMS', layer: 3 },
    });
    expect(e.message).toBe('INVOKE: td_invoke failed with TD_ERR_BAD_PARAMS at layer 3');
  });

  it('reports a commit CRC mismatch with both CRCs', async () => {
    const s = board((req) =>
      req.type === MsgType.LOAD_COMMIT
        ? answer(req, Uint8Array.of(0xef, 0xbe, 0xad, 0xde), WireStatus.CRC_MISMATCH)
        : undefined,
    );
    const e = await rejection(s.client.loadPackage(fakePackage(300)));
    expect(e.code).toBe('CRC_MISMATCH');
    expect(e.message).toMatch(
      /^LOAD_PACKAGE commit: the board holds a package with CRC 0xdeadbeef, expected 0x[0-9a-f]+$/,
    );
  });

  it('refuses a package the board cannot hold before sending any of it', async () => {
    const s = board();
    const big = await rejection(s.client.loadPackage(fakePackage(70000)));
    expect(big.message).toBe('LOAD_PACKAGE: package is 70000 bytes, the board holds at most 65536');
    const hungry = await rejection(s.client.loadPackage(fakePackage(1000, 20000)));
    expect(hungry.message).toBe(
      'LOAD_PACKAGE: the model needs 20000 bytes of arena, the board has 16384',
    );
    expect(s.log.map((f) => f.type)).toEqual([MsgType.INFO]);
  });
});
