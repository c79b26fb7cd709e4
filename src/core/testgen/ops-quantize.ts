// Generators for QUANTIZE (float→int8, int8→int8, and the int16/int32 forms
// seanet uses) and DEQUANTIZE (int8→float).
import type { QuantSpec } from '../tflite/build.ts';
import type { TensorType } from '../tflite/model.ts';
import type { KernelName } from '../package/kernel-ids.ts';
import { Params } from './params.ts';
import { activationQuant, logUniform, qrange } from './quant.ts';
import { realRange } from './ops-elementwise.ts';
import { randomShape } from './shapes.ts';
import { singleOpModel } from './single-op.ts';
import type { CaseGenerator } from './types.ts';

/** Input codes (or floats) spanning the output's range, 20% past each end to hit saturation. */
function spanning(
  type: TensorType,
  out: { lo: number; hi: number },
  inQuant: QuantSpec | null,
): [number, number] {
  const pad = (out.hi - out.lo) * 0.2;
  const lo = out.lo - pad;
  const hi = out.hi + pad;
  if (!inQuant) return [lo, hi];
  const [qlo, qhi] = qrange(type);
  const s = inQuant.scale as number;
  const z = inQuant.zeroPoint as number;
  return [Math.max(qlo, Math.floor(lo / s) + z), Math.min(qhi, Math.ceil(hi / s) + z)];
}

export type QuantizeForm =
  'FLOAT32>INT8' | 'INT8>INT8' | 'INT16>INT16' | 'INT32>INT16' | 'INT16>INT32' | 'FLOAT32>INT16';

const KERNEL_OF: Record<QuantizeForm, KernelName> = {
  'FLOAT32>INT8': 'QUANTIZE_S8',
  'INT8>INT8': 'QUANTIZE_S8',
  'INT16>INT16': 'QUANTIZE_S16',
  'INT32>INT16': 'QUANTIZE_S16',
  'INT16>INT32': 'QUANTIZE_S16',
  'FLOAT32>INT16': 'QUANTIZE_S16',
};

export function quantize(forms: QuantizeForm[]): CaseGenerator {
  return (rng, overrides) => {
    const p = new Params(rng, overrides);
    const form = p.get('form', (r) => r.pick(forms));
    const [from, to] = form.split('>') as [TensorType, TensorType];
    const shape = p.get('shape', (r) => randomShape(r, 1, 4, 8));
    let qo = activationQuant(rng, to);
    let qi: QuantSpec | null = null;
    if (from === 'INT32') {
      // seanet: int32 accumulators at a tiny scale into int16.
      qi = { scale: (qo.scale as number) / logUniform(rng, 64, 8192), zeroPoint: 0 };
    } else if (to === 'INT32') {
      qi = activationQuant(rng, from);
      qo = { scale: (qi.scale as number) / logUniform(rng, 64, 8192), zeroPoint: 0 };
    } else if (from !== 'FLOAT32') {
      qi = activationQuant(rng, from);
    }
    const outReal = realRange(to, qo);
    const range = to === 'INT32' ? undefined : spanning(from, outReal, qi);
    const { model, inputs } = singleOpModel(
      'QUANTIZE',
      [{ input: { type: from, shape, quant: qi }, gen: range ? { range } : {} }],
      [{ type: to, shape, quant: qo }],
    );
    return { kernel: KERNEL_OF[form], op: 'QUANTIZE', model, inputs, params: p.values };
  };
}

export function dequantize(): CaseGenerator {
  return (rng, overrides) => {
    const p = new Params(rng, overrides);
    const shape = p.get('shape', (r) => randomShape(r, 1, 4, 8));
    const q = activationQuant(rng, 'INT8');
    const { model, inputs } = singleOpModel(
      'DEQUANTIZE',
      [{ input: { type: 'INT8', shape, quant: q } }],
      [{ type: 'FLOAT32', shape }],
    );
    return { kernel: 'DEQUANTIZE_S8', op: 'DEQUANTIZE', model, inputs, params: p.values };
  };
}
