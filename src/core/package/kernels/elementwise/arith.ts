// ADD, SUB, MUL, MAXIMUM, MINIMUM: binary elementwise ops with numpy
// broadcasting. The set-up mirrors TFLite's Prepare functions (add.cc,
// sub.cc, mul.cc), including their float32/double precision, so that the
// multipliers and shifts are the ones TFLite computes.
// Kernels: firmware/runtime/kernels/{add,sub}_{s8,s16}.c (td_addsub_q.h),
// mul_s8.c, maximum_s8.c, minimum_s8.c, {add,mul}_f32.c.
import type { Tensor } from '../../../tflite/model.ts';
import type { KernelPlan, OpContext, PlanKernel, Unsupported } from '../../kernel-plan.ts';
import { activationRangeFloat, activationRangeQuantized, quantizeMultiplier } from '../../quant.ts';
import {
  QRANGE,
  checkedLog2,
  ioCheck,
  optBool,
  optStr,
  perTensor,
  sameShape,
  shapeText,
  unsupported,
} from './common.ts';

/** TFLite's broadcast shape of two shapes, or null if incompatible. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const da = a[i - (r - a.length)] ?? 1;
    const db = b[i - (r - b.length)] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(da === db ? da : da === 1 ? db : da);
  }
  return out;
}

function binaryTensors(ctx: OpContext): { a: Tensor; b: Tensor; out: Tensor } | Unsupported {
  const io = ioCheck(ctx, 2);
  if ('reason' in io) return io;
  const [a, b] = io.inputs as [Tensor, Tensor];
  const out = io.output;
  if (a.type !== b.type || a.type !== out.type) {
    return unsupported(ctx, `mixed types ${a.type}, ${b.type} -> ${out.type}`);
  }
  const shape = broadcastShape(a.shape, b.shape);
  if (!shape || !sameShape(shape, out.shape)) {
    return unsupported(
      ctx,
      `output ${shapeText(out)} is not the broadcast of ${shapeText(a)} and ${shapeText(b)}`,
    );
  }
  return { a, b, out };
}

/** QuantizeMultiplierSmallerThanOneExp: QuantizeMultiplier that must not shift left. */
function multiplierBelowOne(real: number): { multiplier: number; shift: number } | null {
  const q = quantizeMultiplier(real);
  return q.shift <= 0 ? q : null;
}

