// PAD, PADV2, STRIDED_SLICE, TRANSPOSE and MEAN: shape rules driven by
// constant index inputs. When those inputs are computed at run time, the
// output shape cannot be checked and is taken as given.
import { optBool, optNumber } from '../options.ts';
import { fmt, normAxis, sameShape } from '../shapes.ts';
import type { OpContext, OpFacts } from './context.ts';
import { baseFacts, constInput, expectShapes, inShape, outShape } from './context.ts';

function expectOutput(c: OpContext, f: OpFacts, expected: number[]): void {
  const out = outShape(c, 0) as number[];
  if (!sameShape(out, expected)) {
    f.warnings.push(`${c.name}: output ${fmt(out)} != expected ${fmt(expected)}`);
  }
}

/** Paddings: int32 [rank, 2] of (before, after) per dim. */
export function pad(c: OpContext): OpFacts {
  const f = baseFacts(c);
  if (!expectShapes(c, f, [null, 2], [null])) return f;
  const a = inShape(c, 0) as number[];
  const p = constInput(c, 1);
  if (!p) return f;
  if (p.length !== a.length * 2) {
    f.warnings.push(`${c.name}: paddings hold ${p.length} values for rank ${a.length}`);
    return f;
  }
  expectOutput(
    c,
    f,
    a.map((d, i) => d + (p[2 * i] ?? 0) + (p[2 * i + 1] ?? 0)),
  );
  return f;
}

export function transpose(c: OpContext): OpFacts {
  const f = baseFacts(c);
  if (!expectShapes(c, f, [null, 1], [null])) return f;
  const a = inShape(c, 0) as number[];
  const perm = constInput(c, 1);
  if (!perm) return f;
  const sorted = [...perm].sort((x, y) => x - y);
  if (perm.length !== a.length || sorted.some((v, i) => v !== i)) {
    f.warnings.push(
      `${c.name}: perm [${perm.join(', ')}] is not a permutation of rank ${a.length}`,
    );
    return f;
  }
  expectOutput(
    c,
    f,
    perm.map((p) => a[p] ?? 0),
  );
  return f;
}

/** Reduction axes come from input 1; keepDims leaves them as size 1. */
export function mean(c: OpContext): OpFacts {
  const f = baseFacts(c);
  if (!expectShapes(c, f, [null, null], [null])) return f;
  const a = inShape(c, 0) as number[];
  const axes = constInput(c, 1);
  if (!axes) return f;
  const reduced = new Set<number>();
  for (const ax of axes) {
    const n = normAxis(ax, a.length);
    if (n === null) f.warnings.push(`${c.name}: axis ${ax} out of range for ${fmt(a)}`);
    else reduced.add(n);
  }
  const keep = optBool(c.op, 'keepDims');
  const expected: number[] = [];
  a.forEach((d, i) => {
    if (!reduced.has(i)) expected.push(d);
    else if (keep) expected.push(1);
  });
  expectOutput(c, f, expected);
  return f;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/**
 * Output shape of a strided slice without ellipsis or new-axis masks (those
 * are rare in micro models; the check is skipped for them).
 */
export function stridedSliceShape(
  a: number[],
  begin: number[],
  end: number[],
  strides: number[],
  masks: { begin: number; end: number; shrink: number; offset: boolean },
): number[] {
  const out: number[] = [];
  a.forEach((dim, i) => {
    const bit = 1 << i;
    const s = strides[i] ?? 1;
    const inRange = i < begin.length;
    const [lo, hi] = s > 0 ? [0, dim] : [-1, dim - 1];
    const norm = (v: number): number => clamp(v < 0 ? v + dim : v, lo, hi);
    if (inRange && masks.shrink & bit) return; // a shrunk axis is dropped from the output
    const b = !inRange || masks.begin & bit ? (s > 0 ? 0 : dim - 1) : norm(begin[i] ?? 0);
    let e: number;
    if (!inRange || masks.end & bit) e = s > 0 ? dim : -1;
    else if (masks.offset) e = clamp(b + (end[i] ?? 0), lo, hi);
    else e = norm(end[i] ?? 0);
    out.push(Math.max(0, Math.ceil((e - b) / s)));
  });
  return out;
}

/** Inputs: tensor, begin, end, strides (int32 vectors). */
export function stridedSlice(c: OpContext): OpFacts {
  const f = baseFacts(c);
  if (!expectShapes(c, f, [null, 1, 1, 1], [null])) return f;
  const a = inShape(c, 0) as number[];
  const [begin, end, strides] = [constInput(c, 1), constInput(c, 2), constInput(c, 3)];
  if (!begin || !end || !strides) return f;
  if (optNumber(c.op, 'ellipsisMask', 0) !== 0 || optNumber(c.op, 'newAxisMask', 0) !== 0) {
    return f;
  }
  if (strides.some((s) => s === 0)) {
    f.warnings.push(`${c.name}: a stride is 0`);
    return f;
  }
  expectOutput(
    c,
    f,
    stridedSliceShape(a, begin, end, strides, {
      begin: optNumber(c.op, 'beginMask', 0),
      end: optNumber(c.op, 'endMask', 0),
      shrink: optNumber(c.op, 'shrinkAxisMask', 0),
      offset: optBool(c.op, 'offset'),
    }),
  );
  return f;
}
