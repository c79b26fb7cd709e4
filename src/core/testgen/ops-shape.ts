// Generators for the data-movement ops: RESHAPE, CONCATENATION, PAD, MEAN,
// STRIDED_SLICE, TRANSPOSE. Their constant operands (shapes, paddings,
// indices, permutations) are int32 tensors, as TFLite wants them.
import type { QuantSpec } from '../tflite/build.ts';
import type { TensorType } from '../tflite/model.ts';
import type { KernelName } from '../package/kernel-ids.ts';
import { Params } from './params.ts';
import { activationQuant, outputQuantFor } from './quant.ts';
import { realRange } from './ops-elementwise.ts';
import { permutation, randomShape, reshapeOf } from './shapes.ts';
import { singleOpModel } from './single-op.ts';
import type { CaseGenerator } from './types.ts';

type Flavour = 'S8' | 'S16';
const TYPE: Record<Flavour, TensorType> = { S8: 'INT8', S16: 'INT16' };
const int32 = (values: number[], shape = [values.length]) => ({
  type: 'INT32' as const,
  shape,
  data: Int32Array.from(values),
});

export function reshape(): CaseGenerator {
  return (rng, overrides) => {
    const p = new Params(rng, overrides);
    // RESHAPE moves no numbers: one kernel for every type.
    const type = p.get<TensorType>('type', (r) =>
      r.pick(['INT8', 'INT8', 'INT16', 'FLOAT32'] as const),
    );
    const inShape = p.get('inputShape', (r) => randomShape(r, 1, 4, 6));
    const outShape = p.get('outputShape', (r) => reshapeOf(r, inShape));
    const q = type === 'FLOAT32' ? null : activationQuant(rng, type);
    const { model, inputs } = singleOpModel(
      'RESHAPE',
      [{ input: { type, shape: inShape, quant: q } }, { constant: int32(outShape) }],
      [{ type, shape: outShape, quant: q }],
      { newShape: outShape },
    );
    return { kernel: 'RESHAPE', op: 'RESHAPE', model, inputs, params: p.values };
  };
}

export function concatenation(): CaseGenerator {
  return (rng, overrides) => {
    const p = new Params(rng, overrides);
    const n = p.get('inputs', (r) => r.int(2, 4));
    const base = p.get('shape', (r) => randomShape(r, 1, 4, 5));
    const axis = p.get('axis', (r) => r.int(-base.length, base.length - 1));
    const a = axis < 0 ? axis + base.length : axis;
    const sizes = p.get('sizes', (r) => Array.from({ length: n }, () => r.int(1, 5)));
    // TFLite's int8 CONCATENATION refuses to rescale: every input carries
    // the output's quantization.
    const q = activationQuant(rng, 'INT8');
    const shapeWith = (size: number): number[] => base.map((d, i) => (i === a ? size : d));
    const { model, inputs } = singleOpModel(
      'CONCATENATION',
      sizes.map((s) => ({ input: { type: 'INT8' as const, shape: shapeWith(s), quant: q } })),
      [{ type: 'INT8', shape: shapeWith(sizes.reduce((x, y) => x + y, 0)), quant: q }],
      { axis },
    );
    return { kernel: 'CONCATENATION_S8', op: 'CONCATENATION', model, inputs, params: p.values };
  };
}

export function pad(flavour: Flavour): CaseGenerator {
  return (rng, overrides) => {
    const p = new Params(rng, overrides);
    const type = TYPE[flavour];
    const shape = p.get('shape', (r) => randomShape(r, 1, 4, 6));
    const paddings = p.get('paddings', (r) => shape.map(() => [r.int(0, 3), r.int(0, 3)]));
    const q = activationQuant(rng, type);
    const { model, inputs } = singleOpModel(
      'PAD',
      [
        { input: { type, shape, quant: q } },
        { constant: int32(paddings.flat(), [shape.length, 2]) },
      ],
      [
        {
          type,
          shape: shape.map((d, i) => d + (paddings[i]?.[0] ?? 0) + (paddings[i]?.[1] ?? 0)),
          quant: q,
        },
      ],
    );
    return { kernel: `PAD_${flavour}` as KernelName, op: 'PAD', model, inputs, params: p.values };
  };
}

