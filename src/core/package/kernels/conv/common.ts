// Shared planner plumbing for the conv / fully-connected / pool kernels:
// option access, tensor and quantization checks, and the param words of the
// layouts in firmware/runtime/kernels/td_conv_params.h (same field order).
import type { Tensor, TensorType } from '../../../tflite/model.ts';
import type { OpContext, ParamWord, Unsupported } from '../../kernel-plan.ts';
import { INT16_MAX, INT16_MIN, INT8_MAX, INT8_MIN, activationRangeQuantized } from '../../quant.ts';
import type { Padding } from './geometry.ts';

/** Largest stride, dilation, pad or window the C checks accept (TD_GEOM_MAX). */
export const GEOM_MAX = 0x8000;

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

export function optBool(ctx: OpContext, name: string): boolean {
  const v = field(ctx, name);
  return v === true || (typeof v === 'number' && v !== 0);
}

export function optPadding(ctx: OpContext): Padding | null {
  const v = optStr(ctx, 'padding', 'SAME');
  return v === 'SAME' || v === 'VALID' ? v : null;
}

export const fmtShape = (t: Tensor): string => `[${t.shape.join(', ')}]`;

export const elements = (t: Tensor): number => t.shape.reduce((a, b) => a * b, 1);

/**
 * True when every dim of the shape is known (>= 1). A -1 in the shape
 * signature (a dynamic batch) is fine: the package runs the shape the model
 * was exported with, as TFLite does before any resize.
 */
export function staticShape(t: Tensor): boolean {
  return t.shape.every((d) => Number.isInteger(d) && d >= 1);
}

/** Per-tensor (scale, zero point), or null when absent or per-channel. */
export function perTensor(t: Tensor): { scale: number; zeroPoint: number } | null {
  const q = t.quantization;
  if (!q || q.scale.length !== 1) return null;
  const scale = q.scale[0] as number;
  if (!(scale > 0) || !Number.isFinite(scale)) return null;
  return { scale, zeroPoint: q.zeroPoint[0] ?? 0 };
}

/**
 * Weight scales: one (per-tensor) or `channels` along `dim`, all positive
 * and finite, with every zero point 0 when `symmetric`. A string explains
 * the rejection.
 */
export function weightScales(
  t: Tensor,
  channels: number,
  dim: number,
  symmetric: boolean,
): { scales: number[]; zeroPoint: number } | string {
  const q = t.quantization;
  if (!q || q.scale.length === 0) return 'weights are not quantized';
  if (q.scale.length !== 1 && q.scale.length !== channels) {
    return `weights have ${q.scale.length} scales for ${channels} channels`;
  }
  if (q.scale.length > 1 && q.quantizedDimension !== dim) {
    return `weights are quantized along dimension ${q.quantizedDimension}, expected ${dim}`;
  }
  if (!q.scale.every((s) => s > 0 && Number.isFinite(s)))
    return 'weights have a non-positive scale';
  const zps = q.zeroPoint.length > 0 ? q.zeroPoint : [0];
  if (q.scale.length > 1 || symmetric) {
    if (!zps.every((z) => z === 0)) return 'weights have a non-zero zero point';
  } else if (zps.length !== 1 || !zps.every((z) => z === zps[0])) {
    return 'weights have inconsistent zero points';
  }
  return { scales: [...q.scale], zeroPoint: zps[0] ?? 0 };
}

export function typeName(t: Tensor | null): TensorType | 'none' {
  return t ? t.type : 'none';
}

/** Clamp of the fused activation on an int8 / int16 output, or a reason. */
export function quantizedClamp(
  activation: string,
  out: { scale: number; zeroPoint: number },
  type: 'INT8' | 'INT16',
): [number, number] | string {
  const [lo, hi] = type === 'INT8' ? [INT8_MIN, INT8_MAX] : [INT16_MIN, INT16_MAX];
  const r = activationRangeQuantized(activation, out.scale, out.zeroPoint, lo, hi);
  if (!r) return `fused activation ${activation} is not supported`;
  if (r[0] > r[1]) return `fused activation ${activation} leaves an empty output range`;
  return r;
}

