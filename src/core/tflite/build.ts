// A small builder for models made without TensorFlow: single-op test models,
// example models, fuzz seeds. Values are normalised the way the file stores
// them (float32 scales, complete option records), so for any built model m,
// readModel(writeModel(m)) deep-equals m.
import type { BuiltinOptions, Model, Operator, Quantization, Tensor, TensorType } from './model.ts';
import { CUSTOM_CODE, PLACEHOLDER_FOR_GREATER_OP_CODES, opCode } from './ops.ts';
import { defaultOptions, optionsTypeForOp, tableByType } from './options.ts';

/** Option fields to set; undefined entries are ignored (the default stays). */
export type OptionFields = Record<string, BuiltinOptions['fields'][string] | undefined>;

export interface QuantSpec {
  /** One value (per-tensor) or one per channel. */
  scale: number | number[];
  zeroPoint: number | number[];
  quantizedDimension?: number;
  min?: number[];
  max?: number[];
}

export interface TensorSpec {
  name?: string;
  type: TensorType;
  shape: number[];
  shapeSignature?: number[] | null;
  quant?: QuantSpec | null;
  isVariable?: boolean;
  /** Constant contents: raw bytes, a typed array (little-endian host), or numbers encoded as `type`. */
  data?: Uint8Array | ArrayBufferView | number[];
}

export interface OperatorExtras {
  /** Operator version in its OperatorCode (default 1). */
  version?: number;
  intermediates?: number[];
  customOptions?: Uint8Array | null;
  /** Builtin options type to use instead of the op's usual one (or null for none). */
  optionsType?: string | null;
}

const BYTES_PER_ELEMENT: Partial<Record<TensorType, number>> = {
  FLOAT32: 4,
  FLOAT16: 2,
  INT32: 4,
  UINT8: 1,
  INT64: 8,
  BOOL: 1,
  INT16: 2,
  INT8: 1,
  FLOAT64: 8,
  UINT64: 8,
  UINT32: 4,
  UINT16: 2,
};

/** Encodes numbers as little-endian elements of `type`. */
export function encodeValues(type: TensorType, values: readonly number[]): Uint8Array<ArrayBuffer> {
  const size = BYTES_PER_ELEMENT[type];
  if (size === undefined) throw new Error(`cannot encode numbers as ${type}`);
  const out = new Uint8Array(values.length * size);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => {
    const p = i * size;
    switch (type) {
      case 'FLOAT32':
        dv.setFloat32(p, v, true);
        break;
      case 'FLOAT64':
        dv.setFloat64(p, v, true);
        break;
      case 'FLOAT16':
        dv.setUint16(p, toHalf(v), true);
        break;
      case 'INT64':
        dv.setBigInt64(p, BigInt(v), true);
        break;
      case 'UINT64':
        dv.setBigUint64(p, BigInt(v), true);
        break;
      case 'INT32':
        dv.setInt32(p, v, true);
        break;
      case 'UINT32':
        dv.setUint32(p, v, true);
        break;
      case 'INT16':
        dv.setInt16(p, v, true);
        break;
      case 'UINT16':
        dv.setUint16(p, v, true);
        break;
      case 'INT8':
        dv.setInt8(p, v);
        break;
      default:
        dv.setUint8(p, v); // UINT8, BOOL
    }
  });
  return out;
}

/** float -> IEEE half bits (round to nearest even), enough for test data. */
function toHalf(v: number): number {
  const f = new Float32Array([v]);
  const x = new Uint32Array(f.buffer)[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  const mant = x & 0x7fffff;
  if (exp >= 31) return sign | (((x >>> 23) & 0xff) === 0xff && mant ? 0x7e00 : 0x7c00);
  if (exp <= 0) {
    if (exp < -10) return sign;
    const m = (mant | 0x800000) >>> (1 - exp);
    return sign | ((m + 0xfff + ((m >>> 13) & 1)) >>> 13);
  }
  const h = sign | (exp << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  return rest > 0x1000 || (rest === 0x1000 && h & 1) ? h + 1 : h;
}

function toBytes(type: TensorType, data: TensorSpec['data']): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  if (Array.isArray(data)) return encodeValues(type, data);
  const view = data as ArrayBufferView;
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
}

const f32 = (xs: readonly number[]): number[] => xs.map((x) => Math.fround(x));
const list = (v: number | number[]): number[] => (Array.isArray(v) ? v : [v]);

/** Completes option fields with defaults and stores floats as float32, checking names. */
export function completeOptions(type: string, fields: OptionFields = {}): BuiltinOptions {
  const spec = tableByType(type);
  const base = defaultOptions(type);
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const f = spec?.fields.find((x) => x.name === key && !x.deprecated);
    if (!f) throw new Error(`${type} has no field '${key}'`);
    if (f.kind === 'float' && typeof value === 'number') base.fields[key] = Math.fround(value);
    else if (f.kind === '[float]' && Array.isArray(value)) base.fields[key] = f32(value);
    else base.fields[key] = Array.isArray(value) ? [...value] : value;
  }
  return base;
}

