// Builtin options <-> BuiltinOptions {type, fields}. Every table of both
// unions is described in options-schema.ts and handled by one generic codec:
// fields are camelCase schema names, enums are their schema names, absent
// fields take schema defaults. An unknown union tag (a schema newer than ours)
// reads as {type: 'Unknown#<tag>', fields: {}} and is written back as an
// empty table with the same tag: its content is the one thing we cannot keep.
import type { Builder } from 'flatbuffers';
import { ModelError } from '../errors.ts';
import type { BuiltinOptions } from './model.ts';
import type { Table } from './flat.ts';
import {
  BUILTIN_OPTIONS,
  BUILTIN_OPTIONS_2,
  ENUMS,
  OP_OPTIONS,
  type EnumDef,
} from './options-schema.ts';

type Scalar =
  'bool' | 'byte' | 'ubyte' | 'short' | 'ushort' | 'int' | 'uint' | 'long' | 'ulong' | 'float';
type Vector = '[int]' | '[long]' | '[float]' | '[ubyte]' | '[bool]' | '[uint]';
export type FieldValue = number | boolean | string | number[];

export interface FieldSpec {
  /** Schema (snake_case) name. */
  schemaName: string;
  /** camelCase name used in BuiltinOptions.fields. */
  name: string;
  /** Field id (vtable slot). */
  slot: number;
  kind: Scalar | Vector | 'string' | 'enum';
  enumDef: EnumDef | null;
  /** Default value in the fields representation. */
  def: FieldValue;
  deprecated: boolean;
}

export interface TableSpec {
  type: string;
  /** 1 for BuiltinOptions, 2 for BuiltinOptions2. */
  union: 1 | 2;
  tag: number;
  fields: FieldSpec[];
}

const SCALARS = new Set([
  'bool',
  'byte',
  'ubyte',
  'short',
  'ushort',
  'int',
  'uint',
  'long',
  'ulong',
  'float',
]);
const VECTORS = new Set(['[int]', '[long]', '[float]', '[ubyte]', '[bool]', '[uint]']);

export const camelCase = (s: string): string =>
  s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

function parseField(text: string, slot: number, table: string): FieldSpec {
  const m = /^([a-z0-9_]+):([A-Za-z0-9[\]]+)(?:=([A-Za-z0-9_.-]+))?(\(deprecated\))?$/.exec(text);
  if (!m) throw new Error(`options schema: cannot parse '${text}' in ${table}`);
  const [, schemaName = '', type = '', defText, dep] = m;
  const enumDef = ENUMS[type] ?? null;
  let kind: FieldSpec['kind'];
  let def: FieldValue;
  if (enumDef) {
    kind = 'enum';
    def = defText ?? enumDef.names[0] ?? '';
    if (!enumDef.names.includes(def))
      throw new Error(`options schema: bad default ${def} in ${table}`);
  } else if (SCALARS.has(type)) {
    kind = type as Scalar;
    def = type === 'bool' ? defText === 'true' : Number(defText ?? 0);
  } else if (VECTORS.has(type)) {
    kind = type as Vector;
    def = [];
  } else if (type === 'string') {
    kind = 'string';
    def = '';
  } else {
    throw new Error(`options schema: unknown type ${type} in ${table}`);
  }
  return {
    schemaName,
    name: camelCase(schemaName),
    slot,
    kind,
    enumDef,
    def,
    deprecated: dep !== undefined,
  };
}

function parseTables(list: ReadonlyArray<readonly [string, string]>, union: 1 | 2): TableSpec[] {
  return list.map(([type, text], i) => ({
    type,
    union,
    tag: i + 1,
    fields: text === '' ? [] : text.split(/\s+/).map((f, slot) => parseField(f, slot, type)),
  }));
}

const TABLES_1 = parseTables(BUILTIN_OPTIONS, 1);
const TABLES_2 = parseTables(BUILTIN_OPTIONS_2, 2);
const BY_TYPE = new Map<string, TableSpec>([...TABLES_1, ...TABLES_2].map((t) => [t.type, t]));

/** Spec of an options table by union tag, or undefined for tags newer than our schema. */
export function tableByTag(union: 1 | 2, tag: number): TableSpec | undefined {
  return (union === 1 ? TABLES_1 : TABLES_2)[tag - 1];
}

export function tableByType(type: string): TableSpec | undefined {
  return BY_TYPE.get(type);
}

export function allOptionTables(): readonly TableSpec[] {
  return [...TABLES_1, ...TABLES_2];
}

