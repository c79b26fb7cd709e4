// Model -> .tflite bytes (file identifier TFL3). Constant buffers are aligned
// to 16 bytes, inline by default; `external: true` writes the large-model form
// instead (buffer data and custom options after the flatbuffer, referenced by
// offset/size fields).
// The writer does not validate: tests use it to build deliberately broken
// models. Invalid option fields or enum names do throw, since they cannot be
// represented at all.
import { Builder } from 'flatbuffers';
import {
  TENSOR_TYPES,
  type Buffer,
  type BuiltinOptions,
  type Model,
  type Operator,
  type Subgraph,
  type Tensor,
} from './model.ts';
import { encodeOptions, optionsTag, writeVector } from './options.ts';

export interface WriteOptions {
  /** Store buffer data after the flatbuffer (offset/size form) instead of inline. */
  external?: boolean;
}

const BUFFER_ALIGN = 16;

export function writeModel(model: Model, options: WriteOptions = {}): Uint8Array<ArrayBuffer> {
  if (!options.external) return build(model, null).asUint8Array().slice();
  // Blobs stored after the flatbuffer, in the order build() visits them.
  const blobs: Uint8Array[] = model.buffers.map((b) => b.data).filter((d) => d.length > 0);
  for (const sg of model.subgraphs) {
    for (const op of sg.operators) {
      if (op.customOptions && op.customOptions.length > 0) blobs.push(op.customOptions);
    }
  }
  const rel: number[] = [];
  let end = 0;
  for (const blob of blobs) {
    const at = align(end, BUFFER_ALIGN);
    rel.push(at);
    end = at + blob.length;
  }
  // Two passes: the layout does not depend on the offset values (fixed-size
  // fields, all non-zero), so the first pass tells where the data can start.
  const probe = build(model, () => 2).offset();
  const base = align(probe, BUFFER_ALIGN);
  let k = 0;
  const fb = build(model, () => base + (rel[k++] as number)).asUint8Array();
  if (fb.length !== probe || k !== blobs.length) {
    throw new Error('writeModel: external layout changed between passes');
  }
  const out = new Uint8Array(base + end);
  out.set(fb, 0);
  blobs.forEach((blob, i) => out.set(blob, base + (rel[i] as number)));
  return out;
}

/** Hands out the file offset of the next external blob. */
type External = () => number;

const align = (n: number, a: number): number => Math.ceil(n / a) * a;

/** Builds the flatbuffer; with `external`, blob data lives outside it. */
function build(model: Model, external: External | null): Builder {
  let estimate = 4096;
  for (const buf of model.buffers) estimate += external ? 48 : buf.data.length + 48;
  for (const sg of model.subgraphs) estimate += sg.tensors.length * 160 + sg.operators.length * 128;
  const b = new Builder(estimate);

  const buffers = model.buffers.map((buf) => writeBuffer(b, buf, external));
  const operatorCodes = model.operatorCodes.map((oc) => {
    const custom = oc.customCode === null ? 0 : b.createString(oc.customCode);
    b.startObject(4);
    b.addFieldInt8(0, oc.deprecatedBuiltinCode, 0);
    b.addFieldOffset(1, custom, 0);
    b.addFieldInt32(2, oc.version, 1);
    b.addFieldInt32(3, oc.builtinCode, 0);
    return b.endObject();
  });
  const subgraphs = model.subgraphs.map((sg) => writeSubgraph(b, sg, external));
  const metadata = model.metadata.map((m) => {
    const name = str(b, m.name);
    b.startObject(2);
    b.addFieldOffset(0, name, 0);
    b.addFieldInt32(1, m.buffer, 0);
    return b.endObject();
  });
  const signatureDefs = model.signatureDefs.map((sig) => {
    const maps = (list: typeof sig.inputs): number =>
      offsets(
        b,
        list.map((tm) => {
          const name = str(b, tm.name);
          b.startObject(2);
          b.addFieldOffset(0, name, 0);
          b.addFieldInt32(1, tm.tensorIndex, 0);
          return b.endObject();
        }),
      );
    const inputs = maps(sig.inputs);
    const outputs = maps(sig.outputs);
    const key = str(b, sig.signatureKey);
    b.startObject(5);
    b.addFieldOffset(0, inputs, 0);
    b.addFieldOffset(1, outputs, 0);
    b.addFieldOffset(2, key, 0);
    b.addFieldInt32(4, sig.subgraphIndex, 0);
    return b.endObject();
  });

  const vCodes = offsets(b, operatorCodes);
  const vSubgraphs = offsets(b, subgraphs);
  const description = str(b, model.description);
  const vBuffers = offsets(b, buffers);
  const vMetadata = metadata.length > 0 ? offsets(b, metadata) : 0;
  const vSignatures = signatureDefs.length > 0 ? offsets(b, signatureDefs) : 0;
  b.startObject(8);
  b.addFieldInt32(0, model.version, 0);
  b.addFieldOffset(1, vCodes, 0);
  b.addFieldOffset(2, vSubgraphs, 0);
  b.addFieldOffset(3, description, 0);
  b.addFieldOffset(4, vBuffers, 0);
  b.addFieldOffset(6, vMetadata, 0);
  b.addFieldOffset(7, vSignatures, 0);
  b.finish(b.endObject(), 'TFL3');
  return b;
}

