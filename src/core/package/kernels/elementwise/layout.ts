// Data-movement ops: PAD / PADV2, TRANSPOSE, CONCATENATION, STRIDED_SLICE.
// Their constant operands (paddings, permutation, begin/end/strides) are
// resolved here into plain per-dim params; the kernels only copy.
// Kernels: firmware/runtime/kernels/td_pad.h, transpose_s8.c,
// concatenation_s8.c, td_strided_slice.h.
import type { Tensor } from '../../../tflite/model.ts';
import type { KernelName } from '../../kernel-ids.ts';
import type { OpContext, ParamWord, PlanKernel } from '../../kernel-plan.ts';
import {
  QRANGE,
  ioCheck,
  optBool,
  optNum,
  optStr,
  perTensor,
  sameShape,
  shapeText,
  unsupported,
} from './common.ts';
import { resolveStridedSlice } from './strided-slice.ts';

/** A constant INT32/INT64 operand as numbers, or null. */
export function constInts(ctx: OpContext, position: number): number[] | null {
  const index = ctx.op.inputs[position];
  const t = ctx.inputs[position];
  if (index === undefined || index < 0 || !t) return null;
  const data = ctx.constData(index);
  if (!data) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: number[] = [];
  if (t.type === 'INT32') {
    for (let i = 0; i + 4 <= data.byteLength; i += 4) out.push(view.getInt32(i, true));
  } else if (t.type === 'INT64') {
    for (let i = 0; i + 8 <= data.byteLength; i += 8) out.push(Number(view.getBigInt64(i, true)));
  } else {
    return null;
  }
  return out;
}

const PAD_KERNELS: Partial<Record<string, KernelName>> = { INT8: 'PAD_S8', INT16: 'PAD_S16' };

const planPad: PlanKernel = (ctx) => {
  const io = ioCheck(ctx, 2);
  if ('reason' in io) return io;
  const input = io.inputs[0] as Tensor;
  const output = io.output;
  const kernel = PAD_KERNELS[input.type];
  if (!kernel || output.type !== input.type)
    return unsupported(ctx, `${input.type} is not supported`);
  const pads = constInts(ctx, 1);
  const r = input.shape.length;
  if (!pads || pads.length !== 2 * r)
    return unsupported(ctx, 'paddings must be a constant [rank, 2]');
  if (output.shape.length !== r) return unsupported(ctx, 'output rank differs from input');
  for (let d = 0; d < r; d++) {
    const before = pads[2 * d] as number;
    const after = pads[2 * d + 1] as number;
    if (before < 0 || after < 0) return unsupported(ctx, 'negative paddings');
    if ((input.shape[d] as number) + before + after !== output.shape[d]) {
      return unsupported(ctx, `output ${shapeText(output)} does not match the paddings`);
    }
  }
  // PAD pads with the output zero point; PADV2 with its constant_values.
  let value = perTensor(output)?.zeroPoint ?? 0;
  if (ctx.opName === 'PADV2' && ctx.inputs[2]) {
    const index = ctx.op.inputs[2] as number;
    const data = ctx.constData(index);
    const cv = ctx.inputs[2];
    if (!data || cv.type !== input.type)
      return unsupported(ctx, 'constant_values must be a constant');
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    value = input.type === 'INT8' ? view.getInt8(0) : view.getInt16(0, true);
  }
  const [lo, hi] = QRANGE[input.type] as [number, number];
  if (value < lo || value > hi) return unsupported(ctx, 'pad value outside the type');
  return { kernel, params: [value, ...pads], scratchBytes: 0, inputs: [0] };
};

const planTranspose: PlanKernel = (ctx) => {
  const io = ioCheck(ctx, 2);
  if ('reason' in io) return io;
  const input = io.inputs[0] as Tensor;
  const output = io.output;
  if (input.type !== 'INT8' || output.type !== 'INT8')
    return unsupported(ctx, `${input.type} is not supported`);
  const perm = constInts(ctx, 1);
  const r = input.shape.length;
  if (!perm || perm.length !== r) return unsupported(ctx, 'perm must be a constant of length rank');
  const resolved = perm.map((p) => (p < 0 ? p + r : p));
  if (new Set(resolved).size !== r || resolved.some((p) => p < 0 || p >= r)) {
    return unsupported(ctx, `perm [${perm.join(', ')}] is not a permutation`);
  }
  if (
    !sameShape(
      resolved.map((p) => input.shape[p] as number),
      output.shape,
    )
  ) {
    return unsupported(ctx, `output ${shapeText(output)} does not match the permutation`);
  }
  return { kernel: 'TRANSPOSE_S8', params: resolved, scratchBytes: 0, inputs: [0] };
};

