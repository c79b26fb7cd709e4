// Generators for the single-input activations: SOFTMAX, LOGISTIC, TANH,
// RELU, RELU6, LEAKY_RELU, HARD_SWISH. Output quantizations that TFLite
// fixes (softmax and logistic 1/256 at -128, tanh 1/128 at 0) are used as
// such; the others are sized from the function's image of the input range.
import type { QuantSpec } from '../tflite/build.ts';
import type { TensorType } from '../tflite/model.ts';
import type { KernelName } from '../package/kernel-ids.ts';
import { Params } from './params.ts';
import { activationQuant, outputQuantFor } from './quant.ts';
import { realRange } from './ops-elementwise.ts';
import { randomShape } from './shapes.ts';
import { singleOpModel } from './single-op.ts';
import type { CaseGenerator } from './types.ts';

type Flavour = 'S8' | 'S16' | 'F32';
const TYPE: Record<Flavour, TensorType> = { S8: 'INT8', S16: 'INT16', F32: 'FLOAT32' };

export type ActivationOp =
  'SOFTMAX' | 'LOGISTIC' | 'TANH' | 'RELU' | 'RELU6' | 'LEAKY_RELU' | 'HARD_SWISH';

const FIXED_OUTPUT: Partial<Record<ActivationOp, QuantSpec>> = {
  SOFTMAX: { scale: 1 / 256, zeroPoint: -128 },
  LOGISTIC: { scale: 1 / 256, zeroPoint: -128 },
  TANH: { scale: 1 / 128, zeroPoint: 0 },
};

/** The function itself, to map the input range to the output range. */
function image(
  op: ActivationOp,
  alpha: number,
  lo: number,
  hi: number,
): { lo: number; hi: number } {
  const f = (x: number): number => {
    switch (op) {
      case 'RELU':
        return Math.max(0, x);
      case 'RELU6':
        return Math.min(6, Math.max(0, x));
      case 'LEAKY_RELU':
        return x >= 0 ? x : alpha * x;
      case 'HARD_SWISH':
        return (x * Math.min(6, Math.max(0, x + 3))) / 6;
      default:
        return x;
    }
  };
  // All these are piecewise monotone with extrema at the ends or at -1.5
  // (hard swish's minimum).
  const points = [lo, hi, Math.min(hi, Math.max(lo, -1.5))].map(f);
  const l = Math.min(...points);
  const h = Math.max(...points);
  return h - l < 1e-3 ? { lo: l, hi: l + 1e-3 } : { lo: l, hi: h };
}

export function activation(op: ActivationOp, flavour: Flavour): CaseGenerator {
  return (rng, overrides) => {
    const p = new Params(rng, overrides);
    const type = TYPE[flavour];
    const shape = p.get('shape', (r) =>
      op === 'SOFTMAX'
        ? r.chance(0.5)
          ? [r.int(1, 3), r.int(1, 40)]
          : randomShape(r, 1, 4, 8)
        : randomShape(r, 1, 4, 8),
    );
    const fields: Record<string, number> = {};
    let alpha = 0;
    if (op === 'SOFTMAX')
      fields.beta = p.get('beta', (r) => (r.chance(0.5) ? 1 : r.pick([0.5, 2, 0.1, 4])));
    if (op === 'LEAKY_RELU') {
      alpha = p.get('alpha', (r) => r.pick([0.01, 0.1, 0.2, 0.3, 0.5, 0.75]));
      fields.alpha = alpha;
    }
    let qi: QuantSpec | null = null;
    let qo: QuantSpec | null = null;
    if (flavour !== 'F32') {
      // Input scales that put the interesting part of each curve in range.
      const span = op === 'SOFTMAX' ? rng.pick([4, 8, 16, 32]) : rng.pick([2, 6, 12, 24]);
      const [lo, hi] = type === 'INT16' ? [-32768, 32767] : [-128, 127];
      qi = activationQuant(rng, type, span / (hi - lo));
      const fixed = FIXED_OUTPUT[op];
      if (fixed && type === 'INT8') qo = fixed;
      else if (p.get('sameQuant', (r) => op !== 'HARD_SWISH' && r.chance(0.2))) qo = { ...qi };
      else {
        const r = realRange(type, qi);
        qo = outputQuantFor(rng, type, image(op, alpha, r.lo, r.hi));
      }
    }
    const { model, inputs } = singleOpModel(
      op,
      [
        {
          input: { type, shape, quant: qi },
          gen: flavour === 'F32' ? { range: op === 'SOFTMAX' ? [-6, 6] : [-8, 8] } : {},
        },
      ],
      [{ type, shape, quant: qo }],
      fields,
    );
    return { kernel: `${op}_${flavour}` as KernelName, op, model, inputs, params: p.values };
  };
}
