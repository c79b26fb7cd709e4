// RELU, RELU6, LEAKY_RELU, HARD_SWISH, LOGISTIC, TANH. For int8 every one of
// them is a function of a single int8 value, so the host evaluates TFLite's
// exact per-value arithmetic (its Prepare maths included, in float32 where
// TFLite uses float32) for all 256 inputs and ships the table
// (firmware/runtime/kernels/td_lut_s8.h). LEAKY_RELU int16 ships its
// multipliers; float32 kernels need no set-up.
import type { Tensor } from '../../../tflite/model.ts';
import type { KernelName } from '../../kernel-ids.ts';
import type { KernelPlan, OpContext, PlanKernel, Unsupported } from '../../kernel-plan.ts';
import { quantizeMultiplier, roundHalfAway } from '../../quant.ts';
import {
  type Quant,
  ioCheck,
  mbqm,
  optNum,
  perTensor,
  rdbpot,
  sameShape,
  srdhm16,
  unsupported,
  wrap16,
} from './common.ts';

const f32 = Math.fround;
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** One int8 value -> one int8 value, as TFLite computes it. */
type Int8Fn = (q: number) => number;

function table(fn: Int8Fn): Int8Array {
  const t = new Int8Array(256);
  for (let q = -128; q <= 127; q++) t[q & 0xff] = fn(q);
  return t;
}

/** TFLite QuantizedReluX for int8 (RELU: actMax = Infinity, RELU6: 6). */
export function reluFn(qi: Quant, qo: Quant, actMax: number): Int8Fn {
  const m = quantizeMultiplier(f32(qi.scale / qo.scale));
  const lo = Math.max(-128, qo.zeroPoint + roundHalfAway(f32(0 / qo.scale)));
  const hi =
    actMax === Infinity ? 127 : Math.min(127, qo.zeroPoint + roundHalfAway(f32(actMax / qo.scale)));
  return (q) => clamp(qo.zeroPoint + mbqm(q - qi.zeroPoint, m.multiplier, m.shift), lo, hi);
}

/** TFLite LeakyRelu multipliers: identity and alpha, computed in float32. */
export function leakyMultipliers(qi: Quant, qo: Quant, alpha: number) {
  return {
    identity: quantizeMultiplier(f32(qi.scale / qo.scale)),
    alpha: quantizeMultiplier(f32(f32(qi.scale * f32(alpha)) / qo.scale)),
  };
}

export function leakyReluFn(qi: Quant, qo: Quant, alpha: number): Int8Fn {
  const { identity, alpha: a } = leakyMultipliers(qi, qo, alpha);
  return (q) => {
    const x = q - qi.zeroPoint;
    const m = x >= 0 ? identity : a;
    return clamp(qo.zeroPoint + mbqm(x, m.multiplier, m.shift), -128, 127);
  };
}

/** TFLite DownScaleInt32ToInt16Multiplier. */
function toQ15(m32: number): number {
  if (m32 >= 2147483647 - (1 << 15)) return 32767;
  return (m32 + (1 << 15)) >> 16;
}

/** TFLite HardSwishPrepare + reference_ops::HardSwish (int8); null if TFLite rejects. */
export function hardSwishFn(qi: Quant, qo: Quant): Int8Fn | null {
  const hiresInputScale = f32(f32(1 / 128) * qi.scale);
  const reluishScale = f32(3 / 32768);
  const outM = quantizeMultiplier(f32(hiresInputScale / qo.scale));
  const outExp = outM.shift;
  if (outExp > 0) return null;
  const outQ15 = toQ15(outM.multiplier);
  const relM = quantizeMultiplier(f32(hiresInputScale / reluishScale));
  const relExp = relM.shift;
  const relQ15 = toQ15(relM.multiplier);
  const satShift = (v: number, amount: number): number => clamp(v * 2 ** amount, -32768, 32767);
  return (q) => {
    const input = wrap16(q - qi.zeroPoint);
    const hires = wrap16(input * 128);
    const preshift = srdhm16(hires, outQ15);
    let reluish = hires;
    if (relExp > 0) reluish = satShift(reluish, relExp - 1);
    reluish = srdhm16(reluish, relQ15);
    if (relExp > 0) reluish = satShift(reluish, 1);
    if (relExp < 0) reluish = rdbpot(reluish, -relExp);
    reluish = wrap16((reluish + (1 << 15)) >> 1);
    // SaturatingDoublingHighMul: truncating, saturating only at (-32768)^2.
    const pre =
      reluish === -32768 && preshift === -32768
        ? 32767
        : wrap16(Math.trunc((reluish * preshift) / (1 << 15)));
    let out = wrap16(rdbpot(pre, -outExp));
    out = wrap16(out + qo.zeroPoint);
    return clamp(out, -128, 127);
  };
}

