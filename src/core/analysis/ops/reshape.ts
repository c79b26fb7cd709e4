// RESHAPE, SQUEEZE, EXPAND_DIMS, SHAPE: no arithmetic, only shape rules.
import { optNumbers } from '../options.ts';
import { fmt, normAxis, sameShape } from '../shapes.ts';
import { elementCount } from '../tensors.ts';
import type { OpContext, OpFacts } from './context.ts';
import { baseFacts, constInput, expectShapes, inShape, outShape } from './context.ts';

function sameElements(c: OpContext, f: OpFacts, a: number[], out: number[]): boolean {
  if (elementCount(a) === elementCount(out)) return true;
  f.warnings.push(`${c.name}: output ${fmt(out)} has a different element count than ${fmt(a)}`);
  return false;
}

export function reshape(c: OpContext): OpFacts {
  const f = baseFacts(c);
  if (!expectShapes(c, f, [null], [null])) return f;
  const a = inShape(c, 0) as number[];
  const out = outShape(c, 0) as number[];
  if (!sameElements(c, f, a, out)) return f;
  // The target comes from the shape input or the newShape option; -1 is inferred.
  const target = constInput(c, 1) ?? optNumbers(c.op, 'newShape');
  if (target.length > 0 && !target.includes(-1) && !sameShape(target, out)) {
    f.warnings.push(`${c.name}: output ${fmt(out)} != requested shape ${fmt(target)}`);
  }
  return f;
}

export function squeeze(c: OpContext): OpFacts {
  const f = baseFacts(c);
  if (!expectShapes(c, f, [null], [null])) return f;
  const a = inShape(c, 0) as number[];
  const out = outShape(c, 0) as number[];
  if (!sameElements(c, f, a, out)) return f;
  const dims = optNumbers(c.op, 'squeezeDims').map((d) => normAxis(d, a.length));
  const drop = (d: number, i: number): boolean => (dims.length > 0 ? dims.includes(i) : d === 1);
  const expected = a.filter((d, i) => !drop(d, i));
  if (!sameShape(expected, out)) {
    f.warnings.push(`${c.name}: output ${fmt(out)} != squeezed ${fmt(expected)}`);
  }
  return f;
}

export function expandDims(c: OpContext): OpFacts {
  const f = baseFacts(c);
  if (!expectShapes(c, f, [null], [null])) return f;
  const a = inShape(c, 0) as number[];
  const out = outShape(c, 0) as number[];
  if (!sameElements(c, f, a, out)) return f;
  const axisValue = constInput(c, 1)?.[0];
  if (axisValue === undefined) return f;
  const axis = normAxis(axisValue, a.length + 1);
  if (axis === null) {
    f.warnings.push(`${c.name}: axis ${axisValue} out of range for rank ${a.length}`);
    return f;
  }
  const expected = [...a.slice(0, axis), 1, ...a.slice(axis)];
  if (!sameShape(expected, out)) {
    f.warnings.push(`${c.name}: output ${fmt(out)} != expected ${fmt(expected)}`);
  }
  return f;
}

export function shapeOp(c: OpContext): OpFacts {
  const f = baseFacts(c);
  if (!expectShapes(c, f, [null], [1])) return f;
  const rank = (inShape(c, 0) as number[]).length;
  const out = outShape(c, 0) as number[];
  if (out[0] !== rank) f.warnings.push(`${c.name}: output ${fmt(out)} != [${rank}]`);
  return f;
}
