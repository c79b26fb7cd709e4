// .tflite bytes -> Model. Every offset is bounds-checked (flat.ts), every
// reference and the execution order are validated (validate.ts), and failures
// come back as a typed ModelError: this function never throws.
// Constant data stays a view into `bytes` (no copy), so reading is cheap even
// for multi-megabyte models; keep `bytes` alive and unmodified while in use.
import { ModelError, err, ok, type Result } from '../errors.ts';
import { FlatReader, type Table } from './flat.ts';
import {
  TENSOR_TYPES,
  type Buffer,
  type Metadata,
  type Model,
  type Operator,
  type OperatorCode,
  type Quantization,
  type SignatureDef,
  type Subgraph,
  type Tensor,
  type TensorMap,
} from './model.ts';
import { decodeOptions } from './options.ts';
import { validateModel } from './validate.ts';

export const FILE_IDENTIFIER = 'TFL3';
const MAX_ELEMENTS = 2 ** 31 - 1;

export function readModel(input: Uint8Array): Result<Model, ModelError> {
  if (!ArrayBuffer.isView(input)) {
    return err(new ModelError('MALFORMED', 'expected the model as a Uint8Array'));
  }
  // A fresh byte view also accepts Uint8Arrays from another realm (worker, vm).
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.byteLength === 0) return err(new ModelError('EMPTY_FILE', 'the file is empty'));
  if (bytes.byteLength < 8) {
    return err(
      new ModelError(
        'TRUNCATED',
        `the file has ${bytes.byteLength} bytes, fewer than the 8-byte FlatBuffer header`,
      ),
    );
  }
  const id = String.fromCharCode(...bytes.subarray(4, 8));
  if (id !== FILE_IDENTIFIER) {
    return err(
      new ModelError(
        'BAD_IDENTIFIER',
        `not a TFLite model: expected file identifier ${FILE_IDENTIFIER}, found ${JSON.stringify(id)}`,
      ),
    );
  }
  try {
    const model = decodeModel(new FlatReader(bytes));
    const problem = validateModel(model);
    return problem ? err(problem) : ok(model);
  } catch (e) {
    if (e instanceof ModelError) return err(e);
    // A bug of ours, not of the file: still a value, but marked so tests find it.
    const message = e instanceof Error ? e.message : String(e);
    return err(new ModelError('MALFORMED', `internal reader error: ${message}`));
  }
}

function decodeModel(r: FlatReader): Model {
  const m = r.root();
  const version = m.u32(0, 0, 'version');
  const operatorCodes = m
    .tables(1, 'operator_codes', (i) => `operator code ${i}`)
    .map((t, i) => decodeOperatorCode(t, i));
  const description = m.str(3, 'description') ?? '';
  const buffers = m.tables(4, 'buffers', (i) => `buffer ${i}`).map((t, i) => decodeBuffer(r, t, i));
  const subgraphTables = m.tables(2, 'subgraphs', (i) => `subgraph ${i}`);
  if (subgraphTables.length === 0) {
    throw new ModelError('NO_SUBGRAPH', 'the model has no subgraphs');
  }
  const subgraphs = subgraphTables.map((t, i) => decodeSubgraph(r, t, i));
  const metadata = m.tables(6, 'metadata', (i) => `metadata ${i}`).map(decodeMetadata);
  const signatureDefs = m
    .tables(7, 'signature_defs', (i) => `signature def ${i}`)
    .map(decodeSignatureDef);
  return { version, description, operatorCodes, subgraphs, buffers, metadata, signatureDefs };
}

function decodeOperatorCode(t: Table, i: number): OperatorCode {
  const deprecatedBuiltinCode = t.i8(0, 0, 'deprecated_builtin_code');
  const builtinCode = Math.max(deprecatedBuiltinCode, t.i32(3, 0, 'builtin_code'));
  if (builtinCode < 0) {
    throw new ModelError(
      'MALFORMED',
      `operator code ${i} has negative builtin code ${builtinCode}`,
    );
  }
  return {
    builtinCode,
    deprecatedBuiltinCode,
    customCode: t.str(1, 'custom_code'),
    version: t.i32(2, 1, 'version'),
  };
}

function decodeBuffer(r: FlatReader, t: Table, i: number): Buffer {
  // Large models keep data outside the flatbuffer: offset (from file start) and size.
  const offset = t.u64Size(1, 0, 'offset');
  if (offset > 1) {
    const size = t.u64Size(2, 0, 'size');
    r.need(offset, size, `buffer ${i} data (offset/size form)`);
    return { data: r.bytes.subarray(offset, offset + size) };
  }
  return { data: t.bytesView(0, 'data') ?? r.bytes.subarray(0, 0) };
}

