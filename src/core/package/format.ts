// Byte layout of the model package (docs/model-package.md): the constants
// the writer, the parser and the C runtime (td_internal.h) agree on.
import type { TensorType } from '../tflite/model.ts';

export const MAGIC = 'TDPK';
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 64;
export const TENSOR_RECORD_BYTES = 48;
export const OP_HEAD_BYTES = 12;
/** Alignment of the package, the arena, and every offset into them. */
export const ALIGN = 16;
export const MAX_RANK = 6;
export const MAX_DIM = 1 << 24;
export const MAX_OP_INPUTS = 24;
export const MAX_OP_OUTPUTS = 4;
/** td_op_ctx.params_bytes is a u16. */
export const MAX_PARAM_WORDS = Math.floor(0xffff / 4);

/** Header fields: byte offsets of the sixteen u32 words. */
export const H = {
  magic: 0,
  version: 4,
  crc: 8,
  totalBytes: 12,
  numTensors: 16,
  numOps: 20,
  numInputs: 24,
  numOutputs: 28,
  tensorsOffset: 32,
  opsOffset: 36,
  opsBytes: 40,
  ioOffset: 44,
  constOffset: 48,
  constBytes: 52,
  arenaBytes: 56,
  scratchBytes: 60,
} as const;

/** Tensor record fields: byte offsets. */
export const T = {
  dtype: 0,
  rank: 1,
  flags: 2,
  reserved: 3,
  dims: 4,
  offset: 28,
  bytes: 32,
  zeroPoint: 36,
  scale: 40,
  source: 44,
} as const;

export const FLAG_CONST = 1;
export const FLAG_ARENA = 2;
export const FLAG_STATE = 4;

/** The dtypes the runtime knows, with their TFLite TensorType codes and sizes. */
export const PACKAGE_DTYPES = {
  FLOAT32: { code: 0, size: 4 },
  INT32: { code: 2, size: 4 },
  UINT8: { code: 3, size: 1 },
  INT64: { code: 4, size: 8 },
  BOOL: { code: 6, size: 1 },
  INT16: { code: 7, size: 2 },
  INT8: { code: 9, size: 1 },
} as const satisfies Partial<Record<TensorType, { code: number; size: number }>>;

export type PackageDtype = keyof typeof PACKAGE_DTYPES;

export function isPackageDtype(t: string): t is PackageDtype {
  return Object.hasOwn(PACKAGE_DTYPES, t);
}

export function dtypeByCode(code: number): PackageDtype | null {
  for (const [name, d] of Object.entries(PACKAGE_DTYPES)) {
    if (d.code === code) return name as PackageDtype;
  }
  return null;
}

export const alignUp = (n: number, a: number = ALIGN): number => Math.ceil(n / a) * a;
