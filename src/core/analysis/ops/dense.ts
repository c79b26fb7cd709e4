// FULLY_CONNECTED and BATCH_MATMUL.
import { batchMatMulMacs, fullyConnectedMacs } from '../macs.ts';
import { optBool } from '../options.ts';
import { broadcast, fmt, sameShape } from '../shapes.ts';
import { elementCount } from '../tensors.ts';
import type { OpContext, OpFacts } from './context.ts';
import { baseFacts, expectShapes, inShape, outShape } from './context.ts';

/** Filter [units, depth]; the input is read as rows of `depth` values. */
export function fullyConnected(c: OpContext): OpFacts {
  const f = baseFacts(c);
  f.filterShape = inShape(c, 1) ?? null;
  if (!expectShapes(c, f, [null, 2], [null])) return f;
  const [units = 0, depth = 0] = inShape(c, 1) as number[];
  const inElements = elementCount(inShape(c, 0) as number[]);
  const out = outShape(c, 0) as number[];
  if (depth <= 0 || inElements % depth !== 0) {
    f.warnings.push(
      `${c.name}: input ${fmt(inShape(c, 0))} does not split into rows of filter depth ${depth}`,
    );
  } else if (out[out.length - 1] !== units || elementCount(out) !== (inElements / depth) * units) {
    f.warnings.push(
      `${c.name}: output ${fmt(out)} inconsistent with ${inElements / depth} rows x ${units} units`,
    );
  }
  const bias = inShape(c, 2);
  if (bias && elementCount(bias) !== units) {
    f.warnings.push(`${c.name}: bias ${fmt(bias)} does not match ${units} units`);
  }
  f.macs = fullyConnectedMacs(elementCount(out), depth);
  return f;
}

/** lhs [..., M, K] × rhs [..., K, N] -> [..., M, N]; adjX/adjY transpose the last two dims. */
export function batchMatMul(c: OpContext): OpFacts {
  const f = baseFacts(c);
  if (!expectShapes(c, f, [null, null], [null])) return f;
  const lhs = inShape(c, 0) as number[];
  const rhs = inShape(c, 1) as number[];
  const out = outShape(c, 0) as number[];
  if (lhs.length < 2 || rhs.length < 2) {
    f.warnings.push(`${c.name}: operands ${fmt(lhs)} and ${fmt(rhs)} need rank >= 2`);
    return f;
  }
  const last2 = (s: number[], adj: boolean): [number, number] => {
    const a = s[s.length - 2] ?? 0;
    const b = s[s.length - 1] ?? 0;
    return adj ? [b, a] : [a, b];
  };
  const [m, k] = last2(lhs, optBool(c.op, 'adjX'));
  const [k2, n] = last2(rhs, optBool(c.op, 'adjY'));
  const batchShape = broadcast(lhs.slice(0, -2), rhs.slice(0, -2));
  if (k !== k2) f.warnings.push(`${c.name}: inner dims differ (${k} vs ${k2})`);
  if (!batchShape) {
    f.warnings.push(`${c.name}: batch dims of ${fmt(lhs)} and ${fmt(rhs)} do not broadcast`);
  } else if (!sameShape(out, [...batchShape, m, n])) {
    f.warnings.push(`${c.name}: output ${fmt(out)} != expected ${fmt([...batchShape, m, n])}`);
  }
  const batch = batchShape ? elementCount(batchShape) : elementCount(out) / Math.max(1, m * n);
  f.macs = batchMatMulMacs(batch, m, n, k);
  return f;
}
