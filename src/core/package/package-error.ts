// Why a package could not be built or parsed. Parse codes are the runtime's
// td_status names (without TD_ERR_), so TS and C verdicts can be compared.
import type { Unsupported } from './kernel-plan.ts';

export type PackageErrorCode =
  // building
  | 'UNSUPPORTED_OPS'
  | 'NO_SUBGRAPH'
  | 'BAD_TENSOR_TYPE'
  | 'BAD_SHAPE'
  | 'NOT_PLANNED'
  | 'BAD_PLAN'
  | 'TOO_LARGE'
  // parsing (td_status)
  | 'BAD_MAGIC'
  | 'BAD_VERSION'
  | 'BAD_CRC'
  | 'TRUNCATED'
  | 'OUT_OF_BOUNDS'
  | 'BAD_TENSOR'
  | 'BAD_OP'
  | 'UNKNOWN_KERNEL'
  | 'BAD_INDEX'
  | 'ALIGNMENT';

export class PackageError extends Error {
  override readonly name = 'PackageError';
  constructor(
    readonly code: PackageErrorCode,
    message: string,
    /** For UNSUPPORTED_OPS: every op that has no kernel, with the reason. */
    readonly unsupported: readonly (Unsupported & { layer: number })[] = [],
  ) {
    super(message);
  }
}
