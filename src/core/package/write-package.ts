// Serialises package contents in the canonical layout: header, tensors,
// ops, I/O, then the 16-byte aligned constant region; CRC last.
import { crc32 } from './crc32.ts';
import {
  ALIGN,
  FLAG_ARENA,
  FLAG_CONST,
  FLAG_STATE,
  H,
  HEADER_BYTES,
  MAGIC,
  MAX_RANK,
  OP_HEAD_BYTES,
  PACKAGE_DTYPES,
  T,
  TENSOR_RECORD_BYTES,
  alignUp,
} from './format.ts';
import type { PackageContents, PackageOp, TensorKind } from './package-types.ts';

const FLAGS: Record<TensorKind, number> = {
  const: FLAG_CONST,
  arena: FLAG_ARENA,
  state: FLAG_ARENA | FLAG_STATE,
};

export const opRecordBytes = (op: PackageOp): number =>
  OP_HEAD_BYTES +
  4 * (op.inputs.length + op.outputs.length + op.params.length + 2 * op.arrays.length);

/** Writes the package. Contents are trusted (the builder checked them). */
export function writePackage(c: PackageContents): Uint8Array {
  const tensorsOffset = HEADER_BYTES;
  const opsOffset = tensorsOffset + c.tensors.length * TENSOR_RECORD_BYTES;
  const opsBytes = c.ops.reduce((s, op) => s + opRecordBytes(op), 0);
  const ioOffset = opsOffset + opsBytes;
  const constOffset = alignUp(ioOffset + 4 * (c.inputs.length + c.outputs.length), ALIGN);
  const total = constOffset + c.constData.length;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  const u32 = (at: number, v: number): void => dv.setUint32(at, v >>> 0, true);
  const i32 = (at: number, v: number): void => dv.setInt32(at, v, true);

  c.tensors.forEach((t, i) => {
    const r = tensorsOffset + i * TENSOR_RECORD_BYTES;
    dv.setUint8(r + T.dtype, PACKAGE_DTYPES[t.dtype].code);
    dv.setUint8(r + T.rank, t.shape.length);
    dv.setUint8(r + T.flags, FLAGS[t.kind]);
    for (let d = 0; d < MAX_RANK; d++) i32(r + T.dims + 4 * d, t.shape[d] ?? 0);
    u32(r + T.offset, t.offset);
    u32(r + T.bytes, t.bytes);
    i32(r + T.zeroPoint, t.zeroPoint);
    dv.setFloat32(r + T.scale, t.scale, true);
    u32(r + T.source, t.source);
  });

  let p = opsOffset;
  for (const op of c.ops) {
    dv.setUint16(p, op.kernelId, true);
    dv.setUint8(p + 2, op.inputs.length);
    dv.setUint8(p + 3, op.outputs.length);
    u32(p + 4, op.sourceOp);
    dv.setUint16(p + 8, op.params.length, true);
    dv.setUint16(p + 10, op.arrays.length, true);
    p += OP_HEAD_BYTES;
    for (const v of [...op.inputs, ...op.outputs]) {
      i32(p, v);
      p += 4;
    }
    for (const v of op.params) {
      u32(p, v);
      p += 4;
    }
    for (const a of op.arrays) {
      u32(p, a.word);
      u32(p + 4, a.bytes);
      p += 8;
    }
  }
  [...c.inputs, ...c.outputs].forEach((t, i) => u32(ioOffset + 4 * i, t));
  out.set(c.constData, constOffset);

  out.set(new TextEncoder().encode(MAGIC), H.magic);
  u32(H.version, c.version);
  u32(H.totalBytes, total);
  u32(H.numTensors, c.tensors.length);
  u32(H.numOps, c.ops.length);
  u32(H.numInputs, c.inputs.length);
  u32(H.numOutputs, c.outputs.length);
  u32(H.tensorsOffset, tensorsOffset);
  u32(H.opsOffset, opsOffset);
  u32(H.opsBytes, opsBytes);
  u32(H.ioOffset, ioOffset);
  u32(H.constOffset, constOffset);
  u32(H.constBytes, c.constData.length);
  u32(H.arenaBytes, c.arenaBytes);
  u32(H.scratchBytes, c.scratchBytes);
  u32(H.crc, crc32(out.subarray(HEADER_BYTES)));
  return out;
}

/** Recomputes the CRC in place (for tests that edit fields on purpose). */
export function resealPackage(bytes: Uint8Array): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const total = Math.min(dv.getUint32(H.totalBytes, true), bytes.length);
  dv.setUint32(H.crc, crc32(bytes.subarray(HEADER_BYTES, Math.max(HEADER_BYTES, total))), true);
}