/** TFLite PopulateLookupTable<int8_t>: the transform evaluated in float32. */
export function floatTableFn(qi: Quant, qo: Quant, transform: (x: number) => number): Int8Fn {
  const inverseScale = f32(1 / qo.scale);
  return (q) => {
    const dequantized = f32(qi.scale * (q - qi.zeroPoint));
    const transformed = f32(transform(dequantized));
    const rescaled = roundHalfAway(f32(transformed * inverseScale));
    const quantized = Math.trunc(f32(rescaled + qo.zeroPoint));
    return clamp(quantized, -128, 127);
  };
}

export const logisticF32 = (x: number): number => f32(1 / f32(1 + f32(Math.exp(-x))));
export const tanhF32 = (x: number): number => f32(Math.tanh(x));

function unaryTensors(ctx: OpContext): { input: Tensor; output: Tensor } | Unsupported {
  const io = ioCheck(ctx, 1);
  if ('reason' in io) return io;
  const input = io.inputs[0] as Tensor;
  const output = io.output;
  if (input.type !== output.type) return unsupported(ctx, `${input.type} -> ${output.type}`);
  if (!sameShape(input.shape, output.shape))
    return unsupported(ctx, 'output shape differs from input');
  return { input, output };
}

function int8Plan(
  ctx: OpContext,
  input: Tensor,
  output: Tensor,
  kernel: KernelName,
  make: (qi: Quant, qo: Quant) => Int8Fn | null,
): KernelPlan | Unsupported {
  const qi = perTensor(input);
  const qo = perTensor(output);
  if (!qi || !qo) return unsupported(ctx, 'input and output need per-tensor quantization');
  const fn = make(qi, qo);
  if (!fn) return unsupported(ctx, 'quantization parameters TFLite rejects for this op');
  return { kernel, params: [{ array: table(fn) }], scratchBytes: 0 };
}

function planUnary(
  floatKernel: KernelName | null,
  int8Kernel: KernelName,
  make: (ctx: OpContext, qi: Quant, qo: Quant) => Int8Fn | null,
): PlanKernel {
  return (ctx) => {
    const t = unaryTensors(ctx);
    if ('reason' in t) return t;
    const { input, output } = t;
    if (input.type === 'FLOAT32' && floatKernel)
      return { kernel: floatKernel, params: [], scratchBytes: 0 };
    if (input.type === 'INT8') {
      return int8Plan(ctx, input, output, int8Kernel, (qi, qo) => make(ctx, qi, qo));
    }
    return unsupported(ctx, `${input.type} is not supported`);
  };
}

const planLeakyRelu: PlanKernel = (ctx) => {
  const t = unaryTensors(ctx);
  if ('reason' in t) return t;
  const { input, output } = t;
  const alpha = optNum(ctx, 'alpha', 0.2);
  if (input.type === 'INT8') {
    return int8Plan(ctx, input, output, 'LEAKY_RELU_S8', (qi, qo) => leakyReluFn(qi, qo, alpha));
  }
  if (input.type === 'INT16') {
    const qi = perTensor(input);
    const qo = perTensor(output);
    if (!qi || !qo) return unsupported(ctx, 'input and output need per-tensor quantization');
    const { identity, alpha: a } = leakyMultipliers(qi, qo, alpha);
    if (identity.shift > 15 || a.shift > 15) return unsupported(ctx, 'multiplier out of range');
    return {
      kernel: 'LEAKY_RELU_S16',
      params: [
        qi.zeroPoint,
        qo.zeroPoint,
        identity.multiplier,
        identity.shift,
        a.multiplier,
        a.shift,
      ],
      scratchBytes: 0,
    };
  }
  return unsupported(ctx, `${input.type} is not supported`);
};

export const unaryKernels: Record<string, PlanKernel> = {
  RELU: planUnary('RELU_F32', 'RELU_S8', (_c, qi, qo) => reluFn(qi, qo, Infinity)),
  RELU6: planUnary('RELU6_F32', 'RELU6_S8', (_c, qi, qo) => reluFn(qi, qo, 6)),
  LEAKY_RELU: planLeakyRelu,
  HARD_SWISH: planUnary(null, 'HARD_SWISH_S8', (_c, qi, qo) => hardSwishFn(qi, qo)),
  // TFLite's int8 LOGISTIC requires the output scale 1/256.
  LOGISTIC: planUnary('LOGISTIC_F32', 'LOGISTIC_S8', (_c, qi, qo) =>
    qo.scale === 1 / 256 ? floatTableFn(qi, qo, logisticF32) : null,
  ),
  TANH: planUnary('TANH_F32', 'TANH_S8', (_c, qi, qo) => floatTableFn(qi, qo, tanhF32)),
};