function writeBuffer(b: Builder, buf: Buffer, external: External | null): number {
  const n = buf.data.length;
  if (external) {
    b.startObject(3);
    if (n > 0) {
      b.addFieldInt64(1, BigInt(external()), 0n);
      b.addFieldInt64(2, BigInt(n), 0n);
    }
    return b.endObject();
  }
  let data = 0;
  if (n > 0) {
    b.prep(BUFFER_ALIGN, n); // the byte vector below then starts 16-aligned
    data = b.createByteVector(buf.data);
  }
  b.startObject(3);
  b.addFieldOffset(0, data, 0);
  return b.endObject();
}

function writeSubgraph(b: Builder, sg: Subgraph, external: External | null): number {
  const tensors = offsets(
    b,
    sg.tensors.map((t) => writeTensor(b, t)),
  );
  const inputs = writeVector(b, '[int]', sg.inputs);
  const outputs = writeVector(b, '[int]', sg.outputs);
  const operators = offsets(
    b,
    sg.operators.map((op) => writeOperator(b, op, external)),
  );
  const name = str(b, sg.name);
  b.startObject(5);
  b.addFieldOffset(0, tensors, 0);
  b.addFieldOffset(1, inputs, 0);
  b.addFieldOffset(2, outputs, 0);
  b.addFieldOffset(3, operators, 0);
  b.addFieldOffset(4, name, 0);
  return b.endObject();
}

function writeTensor(b: Builder, t: Tensor): number {
  const shape = writeVector(b, '[int]', t.shape);
  const name = str(b, t.name);
  let quant = 0;
  const q = t.quantization;
  if (q) {
    const nonEmpty = (kind: '[float]' | '[long]', v: number[]): number =>
      v.length > 0 ? writeVector(b, kind, v) : 0;
    const min = nonEmpty('[float]', q.min);
    const max = nonEmpty('[float]', q.max);
    const scale = nonEmpty('[float]', q.scale);
    const zeroPoint = nonEmpty('[long]', q.zeroPoint);
    b.startObject(7);
    b.addFieldOffset(0, min, 0);
    b.addFieldOffset(1, max, 0);
    b.addFieldOffset(2, scale, 0);
    b.addFieldOffset(3, zeroPoint, 0);
    b.addFieldInt32(6, q.quantizedDimension, 0);
    quant = b.endObject();
  }
  const signature = t.shapeSignature === null ? 0 : writeVector(b, '[int]', t.shapeSignature);
  const type = TENSOR_TYPES.indexOf(t.type);
  if (type < 0) throw new Error(`tensor ${JSON.stringify(t.name)} has unknown type ${t.type}`);
  b.startObject(9);
  b.addFieldOffset(0, shape, 0);
  b.addFieldInt8(1, type, 0);
  b.addFieldInt32(2, t.buffer, 0);
  b.addFieldOffset(3, name, 0);
  b.addFieldOffset(4, quant, 0);
  b.addFieldInt8(5, t.isVariable ? 1 : 0, 0);
  b.addFieldOffset(7, signature, 0);
  // The model carries no unknown-rank tensors, so every rank is known.
  b.addFieldInt8(8, 1, 0);
  return b.endObject();
}

function writeOperator(b: Builder, op: Operator, external: External | null): number {
  const inputs = writeVector(b, '[int]', op.inputs);
  const outputs = writeVector(b, '[int]', op.outputs);
  const intermediates = op.intermediates.length > 0 ? writeVector(b, '[int]', op.intermediates) : 0;
  const customBytes = op.customOptions;
  const outside = external !== null && customBytes !== null && customBytes.length > 0;
  const custom = customBytes === null || outside ? 0 : b.createByteVector(customBytes);
  const opt1 = op.builtinOptions ? encodeOptions(b, op.builtinOptions) : 0;
  const opt2 = op.builtinOptions2 ? encodeOptions(b, op.builtinOptions2) : 0;
  b.startObject(13);
  b.addFieldInt32(0, op.opcodeIndex, 0);
  b.addFieldOffset(1, inputs, 0);
  b.addFieldOffset(2, outputs, 0);
  if (op.builtinOptions) {
    b.addFieldInt8(3, tagIn(op.builtinOptions, 1), 0);
    b.addFieldOffset(4, opt1, 0);
  }
  b.addFieldOffset(5, custom, 0);
  b.addFieldOffset(8, intermediates, 0);
  if (outside) {
    b.addFieldInt64(9, BigInt(external()), 0n);
    b.addFieldInt64(10, BigInt(customBytes.length), 0n);
  }
  if (op.builtinOptions2) {
    b.addFieldInt8(11, tagIn(op.builtinOptions2, 2), 0);
    b.addFieldOffset(12, opt2, 0);
  }
  return b.endObject();
}

/** Union tag of `options`, which must belong to union `union` (or be Unknown#<tag>). */
function tagIn(options: BuiltinOptions, union: 1 | 2): number {
  const t = optionsTag(options);
  if (t.union !== 0 && t.union !== union) {
    const slot = union === 1 ? 'builtinOptions' : 'builtinOptions2';
    throw new Error(
      `${options.type} belongs to BuiltinOptions${t.union === 1 ? '' : '2'}, not ${slot}`,
    );
  }
  return t.tag;
}

function str(b: Builder, s: string): number {
  return s === '' ? 0 : b.createString(s);
}

function offsets(b: Builder, list: readonly number[]): number {
  b.startVector(4, list.length, 4);
  for (let i = list.length - 1; i >= 0; i--) b.addOffset(list[i] as number);
  return b.endVector();
}