/** Options table name an op carries ('CONV_2D' -> 'Conv2DOptions'), or null. */
export function optionsTypeForOp(op: string): string | null {
  return OP_OPTIONS[op] ?? null;
}

/** Every field at its schema default: the value of an absent table. */
export function defaultOptions(type: string): BuiltinOptions {
  const spec = BY_TYPE.get(type);
  if (!spec) throw new Error(`unknown builtin options type '${type}'`);
  const fields: BuiltinOptions['fields'] = {};
  for (const f of spec.fields) {
    if (!f.deprecated) fields[f.name] = Array.isArray(f.def) ? [] : f.def;
  }
  return { type, fields };
}

const UNKNOWN_PREFIX = 'Unknown#';

/** Union tag a BuiltinOptions value is written with. */
export function optionsTag(
  options: BuiltinOptions,
): { union: 1 | 2; tag: number } | { union: 0; tag: number } {
  const spec = BY_TYPE.get(options.type);
  if (spec) return { union: spec.union, tag: spec.tag };
  if (options.type.startsWith(UNKNOWN_PREFIX)) {
    const tag = Number(options.type.slice(UNKNOWN_PREFIX.length));
    if (Number.isInteger(tag) && tag > 0 && tag < 256) return { union: 0, tag };
  }
  throw new Error(`unknown builtin options type '${options.type}'`);
}

// ---------------------------------------------------------------- decoding

/** Decodes an options table (or all defaults when `table` is null). */
export function decodeOptions(
  union: 1 | 2,
  tag: number,
  table: Table | null,
  where: string,
): BuiltinOptions {
  const spec = tableByTag(union, tag);
  if (!spec) return { type: `${UNKNOWN_PREFIX}${tag}`, fields: {} };
  const fields: BuiltinOptions['fields'] = {};
  for (const f of spec.fields) {
    if (f.deprecated) continue;
    fields[f.name] =
      table === null ? (Array.isArray(f.def) ? [] : f.def) : decodeField(table, f, spec, where);
  }
  return { type: spec.type, fields };
}

function decodeField(t: Table, f: FieldSpec, spec: TableSpec, where: string): FieldValue {
  const n = f.schemaName;
  switch (f.kind) {
    case 'bool':
      return t.bool(f.slot, f.def as boolean, n);
    case 'byte':
      return t.i8(f.slot, f.def as number, n);
    case 'ubyte':
      return t.u8(f.slot, f.def as number, n);
    case 'short':
      return t.i16(f.slot, f.def as number, n);
    case 'ushort':
      return t.u16(f.slot, f.def as number, n);
    case 'int':
      return t.i32(f.slot, f.def as number, n);
    case 'uint':
      return t.u32(f.slot, f.def as number, n);
    case 'long':
      return t.i64(f.slot, f.def as number, n);
    case 'ulong':
      return t.u64(f.slot, f.def as number, n);
    case 'float':
      return t.f32(f.slot, f.def as number, n);
    case 'string':
      return t.str(f.slot, n) ?? '';
    case '[int]':
      return t.ints(f.slot, n, 'i32') ?? [];
    case '[uint]':
      return t.ints(f.slot, n, 'u32') ?? [];
    case '[ubyte]':
      return t.ints(f.slot, n, 'u8') ?? [];
    case '[bool]':
      return t.ints(f.slot, n, 'bool') ?? [];
    case '[long]':
      return t.longs(f.slot, n) ?? [];
    case '[float]':
      return t.floats(f.slot, n) ?? [];
    case 'enum': {
      const e = f.enumDef as EnumDef;
      const defIndex = e.names.indexOf(f.def as string);
      const v =
        e.storage === 'byte'
          ? t.i8(f.slot, defIndex, n)
          : e.storage === 'uint'
            ? t.u32(f.slot, defIndex, n)
            : t.i32(f.slot, defIndex, n);
      const name = e.names[v];
      if (name === undefined) {
        throw new ModelError(
          'MALFORMED',
          `${where}: ${spec.type}.${f.name} has unknown value ${v}`,
        );
      }
      return name;
    }
  }
}

// ---------------------------------------------------------------- encoding

/**
 * Writes an options table with `b` and returns its offset. Fields missing
 * from `options.fields` take their defaults; unknown fields or values of the
 * wrong type throw, since they would silently change the model.
 */