export class ModelBuilder {
  private readonly model: Model;

  constructor(description = 'TinyDeploy builder') {
    // Buffer 0 is the schema's empty sentinel.
    this.model = {
      version: 3,
      description,
      operatorCodes: [],
      subgraphs: [{ name: 'main', tensors: [], inputs: [], outputs: [], operators: [] }],
      buffers: [{ data: new Uint8Array(0) }],
      metadata: [],
      signatureDefs: [],
    };
  }

  private get graph() {
    return this.model.subgraphs[0] as Model['subgraphs'][number];
  }

  /** Adds a buffer holding `bytes`; returns its index. */
  addBuffer(bytes: Uint8Array): number {
    this.model.buffers.push({ data: bytes });
    return this.model.buffers.length - 1;
  }

  /** Adds a tensor (constant when `data` is given); returns its index. */
  addTensor(spec: TensorSpec): number {
    const index = this.graph.tensors.length;
    const q = spec.quant;
    const quantization: Quantization | null = q
      ? {
          scale: f32(list(q.scale)),
          zeroPoint: list(q.zeroPoint).map((z) => Math.trunc(z)),
          min: f32(q.min ?? []),
          max: f32(q.max ?? []),
          quantizedDimension: q.quantizedDimension ?? 0,
        }
      : null;
    const tensor: Tensor = {
      name: spec.name ?? `t${index}`,
      shape: [...spec.shape],
      shapeSignature: spec.shapeSignature ? [...spec.shapeSignature] : null,
      type: spec.type,
      buffer: spec.data === undefined ? 0 : this.addBuffer(toBytes(spec.type, spec.data)),
      isVariable: spec.isVariable ?? false,
      quantization,
    };
    this.graph.tensors.push(tensor);
    return index;
  }

  /** Adds a graph input tensor; returns its index. */
  addInput(spec: TensorSpec): number {
    const t = this.addTensor(spec);
    this.graph.inputs.push(t);
    return t;
  }

  /** Adds a graph output tensor (to be produced by an operator); returns its index. */
  addOutput(spec: TensorSpec): number {
    const t = this.addTensor(spec);
    this.graph.outputs.push(t);
    return t;
  }

  setInputs(...tensors: number[]): this {
    this.graph.inputs = [...tensors];
    return this;
  }

  setOutputs(...tensors: number[]): this {
    this.graph.outputs = [...tensors];
    return this;
  }

  /**
   * Adds an operator by schema name ('CONV_2D') or 'CUSTOM:<name>', with
   * option fields (camelCase; missing ones take schema defaults). Returns the
   * operator index.
   */
  addOperator(
    op: string,
    inputs: number[],
    outputs: number[],
    fields: OptionFields = {},
    extras: OperatorExtras = {},
  ): number {
    const opcodeIndex = this.opcode(op, extras.version ?? 1);
    const type = extras.optionsType !== undefined ? extras.optionsType : optionsTypeForOp(op);
    if (type === null && Object.values(fields).some((v) => v !== undefined)) {
      throw new Error(`${op} has no builtin options, but fields were given`);
    }
    const options = type === null ? null : completeOptions(type, fields);
    const second = options !== null && tableByType(options.type)?.union === 2;
    const operator: Operator = {
      opcodeIndex,
      inputs: [...inputs],
      outputs: [...outputs],
      intermediates: [...(extras.intermediates ?? [])],
      builtinOptions: second ? null : options,
      builtinOptions2: second ? options : null,
      customOptions: extras.customOptions ?? null,
    };
    this.graph.operators.push(operator);
    return this.graph.operators.length - 1;
  }

  private opcode(op: string, version: number): number {
    let builtinCode: number;
    let customCode: string | null = null;
    if (op.startsWith('CUSTOM:')) {
      builtinCode = CUSTOM_CODE;
      customCode = op.slice('CUSTOM:'.length);
    } else {
      const code = opCode(op);
      if (code === undefined) throw new Error(`unknown builtin operator '${op}'`);
      builtinCode = code;
    }
    const codes = this.model.operatorCodes;
    const found = codes.findIndex(
      (c) => c.builtinCode === builtinCode && c.customCode === customCode && c.version === version,
    );
    if (found >= 0) return found;
    codes.push({
      builtinCode,
      deprecatedBuiltinCode: Math.min(builtinCode, PLACEHOLDER_FOR_GREATER_OP_CODES),
      customCode,
      version,
    });
    return codes.length - 1;
  }

  /** The model built so far (a fresh deep copy, so the builder can go on). */
  build(): Model {
    return structuredClone(this.model);
  }
}