function decodeSubgraph(r: FlatReader, t: Table, s: number): Subgraph {
  const tensors = t
    .tables(0, 'tensors', (i) => `subgraph ${s} tensor ${i}`)
    .map((tt, i) => decodeTensor(tt, `subgraph ${s} tensor ${i}`));
  const operators = t
    .tables(3, 'operators', (i) => `subgraph ${s} operator ${i}`)
    .map((ot, i) => decodeOperator(r, ot, `subgraph ${s} operator ${i}`));
  return {
    name: t.str(4, 'name') ?? '',
    tensors,
    inputs: t.ints(1, 'inputs') ?? [],
    outputs: t.ints(2, 'outputs') ?? [],
    operators,
  };
}

function decodeTensor(t: Table, where: string): Tensor {
  const shape = t.ints(0, 'shape') ?? [];
  let elements = 1;
  for (let d = 0; d < shape.length; d++) {
    const dim = shape[d] as number;
    if (dim < 0) {
      throw new ModelError(
        'BAD_SHAPE',
        `${where}: dimension ${d} of shape [${shape.join(', ')}] is negative`,
      );
    }
    elements *= dim;
  }
  if (elements > MAX_ELEMENTS) {
    throw new ModelError(
      'BAD_SHAPE',
      `${where}: shape [${shape.join(', ')}] has ${elements} elements, more than 2^31 - 1`,
    );
  }
  const shapeSignature = t.ints(7, 'shape_signature');
  if (shapeSignature?.some((d) => d < -1)) {
    throw new ModelError(
      'BAD_SHAPE',
      `${where}: shape signature [${shapeSignature.join(', ')}] has a dimension below -1`,
    );
  }
  const typeCode = t.i8(1, 0, 'type');
  const type = TENSOR_TYPES[typeCode];
  if (type === undefined) {
    throw new ModelError('MALFORMED', `${where} has unknown tensor type ${typeCode}`);
  }
  const q = t.table(4, 'quantization');
  return {
    name: t.str(3, 'name') ?? '',
    shape,
    shapeSignature,
    type,
    buffer: t.u32(2, 0, 'buffer'),
    isVariable: t.bool(5, false, 'is_variable'),
    quantization: q === null ? null : decodeQuantization(q, where),
  };
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function decodeQuantization(q: Table, where: string): Quantization {
  const zeroPoint = q.longs(3, 'zero_point') ?? [];
  // Stored as int64 but used as int32 by every runtime: anything wider is corruption.
  const bad = zeroPoint.findIndex((z) => z < INT32_MIN || z > INT32_MAX);
  if (bad >= 0) {
    throw new ModelError(
      'MALFORMED',
      `${where}: zero point ${bad} (${zeroPoint[bad]}) does not fit in 32 bits`,
    );
  }
  return {
    min: q.floats(0, 'min') ?? [],
    max: q.floats(1, 'max') ?? [],
    scale: q.floats(2, 'scale') ?? [],
    zeroPoint,
    quantizedDimension: q.i32(6, 0, 'quantized_dimension'),
  };
}

function decodeOperator(r: FlatReader, t: Table, where: string): Operator {
  const tag1 = t.u8(3, 0, 'builtin_options_type');
  const tag2 = t.u8(11, 0, 'builtin_options_2_type');
  let customOptions = t.bytesView(5, 'custom_options');
  const largeOffset = t.u64Size(9, 0, 'large_custom_options_offset');
  if (largeOffset > 1) {
    const size = t.u64Size(10, 0, 'large_custom_options_size');
    r.need(largeOffset, size, `${where} custom options (offset/size form)`);
    customOptions = r.bytes.subarray(largeOffset, largeOffset + size);
  }
  return {
    opcodeIndex: t.u32(0, 0, 'opcode_index'),
    inputs: t.ints(1, 'inputs') ?? [],
    outputs: t.ints(2, 'outputs') ?? [],
    intermediates: t.ints(8, 'intermediates') ?? [],
    builtinOptions:
      tag1 === 0 ? null : decodeOptions(1, tag1, t.table(4, 'builtin_options'), where),
    builtinOptions2:
      tag2 === 0 ? null : decodeOptions(2, tag2, t.table(12, 'builtin_options_2'), where),
    customOptions,
  };
}

function decodeMetadata(t: Table): Metadata {
  return { name: t.str(0, 'name') ?? '', buffer: t.u32(1, 0, 'buffer') };
}

function decodeTensorMap(t: Table): TensorMap {
  return { name: t.str(0, 'name') ?? '', tensorIndex: t.u32(1, 0, 'tensor_index') };
}

function decodeSignatureDef(t: Table, i: number): SignatureDef {
  return {
    inputs: t.tables(0, 'inputs', (j) => `signature def ${i} input ${j}`).map(decodeTensorMap),
    outputs: t.tables(1, 'outputs', (j) => `signature def ${i} output ${j}`).map(decodeTensorMap),
    signatureKey: t.str(2, 'signature_key') ?? '',
    subgraphIndex: t.u32(4, 0, 'subgraph_index'),
  };
}