export function mean(): CaseGenerator {
  return (rng, overrides) => {
    const p = new Params(rng, overrides);
    const shape = p.get('shape', (r) => randomShape(r, 2, 4, 7));
    const rank = shape.length;
    // The 4-D spatial mean (axes 1,2) is the common case (global pooling).
    const axes = p.get('axes', (r) => {
      if (rank === 4 && r.chance(0.4)) return [1, 2];
      const picked = permutation(r, rank).slice(0, r.int(1, rank));
      return picked.sort((x, y) => x - y).map((x) => (r.chance(0.2) ? x - rank : x));
    });
    const keepDims = p.get('keepDims', (r) => r.chance(0.5));
    const reduced = new Set(axes.map((x) => (x < 0 ? x + rank : x)));
    const outShape = keepDims
      ? shape.map((d, i) => (reduced.has(i) ? 1 : d))
      : shape.filter((_, i) => !reduced.has(i));
    const qi = activationQuant(rng, 'INT8');
    const n = [...reduced].reduce((m, i) => m * (shape[i] as number), 1);
    let qo: QuantSpec = qi;
    if (!p.get('sameQuant', (r) => r.chance(0.3))) {
      // A mean of n uniform codes concentrates around the middle.
      const r = realRange('INT8', qi);
      const mid = (r.lo + r.hi) / 2;
      const half = ((r.hi - r.lo) / 2) * Math.max(0.1, 1.7 / Math.sqrt(n));
      qo = outputQuantFor(rng, 'INT8', { lo: mid - half, hi: mid + half });
    }
    const { model, inputs } = singleOpModel(
      'MEAN',
      [{ input: { type: 'INT8', shape, quant: qi } }, { constant: int32(axes) }],
      [{ type: 'INT8', shape: outShape.length ? outShape : [], quant: qo }],
      { keepDims },
    );
    return { kernel: 'MEAN_S8', op: 'MEAN', model, inputs, params: p.values };
  };
}

export function stridedSlice(flavour: Flavour): CaseGenerator {
  return (rng, overrides) => {
    const p = new Params(rng, overrides);
    const type = TYPE[flavour];
    const shape = p.get('shape', (r) => randomShape(r, 1, 4, 8));
    const rank = shape.length;
    const spec = p.get('slices', (r) =>
      shape.map((d) => {
        const b = r.int(0, d - 1);
        const e = r.int(b + 1, d);
        return { b, e, stride: r.chance(0.6) ? 1 : r.int(2, 3) };
      }),
    );
    // Shrinking an axis keeps one element (begin) and drops the axis; masks
    // are left off shrunk axes, where TFLite versions disagree on them.
    const shrinkMask = p.get('shrinkAxisMask', (r) =>
      r.chance(0.2) ? 1 << r.int(0, rank - 1) : 0,
    );
    const anyMask = (r: typeof rng): number =>
      r.int(0, (1 << rank) - 1) & r.int(0, (1 << rank) - 1) & ~shrinkMask;
    const beginMask = p.get('beginMask', anyMask);
    const endMask = p.get('endMask', anyMask);
    const negative = p.get('negativeIndices', (r) => r.chance(0.3));
    const begin: number[] = [];
    const end: number[] = [];
    const strides: number[] = [];
    const outShape: number[] = [];
    spec.forEach((s, i) => {
      const d = shape[i] as number;
      const bit = 1 << i;
      const shrink = (shrinkMask & bit) !== 0;
      const b = beginMask & bit ? 0 : s.b;
      const e = shrink ? b + 1 : endMask & bit ? d : s.e;
      const stride = shrink ? 1 : s.stride;
      begin.push(negative && s.b > 0 ? s.b - d : s.b);
      end.push(negative && s.e < d ? s.e - d : s.e);
      strides.push(stride);
      if (!shrink) outShape.push(Math.ceil((e - b) / stride));
    });
    const q = activationQuant(rng, type);
    const { model, inputs } = singleOpModel(
      'STRIDED_SLICE',
      [
        { input: { type, shape, quant: q } },
        { constant: int32(begin) },
        { constant: int32(end) },
        { constant: int32(strides) },
      ],
      [{ type, shape: outShape, quant: q }],
      { beginMask, endMask, shrinkAxisMask: shrinkMask },
    );
    return {
      kernel: `STRIDED_SLICE_${flavour}` as KernelName,
      op: 'STRIDED_SLICE',
      model,
      inputs,
      params: p.values,
    };
  };
}

export function transpose(): CaseGenerator {
  return (rng, overrides) => {
    const p = new Params(rng, overrides);
    const shape = p.get('shape', (r) => randomShape(r, 2, 5, 5));
    const perm = p.get('perm', (r) => permutation(r, shape.length));
    const q = activationQuant(rng, 'INT8');
    const { model, inputs } = singleOpModel(
      'TRANSPOSE',
      [{ input: { type: 'INT8', shape, quant: q } }, { constant: int32(perm) }],
      [{ type: 'INT8', shape: perm.map((i) => shape[i] as number), quant: q }],
    );
    return { kernel: 'TRANSPOSE_S8', op: 'TRANSPOSE', model, inputs, params: p.values };
  };
}
