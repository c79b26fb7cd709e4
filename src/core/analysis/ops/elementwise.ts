// Elementwise ops: binary with broadcasting, and unary ops that keep the shape.
// They count 0 MACs (docs/analysis.md).
import { broadcast, fmt, sameShape } from '../shapes.ts';
import type { OpContext, OpFacts } from './context.ts';
import { baseFacts, expectShapes, inShape, outShape } from './context.ts';

/** ADD, SUB, MUL, MAXIMUM, MINIMUM. */
export function binary(c: OpContext): OpFacts {
  const f = baseFacts(c);
  if (!expectShapes(c, f, [null, null], [null])) return f;
  const a = inShape(c, 0) as number[];
  const b = inShape(c, 1) as number[];
  const out = outShape(c, 0) as number[];
  const expected = broadcast(a, b);
  if (!expected) {
    f.warnings.push(`${c.name}: inputs ${fmt(a)} and ${fmt(b)} do not broadcast`);
  } else if (!sameShape(expected, out)) {
    f.warnings.push(`${c.name}: output ${fmt(out)} != broadcast shape ${fmt(expected)}`);
  }
  return f;
}

/** SOFTMAX, QUANTIZE, DEQUANTIZE, LOGISTIC, TANH, RELU, RELU6, LEAKY_RELU, HARD_SWISH. */
export function unary(c: OpContext): OpFacts {
  const f = baseFacts(c);
  if (!expectShapes(c, f, [null], [null])) return f;
  const a = inShape(c, 0) as number[];
  const out = outShape(c, 0) as number[];
  if (!sameShape(a, out)) f.warnings.push(`${c.name}: output ${fmt(out)} != input ${fmt(a)}`);
  return f;
}
