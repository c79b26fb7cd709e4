// AVERAGE_POOL_2D and MAX_POOL_2D: a window per channel, no weights, 0 MACs.
import { optNumber } from '../options.ts';
import type { OpContext, OpFacts } from './context.ts';
import { baseFacts, expectShapes, inShape, outShape } from './context.ts';
import { checkSpatial, windowParams } from './conv.ts';

export function pool2d(c: OpContext): OpFacts {
  const f = baseFacts(c);
  windowParams(c, f, false);
  const kh = optNumber(c.op, 'filterHeight', 1);
  const kw = optNumber(c.op, 'filterWidth', 1);
  // The window as [h, w]: pools have no filter tensor.
  f.filterShape = [kh, kw];
  if (!expectShapes(c, f, [4], [4])) return f;
  const inp = inShape(c, 0) as number[];
  const out = outShape(c, 0) as number[];
  if (out[3] !== inp[3]) f.warnings.push(`${c.name}: channels ${inp[3]} -> ${out[3]}`);
  checkSpatial(c, f, inp, out, kh, kw);
  return f;
}