const planConcatenation: PlanKernel = (ctx) => {
  const n = ctx.inputs.length;
  const io = ioCheck(ctx, n);
  if ('reason' in io) return io;
  const output = io.output;
  const r = output.shape.length;
  if (output.type !== 'INT8') return unsupported(ctx, `${output.type} is not supported`);
  if (optStr(ctx, 'fusedActivationFunction', 'NONE') !== 'NONE') {
    return unsupported(ctx, 'fused activation on CONCATENATION is not supported');
  }
  let axis = optNum(ctx, 'axis', 0);
  if (axis < 0) axis += r;
  if (axis < 0 || axis >= r) return unsupported(ctx, `axis ${axis} out of range`);
  const qo = perTensor(output);
  if (!qo) return unsupported(ctx, 'output needs per-tensor quantization');
  const inverseOut = Math.fround(1 / qo.scale);
  const params: ParamWord[] = [axis, qo.zeroPoint];
  let sum = 0;
  for (const t of io.inputs) {
    if (t.type !== 'INT8' || t.shape.length !== r)
      return unsupported(ctx, 'inputs must be int8 of the output rank');
    if (t.shape.some((d, i) => i !== axis && d !== output.shape[i])) {
      return unsupported(ctx, `input ${shapeText(t)} does not fit output ${shapeText(output)}`);
    }
    sum += t.shape[axis] as number;
    const q = perTensor(t);
    if (!q) return unsupported(ctx, 'inputs need per-tensor quantization');
    if (q.scale === qo.scale && q.zeroPoint === qo.zeroPoint) {
      params.push(0, { f32: 0 }, { f32: 0 });
    } else {
      // TFLite ConcatenationWithScaling, in float32.
      const scale = Math.fround(q.scale * inverseOut);
      const bias = Math.fround(-q.zeroPoint * scale);
      params.push(1, { f32: scale }, { f32: bias });
    }
  }
  if (sum !== output.shape[axis]) return unsupported(ctx, 'inputs do not add up to the output');
  return { kernel: 'CONCATENATION_S8', params, scratchBytes: 0 };
};

const SLICE_KERNELS: Partial<Record<string, KernelName>> = {
  INT8: 'STRIDED_SLICE_S8',
  INT16: 'STRIDED_SLICE_S16',
};

const planStridedSlice: PlanKernel = (ctx) => {
  const io = ioCheck(ctx, 4);
  if ('reason' in io) return io;
  const input = io.inputs[0] as Tensor;
  const output = io.output;
  const kernel = SLICE_KERNELS[input.type];
  if (!kernel || output.type !== input.type)
    return unsupported(ctx, `${input.type} is not supported`);
  const begin = constInts(ctx, 1);
  const end = constInts(ctx, 2);
  const strides = constInts(ctx, 3);
  if (!begin || !end || !strides)
    return unsupported(ctx, 'begin, end and strides must be constants');
  const resolved = resolveStridedSlice(input.shape, begin, end, strides, {
    beginMask: optNum(ctx, 'beginMask', 0),
    endMask: optNum(ctx, 'endMask', 0),
    ellipsisMask: optNum(ctx, 'ellipsisMask', 0),
    newAxisMask: optNum(ctx, 'newAxisMask', 0),
    shrinkAxisMask: optNum(ctx, 'shrinkAxisMask', 0),
    offset: optBool(ctx, 'offset'),
  });
  if (typeof resolved === 'string') return unsupported(ctx, resolved);
  if (!sameShape(resolved.outputShape, output.shape)) {
    return unsupported(
      ctx,
      `output ${shapeText(output)} differs from the slice's [${resolved.outputShape.join(', ')}]`,
    );
  }
  const params: number[] = [];
  resolved.dims.forEach((d) => params.push(d.start, d.stride, d.count));
  return { kernel, params, scratchBytes: 0, inputs: [0] };
};

export const layoutKernels: Record<string, PlanKernel> = {
  PAD: planPad,
  PADV2: planPad,
  TRANSPOSE: planTranspose,
  CONCATENATION: planConcatenation,
  STRIDED_SLICE: planStridedSlice,
};