export function encodeOptions(b: Builder, options: BuiltinOptions): number {
  const spec = BY_TYPE.get(options.type);
  if (!spec) {
    optionsTag(options); // validates the Unknown#<tag> form
    b.startObject(0);
    return b.endObject();
  }
  for (const key of Object.keys(options.fields)) {
    if (!spec.fields.some((f) => f.name === key && !f.deprecated)) {
      throw new Error(`${spec.type} has no field '${key}'`);
    }
  }
  // Vectors and strings must be written before the table starts.
  const offsets = new Map<string, number>();
  for (const f of spec.fields) {
    const v = options.fields[f.name];
    if (v === undefined || f.deprecated) continue;
    if (f.kind === 'string') {
      if (typeof v !== 'string') throw typeErr(spec, f, v);
      if (v !== '') offsets.set(f.name, b.createString(v));
    } else if (f.kind.startsWith('[')) {
      if (!Array.isArray(v)) throw typeErr(spec, f, v);
      if (v.length > 0) offsets.set(f.name, writeVector(b, f.kind as Vector, v));
    }
  }
  b.startObject(spec.fields.length);
  for (const f of spec.fields) {
    if (f.deprecated) continue;
    const v = options.fields[f.name] ?? f.def;
    const off = offsets.get(f.name);
    if (off !== undefined) {
      b.addFieldOffset(f.slot, off, 0);
      continue;
    }
    writeScalar(b, spec, f, v);
  }
  return b.endObject();
}

function typeErr(spec: TableSpec, f: FieldSpec, v: unknown): Error {
  return new Error(`${spec.type}.${f.name}: expected ${f.kind}, got ${JSON.stringify(v)}`);
}

function num(spec: TableSpec, f: FieldSpec, v: FieldValue): number {
  if (typeof v !== 'number') throw typeErr(spec, f, v);
  return v;
}

function writeScalar(b: Builder, spec: TableSpec, f: FieldSpec, v: FieldValue): void {
  switch (f.kind) {
    case 'bool':
      if (typeof v !== 'boolean') throw typeErr(spec, f, v);
      b.addFieldInt8(f.slot, v ? 1 : 0, f.def ? 1 : 0);
      return;
    case 'byte':
    case 'ubyte':
      b.addFieldInt8(f.slot, num(spec, f, v), f.def as number);
      return;
    case 'short':
    case 'ushort':
      b.addFieldInt16(f.slot, num(spec, f, v), f.def as number);
      return;
    case 'int':
    case 'uint':
      b.addFieldInt32(f.slot, num(spec, f, v), f.def as number);
      return;
    case 'long':
    case 'ulong': {
      // Large 64-bit values travel as decimal strings (see Table.i64).
      if (typeof v !== 'number' && !(typeof v === 'string' && /^-?\d+$/.test(v)))
        throw typeErr(spec, f, v);
      const big = BigInt(v);
      const limit = f.kind === 'long' ? BigInt.asIntN(64, big) : BigInt.asUintN(64, big);
      if (limit !== big) throw new Error(`${spec.type}.${f.name}: ${v} does not fit in 64 bits`);
      b.addFieldInt64(f.slot, big, BigInt(f.def as number));
      return;
    }
    case 'float':
      b.addFieldFloat32(f.slot, num(spec, f, v), f.def as number);
      return;
    case 'enum': {
      const e = f.enumDef as EnumDef;
      const value = typeof v === 'string' ? e.names.indexOf(v) : -1;
      if (value < 0)
        throw new Error(
          `${spec.type}.${f.name}: '${String(v)}' is not one of ${e.names.join(', ')}`,
        );
      const def = e.names.indexOf(f.def as string);
      if (e.storage === 'byte') b.addFieldInt8(f.slot, value, def);
      else b.addFieldInt32(f.slot, value, def);
      return;
    }
    default:
      // Empty vectors and strings are left absent: they read back as [] / ''.
      return;
  }
}

/** Writes a vector of numbers with the element type of `kind`; returns its offset. */
export function writeVector(b: Builder, kind: Vector, v: readonly number[]): number {
  const size = kind === '[long]' ? 8 : kind === '[ubyte]' || kind === '[bool]' ? 1 : 4;
  b.startVector(size, v.length, size);
  for (let i = v.length - 1; i >= 0; i--) {
    const x = v[i] as number;
    if (kind === '[long]') b.addInt64(BigInt(x));
    else if (kind === '[float]') b.addFloat32(x);
    else if (size === 1) b.addInt8(x);
    else b.addInt32(x);
  }
  return b.endVector();
}