/** Geometry values the C checks accept. */
export function geometryInRange(...values: number[]): boolean {
  return values.every((v) => Number.isInteger(v) && v >= 0 && v <= GEOM_MAX);
}

/**
 * The farthest position a window loop computes, (out - 1) * stride +
 * (taps - 1) * dilation, stays below 2^30, as the C checks require.
 */
export function spanInRange(out: number, stride: number, taps: number, dilation = 1): boolean {
  return (out - 1) * stride + (taps - 1) * dilation < 2 ** 30;
}

export const i32 = (a: ArrayLike<number>): { array: Int32Array } => ({ array: Int32Array.from(a) });

/** td_conv_q_params (CONV_2D_S8/S16, DEPTHWISE_CONV_2D_S8). */
export interface ConvQParams {
  strideW: number;
  strideH: number;
  dilationW: number;
  dilationH: number;
  padW: number;
  padH: number;
  inputOffset: number;
  outputOffset: number;
  actMin: number;
  actMax: number;
  multipliers: Int32Array;
  shifts: Int32Array;
  acc64: boolean;
}

export function convQWords(p: ConvQParams): ParamWord[] {
  return [
    p.strideW,
    p.strideH,
    p.dilationW,
    p.dilationH,
    p.padW,
    p.padH,
    p.inputOffset,
    p.outputOffset,
    p.actMin,
    p.actMax,
    p.multipliers.length,
    { array: p.multipliers },
    { array: p.shifts },
    p.acc64 ? 1 : 0,
  ];
}

/** td_conv_f32_params (CONV_2D_F32, DEPTHWISE_CONV_2D_F32). */
export function convF32Words(p: {
  strideW: number;
  strideH: number;
  dilationW: number;
  dilationH: number;
  padW: number;
  padH: number;
  actMin: number;
  actMax: number;
}): ParamWord[] {
  return [
    p.strideW,
    p.strideH,
    p.dilationW,
    p.dilationH,
    p.padW,
    p.padH,
    { f32: p.actMin },
    { f32: p.actMax },
  ];
}

/** td_fc_q_params (FULLY_CONNECTED_S8/S16). */
export function fcQWords(p: {
  inputOffset: number;
  filterOffset: number;
  outputOffset: number;
  actMin: number;
  actMax: number;
  multipliers: Int32Array;
  shifts: Int32Array;
  acc64: boolean;
}): ParamWord[] {
  return [
    p.inputOffset,
    p.filterOffset,
    p.outputOffset,
    p.actMin,
    p.actMax,
    p.multipliers.length,
    { array: p.multipliers },
    { array: p.shifts },
    p.acc64 ? 1 : 0,
  ];
}

/** td_pool_q_params / td_pool_f32_params (clamps as int32 or f32 words). */
export function poolWords(
  p: {
    strideW: number;
    strideH: number;
    filterW: number;
    filterH: number;
    padW: number;
    padH: number;
    actMin: number;
    actMax: number;
  },
  float: boolean,
): ParamWord[] {
  const clamp = (v: number): ParamWord => (float ? { f32: v } : v);
  return [
    p.strideW,
    p.strideH,
    p.filterW,
    p.filterH,
    p.padW,
    p.padH,
    clamp(p.actMin),
    clamp(p.actMax),
  ];
}

/** td_tconv_q_params (TRANSPOSE_CONV_S16). */
export function tconvQWords(p: {
  strideW: number;
  strideH: number;
  padW: number;
  padH: number;
  actMin: number;
  actMax: number;
  multipliers: Int32Array;
  shifts: Int32Array;
}): ParamWord[] {
  return [
    p.strideW,
    p.strideH,
    p.padW,
    p.padH,
    p.actMin,
    p.actMax,
    p.multipliers.length,
    { array: p.multipliers },
    { array: p.shifts },
  ];
}