function planAddSub(ctx: OpContext, sign: 1 | -1): KernelPlan | Unsupported {
  const t = binaryTensors(ctx);
  if ('reason' in t) return t;
  const { a, b, out } = t;
  const activation = optStr(ctx, 'fusedActivationFunction', 'NONE');
  if (a.type === 'FLOAT32') {
    if (sign < 0) return unsupported(ctx, 'float32 SUB has no kernel');
    const range = activationRangeFloat(activation);
    if (!range) return unsupported(ctx, `fused activation ${activation} is not supported`);
    return { kernel: 'ADD_F32', params: [{ f32: range[0] }, { f32: range[1] }], scratchBytes: 0 };
  }
  if (a.type !== 'INT8' && a.type !== 'INT16')
    return unsupported(ctx, `${a.type} is not supported`);
  const qa = perTensor(a);
  const qb = perTensor(b);
  const qo = perTensor(out);
  if (!qa || !qb || !qo) return unsupported(ctx, 'inputs and output need per-tensor quantization');
  const [qmin, qmax] = QRANGE[a.type] as [number, number];
  for (const q of [qa, qb, qo]) {
    if (q.zeroPoint < qmin || q.zeroPoint > qmax) {
      return unsupported(ctx, `zero point ${q.zeroPoint} is outside the ${a.type} range`);
    }
  }
  const range = activationRangeQuantized(activation, qo.scale, qo.zeroPoint, qmin, qmax);
  if (!range) return unsupported(ctx, `fused activation ${activation} is not supported`);
  const s16 = a.type === 'INT16';
  const kernel = sign > 0 ? (s16 ? 'ADD_S16' : 'ADD_S8') : s16 ? 'SUB_S16' : 'SUB_S8';

  if (s16) {
    if (qa.zeroPoint !== 0 || qb.zeroPoint !== 0 || qo.zeroPoint !== 0) {
      return unsupported(ctx, 'int16 inputs and output need zero point 0');
    }
    // pot_scale_int16 (default true): power-of-two scales take TFLite's
    // shift-only path; anything else the general rescaling path.
    if (optBool(ctx, 'potScaleInt16', true)) {
      const l1 = checkedLog2(qa.scale);
      const l2 = checkedLog2(qb.scale);
      const lo = checkedLog2(qo.scale);
      if (l1 !== null && l2 !== null && lo !== null) {
        const s1 = l1 - lo;
        const s2 = l2 - lo;
        if (!(s1 === 0 || s2 === 0) || s1 > 0 || s2 > 0 || s1 < -31 || s2 < -31) {
          return unsupported(ctx, 'power-of-two int16 path needs one input on the output scale');
        }
        if (sign > 0 && !sameShape(a.shape, b.shape)) {
          return unsupported(ctx, 'power-of-two int16 ADD does not broadcast in TFLite');
        }
        return {
          kernel,
          params: [1, 0, 0, 0, 0, 0, s1, 0, s2, 0, 0, range[0], range[1]],
          scratchBytes: 0,
        };
      }
    }
  }

  // General path: TFLite's Prepare, float scales widened to double.
  const leftShift = s16 ? 15 : 20;
  const twiceMax = 2 * Math.max(qa.scale, qb.scale);
  const m1 = multiplierBelowOne(qa.scale / twiceMax);
  const m2 = multiplierBelowOne(qb.scale / twiceMax);
  const mo = multiplierBelowOne(twiceMax / Math.fround(2 ** leftShift * qo.scale));
  if (!m1 || !m2 || !mo) return unsupported(ctx, 'output scale too small for TFLite add/sub');
  return {
    kernel,
    params: [
      0,
      -qa.zeroPoint,
      -qb.zeroPoint,
      qo.zeroPoint,
      leftShift,
      m1.multiplier,
      m1.shift,
      m2.multiplier,
      m2.shift,
      mo.multiplier,
      mo.shift,
      range[0],
      range[1],
    ],
    scratchBytes: 0,
  };
}

const planMul: PlanKernel = (ctx) => {
  const t = binaryTensors(ctx);
  if ('reason' in t) return t;
  const { a, b, out } = t;
  const activation = optStr(ctx, 'fusedActivationFunction', 'NONE');
  if (a.type === 'FLOAT32') {
    const range = activationRangeFloat(activation);
    if (!range) return unsupported(ctx, `fused activation ${activation} is not supported`);
    return { kernel: 'MUL_F32', params: [{ f32: range[0] }, { f32: range[1] }], scratchBytes: 0 };
  }
  if (a.type !== 'INT8') return unsupported(ctx, `${a.type} is not supported`);
  const qa = perTensor(a);
  const qb = perTensor(b);
  const qo = perTensor(out);
  if (!qa || !qb || !qo) return unsupported(ctx, 'inputs and output need per-tensor quantization');
  const range = activationRangeQuantized(activation, qo.scale, qo.zeroPoint, -128, 127);
  if (!range) return unsupported(ctx, `fused activation ${activation} is not supported`);
  // TFLite: input1_scale * input2_scale / output_scale in float32.
  const real = Math.fround(Math.fround(qa.scale * qb.scale) / qo.scale);
  const m = quantizeMultiplier(real);
  if (m.shift > 30) return unsupported(ctx, 'multiplier out of range');
  return {
    kernel: 'MUL_S8',
    params: [-qa.zeroPoint, -qb.zeroPoint, qo.zeroPoint, m.multiplier, m.shift, range[0], range[1]],
    scratchBytes: 0,
  };
};

function planMinMax(kernel: 'MAXIMUM_S8' | 'MINIMUM_S8'): PlanKernel {
  return (ctx) => {
    const t = binaryTensors(ctx);
    if ('reason' in t) return t;
    if (t.a.type !== 'INT8') return unsupported(ctx, `${t.a.type} is not supported`);
    return { kernel, params: [], scratchBytes: 0 };
  };
}

export const arithKernels: Record<string, PlanKernel> = {
  ADD: (ctx) => planAddSub(ctx, 1),
  SUB: (ctx) => planAddSub(ctx, -1),
  MUL: planMul,
  MAXIMUM: planMinMax('MAXIMUM_S8'),
  MINIMUM: planMinMax('MINIMUM_S8'),
};
