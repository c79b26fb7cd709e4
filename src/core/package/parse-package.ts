// Reads a model package back into plain data, checking it in the same
// order and with the same verdicts as the runtime's td_load (up to, not
// including, the arena and the kernels' own checks), so that tests can
// compare the two and tools can inspect a package safely.
import { err, ok, type Result } from '../errors.ts';
import { crc32 } from './crc32.ts';
import {
  ALIGN,
  FLAG_ARENA,
  FLAG_CONST,
  FLAG_STATE,
  H,
  HEADER_BYTES,
  MAGIC,
  MAX_DIM,
  MAX_OP_INPUTS,
  MAX_OP_OUTPUTS,
  MAX_PARAM_WORDS,
  MAX_RANK,
  OP_HEAD_BYTES,
  PACKAGE_DTYPES,
  T,
  TENSOR_RECORD_BYTES,
  FORMAT_VERSION,
  dtypeByCode,
} from './format.ts';
import { KERNEL_IDS } from './kernel-ids.ts';
import { PackageError, type PackageErrorCode } from './package-error.ts';
import type { PackageContents, PackageOp, PackageTensor, TensorKind } from './package-types.ts';

const KNOWN_IDS = new Set<number>(Object.values(KERNEL_IDS));

export interface ParseOptions {
  /** Kernel ids to accept (default: every id in kernel-ids.ts). */
  knownKernel?: (id: number) => boolean;
}

class Fail {
  constructor(
    readonly code: PackageErrorCode,
    readonly message: string,
  ) {}
}

const fits = (offset: number, size: number, limit: number): boolean =>
  offset <= limit && size <= limit - offset;

const KIND_BY_FLAGS = new Map<number, TensorKind>([
  [FLAG_CONST, 'const'],
  [FLAG_ARENA, 'arena'],
  [FLAG_ARENA | FLAG_STATE, 'state'],
]);

export function parsePackage(
  bytes: Uint8Array,
  options: ParseOptions = {},
): Result<PackageContents, PackageError> {
  try {
    return ok(parse(bytes, options.knownKernel ?? ((id) => KNOWN_IDS.has(id))));
  } catch (e) {
    if (e instanceof Fail) return err(new PackageError(e.code, e.message));
    throw e;
  }
}

