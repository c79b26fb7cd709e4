// Generators for the two-input elementwise ops (ADD, SUB, MUL, MAXIMUM,
// MINIMUM) with broadcasting and fused activations, and the pooling ops.
import type { QuantSpec } from '../tflite/build.ts';
import type { TensorType } from '../tflite/model.ts';
import type { KernelName } from '../package/kernel-ids.ts';
import { ACTIVATIONS, Params, clampRange, convOutSize, type Activation } from './params.ts';
import { activationQuant, outputQuantFor, qrange } from './quant.ts';
import { broadcastShapes, broadcastableFrom, randomShape } from './shapes.ts';
import { singleOpModel } from './single-op.ts';
import type { CaseGenerator } from './types.ts';

type Flavour = 'S8' | 'S16' | 'F32';
const TYPE: Record<Flavour, TensorType> = { S8: 'INT8', S16: 'INT16', F32: 'FLOAT32' };

/** The real values a quantized tensor can hold. */
export function realRange(type: TensorType, q: QuantSpec): { lo: number; hi: number } {
  const [lo, hi] = qrange(type);
  const s = q.scale as number;
  const z = q.zeroPoint as number;
  return { lo: (lo - z) * s, hi: (hi - z) * s };
}

function operandShapes(p: Params): [number[], number[], number[]] {
  const full = p.get('shape', (r) => randomShape(r, 1, 4, 6));
  const broadcast = p.get<'none' | 'first' | 'second' | 'both'>('broadcast', (r) =>
    r.chance(0.5) ? 'none' : r.pick(['first', 'second', 'both'] as const),
  );
  const a = p.get('shapeA', (r) =>
    broadcast === 'first' || broadcast === 'both' ? broadcastableFrom(r, full) : full,
  );
  const b = p.get('shapeB', (r) =>
    broadcast === 'second' || broadcast === 'both' ? broadcastableFrom(r, full) : full,
  );
  return [a, b, broadcastShapes(a, b)];
}

export function binary(op: 'ADD' | 'SUB' | 'MUL', flavour: Flavour): CaseGenerator {
  return (rng, overrides) => {
    const p = new Params(rng, overrides);
    const type = TYPE[flavour];
    const [sa, sb, so] = operandShapes(p);
    const act = p.get<Activation>('activation', (r) =>
      r.chance(0.5) ? 'NONE' : r.pick(ACTIVATIONS),
    );
    let qa: QuantSpec | null = null;
    let qb: QuantSpec | null = null;
    let qo: QuantSpec | null = null;
    if (flavour !== 'F32') {
      qa = activationQuant(rng, type);
      // Sometimes both operands share a scale (the common case after a split).
      qb = p.get('sameInputQuant', (r) => r.chance(0.2)) ? { ...qa } : activationQuant(rng, type);
      const ra = realRange(type, qa);
      const rb = realRange(type, qb);
      let range: { lo: number; hi: number };
      if (op === 'ADD') range = { lo: ra.lo + rb.lo, hi: ra.hi + rb.hi };
      else if (op === 'SUB') range = { lo: ra.lo - rb.hi, hi: ra.hi - rb.lo };
      else {
        const c = [ra.lo * rb.lo, ra.lo * rb.hi, ra.hi * rb.lo, ra.hi * rb.hi];
        range = { lo: Math.min(...c), hi: Math.max(...c) };
      }
      // Uniform codes rarely reach the corners: aim at 60% of the span.
      const mid = (range.lo + range.hi) / 2;
      const half = ((range.hi - range.lo) / 2) * 0.6;
      const clamped = clampRange(act, mid - half, mid + half);
      qo = outputQuantFor(rng, type, clamped);
    }
    const fields: Record<string, string | boolean> = { fusedActivationFunction: act };
    // The general int16 path (pot_scale_int16 defaults to true, which
    // demands power-of-two scales).
    if (op !== 'MUL') fields.potScaleInt16 = false;
    const { model, inputs } = singleOpModel(
      op,
      [{ input: { type, shape: sa, quant: qa } }, { input: { type, shape: sb, quant: qb } }],
      [{ type, shape: so, quant: qo }],
      fields,
    );
    return { kernel: `${op}_${flavour}` as KernelName, op, model, inputs, params: p.values };
  };
}

/** MAXIMUM / MINIMUM compare codes directly: inputs and output share one quantization. */
export function minMax(op: 'MAXIMUM' | 'MINIMUM'): CaseGenerator {
  return (rng, overrides) => {
    const p = new Params(rng, overrides);
    const [sa, sb, so] = operandShapes(p);
    const q = activationQuant(rng, 'INT8');
    const { model, inputs } = singleOpModel(
      op,
      [
        { input: { type: 'INT8', shape: sa, quant: q } },
        { input: { type: 'INT8', shape: sb, quant: q } },
      ],
      [{ type: 'INT8', shape: so, quant: q }],
    );
    return { kernel: `${op}_S8` as KernelName, op, model, inputs, params: p.values };
  };
}

export function pool(op: 'AVERAGE_POOL_2D' | 'MAX_POOL_2D', flavour: 'S8' | 'F32'): CaseGenerator {
  return (rng, overrides) => {
    const p = new Params(rng, overrides);
    const type = TYPE[flavour];
    const padding = p.get<'SAME' | 'VALID'>('padding', (r) => r.pick(['SAME', 'VALID'] as const));
    const fh = p.get('filterH', (r) => r.int(1, 4));
    const fw = p.get('filterW', (r) => r.int(1, 4));
    const strideH = p.get('strideH', (r) => r.int(1, 3));
    const strideW = p.get('strideW', (r) => r.int(1, 3));
    const h = p.get('height', (r) => r.int(padding === 'VALID' ? fh : 1, fh + 8));
    const w = p.get('width', (r) => r.int(padding === 'VALID' ? fw : 1, fw + 8));
    const c = p.get('channels', (r) => r.int(1, 12));
    const batch = p.get('batch', (r) => (r.chance(0.15) ? 2 : 1));
    const act = p.get<Activation>('activation', (r) =>
      r.chance(0.6) ? 'NONE' : r.pick(ACTIVATIONS),
    );
    const outH = convOutSize(padding, h, fh, strideH);
    const outW = convOutSize(padding, w, fw, strideW);
    // TFLite pools quantized tensors in the input's own quantization.
    const q = flavour === 'S8' ? activationQuant(rng, type) : null;
    const { model, inputs } = singleOpModel(
      op,
      [
        {
          input: { type, shape: [batch, h, w, c], quant: q },
          gen: flavour === 'F32' ? { range: [-8, 8] } : {},
        },
      ],
      [{ type, shape: [batch, outH, outW, c], quant: q }],
      {
        padding,
        strideH,
        strideW,
        filterHeight: fh,
        filterWidth: fw,
        fusedActivationFunction: act,
      },
    );
    return { kernel: `${op}_${flavour}` as KernelName, op, model, inputs, params: p.values };
  };
}
