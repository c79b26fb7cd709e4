// NumPy .npy files (format versions 1, 2 and 3): a magic string, a version,
// a header length (u16 in v1, u32 in v2/v3), an ASCII (v3: UTF-8) Python
// dict literal {'descr': ..., 'fortran_order': ..., 'shape': (...)} padded
// with spaces to a 16- or 64-byte boundary, then the array in C order.
import { InputFileError } from './errors.ts';
import { converter, toSets, type InputTarget } from './target.ts';
import type { TensorData } from '../../validate/tensor-data.ts';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export type NpyKind = 'int' | 'uint' | 'float' | 'bool';

export interface NpyArray {
  /** The descr as written ('<f4', '|i1', ...). */
  descr: string;
  kind: NpyKind;
  /** Bytes per element. */
  itemBytes: number;
  littleEndian: boolean;
  shape: number[];
  /** The array's elements, in C order, as numbers (int64 values beyond 2^53 are refused). */
  values: Float64Array;
}

const bad = (message: string): never => {
  throw new InputFileError('BAD_NPY', message);
};

interface Header {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

/** Parses the header dict literal: a small, strict reader of the three keys numpy writes. */
function parseHeader(text: string): Header {
  const body = text.trim();
  if (!body.startsWith('{') || !body.endsWith('}'))
    bad(`header is not a dict: ${body.slice(0, 60)}`);
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]+)['"]/.exec(body)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(body)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(body)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    return bad(`header lacks descr, fortran_order or shape: ${body.slice(0, 80)}`);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const n = /^\d+L?$/.test(s) ? Number.parseInt(s, 10) : NaN;
      if (!Number.isSafeInteger(n)) bad(`shape dimension '${s}' is not a count`);
      return n;
    });
  return { descr, fortranOrder: fortran === 'True', shape };
}

function parseDescr(descr: string): { kind: NpyKind; itemBytes: number; littleEndian: boolean } {
  const m = /^([<>|=]?)([iufb])(\d+)$/.exec(descr) ?? /^([<>|=]?)(\?)()$/.exec(descr);
  if (!m) {
    throw new InputFileError(
      'UNSUPPORTED_NPY',
      `dtype '${descr}' is not supported: use int8/16/32/64, uint8/16/32, float32/64 or bool`,
    );
  }
  const order = m[1] ?? '';
  const letter = m[2] as string;
  const itemBytes = letter === '?' || letter === 'b' ? 1 : Number(m[3]);
  const kind: NpyKind =
    letter === 'i' ? 'int' : letter === 'u' ? 'uint' : letter === 'f' ? 'float' : 'bool';
  const ok =
    (kind === 'float' && (itemBytes === 4 || itemBytes === 8)) ||
    ((kind === 'int' || kind === 'uint') && [1, 2, 4, 8].includes(itemBytes)) ||
    (kind === 'bool' && itemBytes === 1);
  if (!ok) {
    throw new InputFileError('UNSUPPORTED_NPY', `dtype '${descr}' is not supported`);
  }
  return { kind, itemBytes, littleEndian: order !== '>' };
}

function readValue(dv: DataView, at: number, kind: NpyKind, bytes: number, le: boolean): number {
  switch (kind) {
    case 'bool':
      return dv.getUint8(at) === 0 ? 0 : 1;
    case 'float':
      return bytes === 4 ? dv.getFloat32(at, le) : dv.getFloat64(at, le);
    case 'int':
    case 'uint': {
      const signed = kind === 'int';
      if (bytes === 1) return signed ? dv.getInt8(at) : dv.getUint8(at);
      if (bytes === 2) return signed ? dv.getInt16(at, le) : dv.getUint16(at, le);
      if (bytes === 4) return signed ? dv.getInt32(at, le) : dv.getUint32(at, le);
      const big = signed ? dv.getBigInt64(at, le) : dv.getBigUint64(at, le);
      const n = Number(big);
      if (!Number.isSafeInteger(n)) {
        throw new InputFileError('INCOMPATIBLE', `64-bit value ${big} is too large for any input`);
      }
      return n;
    }
  }
}

export function parseNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    bad('not a .npy file (no \\x93NUMPY magic)');
  }
  const major = bytes[6] as number;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let at: number;
  if (major === 1) {
    headerLen = dv.getUint16(8, true);
    at = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) bad('truncated .npy header');
    headerLen = dv.getUint32(8, true);
    at = 12;
  } else {
    return bad(`.npy format version ${major}.${bytes[7]} is not 1, 2 or 3`);
  }
  if (at + headerLen > bytes.length)
    bad(`header of ${headerLen} bytes runs past the end of the file`);
  const raw = bytes.subarray(at, at + headerLen);
  let text: string;
  try {
    text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1', { fatal: true }).decode(raw);
  } catch {
    return bad('header is not valid text');
  }
  const header = parseHeader(text);
  if (header.fortranOrder) {
    throw new InputFileError(
      'UNSUPPORTED_NPY',
      'the array is in Fortran order: save it with np.save(path, np.ascontiguousarray(a))',
    );
  }
  const { kind, itemBytes, littleEndian } = parseDescr(header.descr);
  const count = header.shape.reduce((a, b) => a * b, 1);
  const start = at + headerLen;
  const need = count * itemBytes;
  if (bytes.length - start !== need) {
    throw new InputFileError(
      'SIZE_MISMATCH',
      `the header promises ${count} element(s) of ${itemBytes} byte(s) (${need} bytes); ` +
        `the file holds ${bytes.length - start}`,
    );
  }
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    values[i] = readValue(dv, start + i * itemBytes, kind, itemBytes, littleEndian);
  }
  return { descr: header.descr, kind, itemBytes, littleEndian, shape: header.shape, values };
}

/**
 * A .npy array as input sets for `target`: the array holds one tensor or a
 * stack of them (any leading dimension). Float arrays feeding a quantized
 * integer input are quantized with its scale and zero point; integer arrays
 * must fit the input's type.
 */
export function npyToSets(
  bytes: Uint8Array,
  target: InputTarget,
  what = '.npy file',
): TensorData[] {
  const npy = parseNpy(bytes);
  const convert = converter(target, npy.kind === 'float', what);
  return toSets(target, npy.values.length, what, (i) => convert(npy.values[i] as number));
}
