// Errors as values. Every failure the core can report has a stable code (for
// programs: CLI exit codes, tests, the UI) and a message a user can act on.

export type ModelErrorCode =
  | 'EMPTY_FILE'
  | 'TRUNCATED'
  | 'BAD_IDENTIFIER'
  | 'OUT_OF_BOUNDS'
  | 'MALFORMED'
  | 'BAD_REFERENCE'
  | 'CYCLE'
  | 'BAD_SHAPE'
  | 'TOO_LARGE'
  | 'NO_SUBGRAPH';

export class ModelError extends Error {
  override readonly name = 'ModelError';
  constructor(
    readonly code: ModelErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type Result<T, E = ModelError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