function parse(bytes: Uint8Array, knownKernel: (id: number) => boolean): PackageContents {
  const fail = (code: PackageErrorCode, message: string): never => {
    throw new Fail(code, message);
  };
  if (bytes.length < HEADER_BYTES)
    fail('TRUNCATED', `${bytes.length} bytes: shorter than the header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number): number => dv.getUint32(at, true);
  const i32 = (at: number): number => dv.getInt32(at, true);

  if (new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC)
    fail('BAD_MAGIC', 'not a TinyDeploy package');
  const version = u32(H.version);
  if (version !== FORMAT_VERSION) {
    fail('BAD_VERSION', `format version ${version}, this reader knows ${FORMAT_VERSION}`);
  }
  const total = u32(H.totalBytes);
  if (total > bytes.length) fail('TRUNCATED', `header says ${total} bytes, have ${bytes.length}`);
  if (total < HEADER_BYTES) fail('OUT_OF_BOUNDS', `total size ${total} is inside the header`);
  if (crc32(bytes.subarray(HEADER_BYTES, total)) !== u32(H.crc)) fail('BAD_CRC', 'CRC mismatch');

  const numTensors = u32(H.numTensors);
  const numOps = u32(H.numOps);
  const numInputs = u32(H.numInputs);
  const numOutputs = u32(H.numOutputs);
  const tOff = u32(H.tensorsOffset);
  const oOff = u32(H.opsOffset);
  const opsBytes = u32(H.opsBytes);
  const ioOff = u32(H.ioOffset);
  const cOff = u32(H.constOffset);
  const constBytes = u32(H.constBytes);
  const arenaBytes = u32(H.arenaBytes);
  const scratchBytes = u32(H.scratchBytes);
  if (tOff % 4 || oOff % 4 || ioOff % 4 || opsBytes % 4 || cOff % ALIGN) {
    fail('ALIGNMENT', 'a section offset or size is misaligned');
  }
  if (Math.min(tOff, oOff, ioOff, cOff) < HEADER_BYTES)
    fail('OUT_OF_BOUNDS', 'a section overlaps the header');
  if (
    !fits(tOff, numTensors * TENSOR_RECORD_BYTES, total) ||
    !fits(oOff, opsBytes, total) ||
    !fits(ioOff, 4 * (numInputs + numOutputs), total) ||
    !fits(cOff, constBytes, total)
  ) {
    fail('OUT_OF_BOUNDS', 'a section extends past the package');
  }
  if (numOps * OP_HEAD_BYTES > opsBytes)
    fail('BAD_OP', `${numOps} ops cannot fit in ${opsBytes} bytes`);
  if (numOutputs === 0) fail('BAD_INDEX', 'the model has no outputs');

  const tensors: PackageTensor[] = [];
  for (let i = 0; i < numTensors; i++) {
    const r = tOff + i * TENSOR_RECORD_BYTES;
    const where = `tensor ${i}`;
    const dtype = dtypeByCode(dv.getUint8(r + T.dtype));
    const rank = dv.getUint8(r + T.rank);
    const kind = KIND_BY_FLAGS.get(dv.getUint8(r + T.flags));
    if (dtype === null || rank > MAX_RANK || dv.getUint8(r + T.reserved) !== 0) {
      fail('BAD_TENSOR', `${where}: bad dtype, rank or reserved byte`);
    }
    if (kind === undefined) fail('BAD_TENSOR', `${where}: bad flags`);
    const shape: number[] = [];
    let elements = 1;
    for (let d = 0; d < MAX_RANK; d++) {
      const dim = i32(r + T.dims + 4 * d);
      if (d >= rank) {
        if (dim !== 0) fail('BAD_TENSOR', `${where}: unused dim ${d} is ${dim}, not 0`);
        continue;
      }
      if (dim < 1 || dim > MAX_DIM) fail('BAD_TENSOR', `${where}: dim ${d} is ${dim}`);
      shape.push(dim);
      elements *= dim;
      if (elements > 0xffffffff) fail('BAD_TENSOR', `${where}: too many elements`);
    }
    const size = PACKAGE_DTYPES[dtype as keyof typeof PACKAGE_DTYPES].size;
    const tBytes = u32(r + T.bytes);
    if (elements * size !== tBytes)
      fail('BAD_TENSOR', `${where}: ${tBytes} bytes for ${elements} elements`);
    const offset = u32(r + T.offset);
    if (offset % ALIGN) fail('ALIGNMENT', `${where}: offset ${offset} is not ${ALIGN}-aligned`);
    const region = kind === 'const' ? constBytes : arenaBytes;
    if (!fits(offset, tBytes, region)) fail('OUT_OF_BOUNDS', `${where}: outside its region`);
    tensors.push({
      dtype: dtype as PackageTensor['dtype'],
      shape,
      kind: kind as TensorKind,
      offset,
      bytes: tBytes,
      zeroPoint: i32(r + T.zeroPoint),
      scale: dv.getFloat32(r + T.scale, true),
      source: u32(r + T.source),
    });
  }
  const isArena = (t: number): boolean => t >= 0 && t < numTensors && tensors[t]?.kind !== 'const';

  const ops: PackageOp[] = [];
  let pos = 0;
  for (let i = 0; i < numOps; i++) {
    const where = `layer ${i}`;
    const p = oOff + pos;
    if (opsBytes - pos < OP_HEAD_BYTES) fail('BAD_OP', `${where}: record past the op section`);
    const kernelId = dv.getUint16(p, true);
    const nIn = dv.getUint8(p + 2);
    const nOut = dv.getUint8(p + 3);
    const nParams = dv.getUint16(p + 8, true);
    const nArrays = dv.getUint16(p + 10, true);
    const recordBytes = OP_HEAD_BYTES + 4 * (nIn + nOut + nParams + 2 * nArrays);
    if (recordBytes > opsBytes - pos) fail('BAD_OP', `${where}: record past the op section`);
    if (!knownKernel(kernelId)) fail('UNKNOWN_KERNEL', `${where}: kernel id ${kernelId}`);
    if (nIn > MAX_OP_INPUTS || nOut > MAX_OP_OUTPUTS || nOut === 0 || nParams > MAX_PARAM_WORDS) {
      fail('BAD_OP', `${where}: ${nIn} inputs, ${nOut} outputs, ${nParams} params`);
    }
    let q = p + OP_HEAD_BYTES;
    const words = (n: number, read: (at: number) => number): number[] =>
      Array.from({ length: n }, () => {
        const v = read(q);
        q += 4;
        return v;
      });
    const inputs = words(nIn, i32);
    const outputs = words(nOut, i32);
    const params = words(nParams, u32);
    const arrays = Array.from({ length: nArrays }, () => {
      const a = { word: u32(q), bytes: u32(q + 4) };
      q += 8;
      return a;
    });
    if (inputs.some((t) => t < -1 || t >= numTensors))
      fail('BAD_OP', `${where}: input out of range`);
    if (!outputs.every(isArena)) fail('BAD_OP', `${where}: output is not an arena tensor`);
    for (const a of arrays) {
      if (a.word >= nParams) fail('BAD_OP', `${where}: array names param ${a.word}`);
      const offset = params[a.word] as number;
      if (offset % ALIGN) fail('ALIGNMENT', `${where}: array offset ${offset} misaligned`);
      if (!fits(offset, a.bytes, constBytes))
        fail('OUT_OF_BOUNDS', `${where}: array outside constants`);
    }
    ops.push({ kernelId, sourceOp: u32(p + 4), inputs, outputs, params, arrays });
    pos += recordBytes;
  }
  if (pos !== opsBytes) fail('BAD_OP', `${opsBytes - pos} bytes after the last op`);

  const io = Array.from({ length: numInputs + numOutputs }, (_, i) => u32(ioOff + 4 * i));
  if (!io.every(isArena)) fail('BAD_INDEX', 'an input or output is not an arena tensor');

  return {
    version,
    tensors,
    ops,
    inputs: io.slice(0, numInputs),
    outputs: io.slice(numInputs),
    constData: bytes.slice(cOff, cOff + constBytes),
    arenaBytes,
    scratchBytes,
  };
}
