// How a stage stops the flow: it throws a FlowStop carrying the typed failure;
// runFlow catches it and returns the failure with everything produced so far.
// Errors from below (RPC, the reference, bugs) are classified here.
import { RpcError } from '../rpc/errors.ts';
import type { FlowErrorCode, FlowFailure, FlowStage } from './types.ts';

export class FlowStop extends Error {
  override readonly name = 'FlowStop';
  constructor(readonly failure: FlowFailure) {
    super(failure.message);
  }
}

export function stop(
  stage: FlowStage,
  code: FlowErrorCode,
  message: string,
  extra: Partial<FlowFailure> = {},
): never {
  throw new FlowStop({ ...extra, stage, code, message });
}

/** Throws CANCELLED when the signal has fired. Call between steps. */
export function checkAbort(signal: AbortSignal | undefined, stage: FlowStage, step: string): void {
  if (signal?.aborted) stop(stage, 'CANCELLED', `cancelled during ${stage} (${step})`);
}

/** A board that could not be reached at all (not booted, no such port, no binary). */
export class BoardOpenError extends Error {
  override readonly name = 'BoardOpenError';
}

/** Any error thrown inside a stage, as a failure of that stage. */
export function classify(e: unknown, stage: FlowStage): FlowFailure {
  if (e instanceof FlowStop) return e.failure;
  if (e instanceof RpcError) {
    return { stage, code: 'BOARD', message: `${stage}: ${e.message}${rpcHint(e)}`, cause: e };
  }
  if (e instanceof BoardOpenError) {
    return { stage, code: 'BOARD', message: `${stage}: ${e.message}`, cause: e };
  }
  // The virtual board closes its transport with a named fault; other transports
  // end with an Error whose name says what it is. Keep their message.
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { stage, code: 'INTERNAL', message: `${stage}: ${message}`, cause: e };
}

function rpcHint(e: RpcError): string {
  switch (e.code) {
    case 'TIMEOUT':
      return ' (is the board running the TinyDeploy firmware and connected?)';
    case 'CLOSED':
      return ' (the link to the board closed: did it reset or crash?)';
    case 'LINK':
      return ' (every answer was damaged: check the cable or baud rate)';
    default:
      return '';
  }
}
