// Shared plumbing of the elementwise planners: option access, tensor and
// quantization checks, and the fixed-point helpers the host needs to build
// lookup tables with TFLite's exact per-value arithmetic.
import type { Tensor, TensorType } from '../../../tflite/model.ts';
import type { OpContext, Unsupported } from '../../kernel-plan.ts';

export const unsupported = (ctx: OpContext, reason: string): Unsupported => ({
  op: ctx.opName,
  reason,
});

function field(ctx: OpContext, name: string): unknown {
  return ctx.op.builtinOptions?.fields[name] ?? ctx.op.builtinOptions2?.fields[name];
}

export function optNum(ctx: OpContext, name: string, fallback: number): number {
  const v = field(ctx, name);
  return typeof v === 'number' ? v : fallback;
}

export function optStr(ctx: OpContext, name: string, fallback: string): string {
  const v = field(ctx, name);
  return typeof v === 'string' ? v : fallback;
}

/** A bool option; `fallback` when the op has no options record at all. */
export function optBool(ctx: OpContext, name: string, fallback = false): boolean {
  const v = field(ctx, name);
  if (v === undefined) return fallback;
  return v === true || (typeof v === 'number' && v !== 0);
}

export const shapeText = (t: Tensor): string => `[${t.shape.join(', ')}]`;

export const elementCount = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Every dim known and >= 0, rank within the runtime's limit. */
export function staticShape(t: Tensor): boolean {
  return t.shape.length <= 6 && t.shape.every((d) => Number.isInteger(d) && d >= 0);
}

export interface Quant {
  scale: number;
  zeroPoint: number;
}

/** Per-tensor (scale, zero point); null when absent, per-channel or not positive. */
export function perTensor(t: Tensor): Quant | null {
  const q = t.quantization;
  if (!q || q.scale.length !== 1) return null;
  const scale = q.scale[0] as number;
  if (!(scale > 0) || !Number.isFinite(scale)) return null;
  return { scale: Math.fround(scale), zeroPoint: q.zeroPoint[0] ?? 0 };
}

export const QRANGE: Partial<Record<TensorType, [number, number]>> = {
  INT8: [-128, 127],
  UINT8: [0, 255],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
};

/** Checks the op has `nIn` data inputs (at least) and one output, all static. */
export function ioCheck(
  ctx: OpContext,
  nIn: number,
): { inputs: Tensor[]; output: Tensor } | Unsupported {
  const inputs: Tensor[] = [];
  for (let i = 0; i < nIn; i++) {
    const t = ctx.inputs[i];
    if (!t) return unsupported(ctx, `input ${i} is missing`);
    inputs.push(t);
  }
  const output = ctx.outputs[0];
  if (!output || ctx.outputs.length !== 1) return unsupported(ctx, 'expects one output');
  for (const t of [...inputs, output]) {
    if (!staticShape(t))
      return unsupported(ctx, `tensor ${t.name} has a dynamic shape or rank > 6`);
  }
  return { inputs, output };
}

// ---- gemmlowp / TFLite fixed point, for host-side tables ----

const I32_MIN = -2147483648;
const I32_MAX = 2147483647;

/** Wraps to int32 like two's complement arithmetic. */
export const wrap32 = (x: bigint): number => Number(BigInt.asIntN(32, x));

/** SaturatingRoundingDoublingHighMul (int32). */
export function srdhm32(a: number, b: number): number {
  if (a === b && a === I32_MIN) return I32_MAX;
  const ab = BigInt(a) * BigInt(b);
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return Number((ab + nudge) / (1n << 31n)); // BigInt division truncates toward zero
}

/** RoundingDivideByPOT, ties away from zero; exponent in [0, 31]. */
export function rdbpot(x: number, exponent: number): number {
  if (exponent === 0) return x;
  const mask = 2 ** exponent - 1;
  const remainder = Number(BigInt.asUintN(32, BigInt(x)) & BigInt(mask));
  const threshold = Math.floor(mask / 2) + (x < 0 ? 1 : 0);
  return Math.floor(x / 2 ** exponent) + (remainder > threshold ? 1 : 0);
}

/** MultiplyByQuantizedMultiplier (double-rounding build), int32 x. */
export function mbqm(x: number, multiplier: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  return rdbpot(srdhm32(wrap32(BigInt(x) << BigInt(left)), multiplier), right);
}

/** gemmlowp SaturatingRoundingDoublingHighMul for int16. */
export function srdhm16(a: number, b: number): number {
  if (a === b && a === -32768) return 32767;
  const ab = a * b;
  const nudge = ab >= 0 ? 1 << 14 : 1 - (1 << 14);
  return Math.trunc((ab + nudge) / (1 << 15));
}

/** Wraps to int16. */
export const wrap16 = (x: number): number => (x << 16) >> 16;

/** CheckedLog2 (TFLite): log2 of a float scale if it is a power of two. */
export function checkedLog2(scale: number): number | null {
  const log2 = Math.fround(
    Math.fround(Math.log(scale)) * Math.fround(1 / Math.fround(Math.log(2))),
  );
  const rounded = Math.sign(log2) * Math.round(Math.abs(log2));
  const frac = Math.fround(log2 - rounded);
  return Math.abs(frac) < Math.fround(1e-3) ? rounded : null;
}
