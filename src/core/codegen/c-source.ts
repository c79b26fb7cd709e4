// Small pieces of C text: literals that round-trip exactly, identifiers,
// and array bodies. Everything the generated sources contain goes through
// these, so escaping and float formatting live in one place.
import type { PackageDtype } from '../package/format.ts';

/** A C string literal for any text (non-printable bytes as octal escapes). */
export function cString(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let out = '"';
  for (const b of bytes) {
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b === 0x3f)
      out += '\\?'; // no trigraphs
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}

/** Text safe inside a C block comment. */
export function commentText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\*\//g, '* /').replace(/[\u0000-\u001f\u007f]/g, ' ');
}

/** A C identifier made from arbitrary text: [A-Za-z0-9_], not starting with a digit. */
export function cIdentifier(text: string): string {
  const id = text.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (id === '') return 'model';
  return /^[0-9]/.test(id) ? `m_${id}` : id;
}

/**
 * A float literal that reads back as exactly this float32: nine significant
 * digits always suffice for binary32. Non-finite values use <math.h> macros.
 */
export function floatLiteral(value: number): string {
  const f = Math.fround(value);
  if (Number.isNaN(f)) return 'NAN';
  if (f === Infinity) return 'INFINITY';
  if (f === -Infinity) return '(-INFINITY)';
  if (f === 0) return Object.is(f, -0) ? '-0.0f' : '0.0f';
  let s = f.toPrecision(9);
  // "1.00000000e-7" is fine for C; make sure there is a '.' or exponent.
  if (!/[.e]/.test(s)) s += '.0';
  return `${s}f`;
}

/** An integer literal of a C integer type (INT_MIN style values avoid overflowing). */
export function intLiteral(
  value: number | bigint,
  bits: 8 | 16 | 32 | 64,
  signed: boolean,
): string {
  const v = BigInt(value);
  if (bits === 64) {
    if (signed && v === -(2n ** 63n)) return '(-9223372036854775807LL - 1)';
    return signed ? `${v}LL` : `${v}ULL`;
  }
  if (signed && bits === 32 && v === -(2n ** 31n)) return '(-2147483647 - 1)';
  return `${v}`;
}

/** Comma-separated items wrapped to lines of `perLine`, each line indented. */
export function wrapItems(items: readonly string[], perLine: number, indent = '  '): string {
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += perLine) {
    lines.push(indent + items.slice(i, i + perLine).join(', ') + ',');
  }
  return lines.join('\n');
}

/** The bytes as a C array body: 16 hex bytes a line. */
export function byteItems(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    let line = ' ';
    const end = Math.min(bytes.length, i + 16);
    for (let k = i; k < end; k++)
      line += ` 0x${(bytes[k] as number).toString(16).padStart(2, '0')},`;
    lines.push(line);
  }
  return lines.join('\n');
}

/** C element type and td_dtype enumerator of each package dtype. */
export const C_TYPES: Record<PackageDtype, { ctype: string; enumName: string; size: number }> = {
  FLOAT32: { ctype: 'float', enumName: 'TD_FLOAT32', size: 4 },
  INT32: { ctype: 'int32_t', enumName: 'TD_INT32', size: 4 },
  UINT8: { ctype: 'uint8_t', enumName: 'TD_UINT8', size: 1 },
  INT64: { ctype: 'int64_t', enumName: 'TD_INT64', size: 8 },
  BOOL: { ctype: 'uint8_t', enumName: 'TD_BOOL', size: 1 },
  INT16: { ctype: 'int16_t', enumName: 'TD_INT16', size: 2 },
  INT8: { ctype: 'int8_t', enumName: 'TD_INT8', size: 1 },
};

/** Little-endian tensor bytes as C literals of the dtype's element type. */
export function elementItems(dtype: PackageDtype, bytes: Uint8Array): string[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = C_TYPES[dtype].size;
  if (bytes.length % size !== 0) throw new Error(`${bytes.length} bytes is not a whole ${dtype}`);
  const n = bytes.length / size;
  const out: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const at = i * size;
    switch (dtype) {
      case 'INT8':
        out[i] = intLiteral(dv.getInt8(at), 8, true);
        break;
      case 'UINT8':
      case 'BOOL':
        out[i] = intLiteral(dv.getUint8(at), 8, false);
        break;
      case 'INT16':
        out[i] = intLiteral(dv.getInt16(at, true), 16, true);
        break;
      case 'INT32':
        out[i] = intLiteral(dv.getInt32(at, true), 32, true);
        break;
      case 'INT64':
        out[i] = intLiteral(dv.getBigInt64(at, true), 64, true);
        break;
      case 'FLOAT32':
        out[i] = floatLiteral(dv.getFloat32(at, true));
        break;
    }
  }
  return out;
}
