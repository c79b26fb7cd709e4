// CONCATENATION, PACK, UNPACK, SPLIT: data movement along one axis.
import { optNumber } from '../options.ts';
import { fmt, normAxis, sameShape } from '../shapes.ts';
import type { OpContext, OpFacts } from './context.ts';
import { baseFacts, constInput, expectShapes, inShape, outShape } from './context.ts';

function dataInputs(c: OpContext, from = 0): number[][] {
  const shapes: number[][] = [];
  for (let i = from; i < c.op.inputs.length; i++) {
    const s = inShape(c, i);
    if (s) shapes.push(s);
  }
  return shapes;
}

function dataOutputs(c: OpContext): number[][] {
  return c.op.outputs.map((_, i) => outShape(c, i)).filter((s) => s !== undefined);
}

export function concatenation(c: OpContext): OpFacts {
  const f = baseFacts(c);
  if (!expectShapes(c, f, [null], [null])) return f;
  const ins = dataInputs(c);
  const out = outShape(c, 0) as number[];
  const axis = normAxis(optNumber(c.op, 'axis', 0), out.length);
  if (axis === null) {
    f.warnings.push(`${c.name}: axis out of range for output ${fmt(out)}`);
    return f;
  }
  let total = 0;
  for (const s of ins) {
    const rest = (x: number[]): number[] => x.filter((_, i) => i !== axis);
    if (s.length !== out.length || !sameShape(rest(s), rest(out))) {
      f.warnings.push(`${c.name}: input ${fmt(s)} does not fit output ${fmt(out)} on axis ${axis}`);
    }
    total += s[axis] ?? 0;
  }
  if (total !== out[axis]) {
    f.warnings.push(`${c.name}: inputs sum to ${total} on axis ${axis}, output has ${out[axis]}`);
  }
  return f;
}

export function pack(c: OpContext): OpFacts {
  const f = baseFacts(c);
  if (!expectShapes(c, f, [null], [null])) return f;
  const ins = dataInputs(c);
  const first = ins[0] as number[];
  const out = outShape(c, 0) as number[];
  const count = optNumber(c.op, 'valuesCount', ins.length);
  if (count !== ins.length)
    f.warnings.push(`${c.name}: valuesCount ${count} != ${ins.length} inputs`);
  if (ins.some((s) => !sameShape(s, first))) f.warnings.push(`${c.name}: inputs differ in shape`);
  const axis = normAxis(optNumber(c.op, 'axis', 0), first.length + 1);
  if (axis === null) {
    f.warnings.push(`${c.name}: axis out of range`);
    return f;
  }
  const expected = [...first.slice(0, axis), ins.length, ...first.slice(axis)];
  if (!sameShape(expected, out))
    f.warnings.push(`${c.name}: output ${fmt(out)} != ${fmt(expected)}`);
  return f;
}

export function unpack(c: OpContext): OpFacts {
  const f = baseFacts(c);
  if (!expectShapes(c, f, [null], [null])) return f;
  const a = inShape(c, 0) as number[];
  const outs = dataOutputs(c);
  const axis = normAxis(optNumber(c.op, 'axis', 0), a.length);
  if (axis === null) {
    f.warnings.push(`${c.name}: axis out of range for input ${fmt(a)}`);
    return f;
  }
  const num = optNumber(c.op, 'num', outs.length);
  if (num !== outs.length || a[axis] !== outs.length) {
    f.warnings.push(`${c.name}: ${outs.length} outputs, num ${num}, input axis size ${a[axis]}`);
  }
  const expected = a.filter((_, i) => i !== axis);
  if (outs.some((s) => !sameShape(s, expected))) {
    f.warnings.push(`${c.name}: outputs should all be ${fmt(expected)}`);
  }
  return f;
}

/** Inputs: axis (int32 scalar), then the tensor to split into equal parts. */
export function split(c: OpContext): OpFacts {
  const f = baseFacts(c);
  if (!expectShapes(c, f, [null, null], [null])) return f;
  const a = inShape(c, 1) as number[];
  const outs = dataOutputs(c);
  const num = optNumber(c.op, 'numSplits', outs.length);
  if (num !== outs.length) f.warnings.push(`${c.name}: numSplits ${num} != ${outs.length} outputs`);
  const axisValue = constInput(c, 0)?.[0];
  if (axisValue === undefined) return f;
  const axis = normAxis(axisValue, a.length);
  if (axis === null) {
    f.warnings.push(`${c.name}: axis ${axisValue} out of range for input ${fmt(a)}`);
    return f;
  }
  const size = a[axis] ?? 0;
  if (outs.length === 0 || size % outs.length !== 0) {
    f.warnings.push(`${c.name}: axis size ${size} does not split into ${outs.length} parts`);
    return f;
  }
  const expected = a.map((d, i) => (i === axis ? size / outs.length : d));
  if (outs.some((s) => !sameShape(s, expected))) {
    f.warnings.push(`${c.name}: outputs should all be ${fmt(expected)}`);
  }
  return f;
}
