// Why a board request failed. `code` is stable (for programs and tests);
// the message names the request so a user can tell what was going on
// ("board did not answer LOAD_PACKAGE chunk 12/40 within 2000 ms").
import type { WireStatusName } from './wire.ts';

export type RpcErrorCode =
  /** The board's answer to a request (docs/rpc.md, status codes). */
  | Exclude<WireStatusName, 'OK' | 'BAD_FRAME'>
  /** No answer within the timeout, after every retry. */
  | 'TIMEOUT'
  /** Every attempt came back damaged (CRC/framing errors, NAKs). */
  | 'LINK'
  /** The transport closed (or was closed) with the request outstanding. */
  | 'CLOSED'
  /** The board answered with a payload this client cannot parse. */
  | 'BAD_RESPONSE'
  /** The caller's arguments were rejected before anything was sent. */
  | 'ARGUMENT';

/**
 * `cause` (the standard Error option) is what ended the link when there is
 * one: for CLOSED, the transport's close reason or the error its write threw
 * (on the virtual board, the typed VirtualBoardFault), so a caller can tell a
 * fault from a hang-up without parsing the message.
 */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  constructor(
    readonly code: RpcErrorCode,
    message: string,
    /** For RUNTIME: the td_status name and the layer it failed at, if any. */
    readonly runtime: { status: string; layer: number | null } | null = null,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
