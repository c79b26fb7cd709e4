// CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV: NHWC tensors, OHWI filters.
import { convMacs, depthwiseMacs, transposeConvMacs } from '../macs.ts';
import { optNumber, optPadding } from '../options.ts';
import { fmt, sameShape, transposeOutSize, windowOutSize } from '../shapes.ts';
import { elementCount } from '../tensors.ts';
import type { OpContext, OpFacts } from './context.ts';
import { baseFacts, constInput, expectShapes, inShape, outShape } from './context.ts';

/** Reads stride (and dilation) as [h, w]; a zero stride is reported and treated as 1. */
export function windowParams(c: OpContext, f: OpFacts, withDilation: boolean): void {
  const pair = (h: string, w: string, fallback: number): [number, number] => {
    const v: [number, number] = [optNumber(c.op, h, fallback), optNumber(c.op, w, fallback)];
    if (v[0] < 1 || v[1] < 1) {
      f.warnings.push(`${c.name}: ${h}/${w} = ${v[0]}/${v[1]}, must be >= 1`);
      return [Math.max(1, v[0]), Math.max(1, v[1])];
    }
    return v;
  };
  f.stride = pair('strideH', 'strideW', 1);
  if (withDilation) f.dilation = pair('dilationHFactor', 'dilationWFactor', 1);
  f.padding = optPadding(c.op);
  if (!f.padding) f.warnings.push(`${c.name}: padding option missing, assuming VALID`);
}

/** Checks batch and spatial dims of an NHWC output against the window rule. */
export function checkSpatial(
  c: OpContext,
  f: OpFacts,
  inShp: number[],
  outShp: number[],
  kh: number,
  kw: number,
): void {
  const [sh, sw] = f.stride ?? [1, 1];
  const [dh, dw] = f.dilation ?? [1, 1];
  const pad = f.padding ?? 'VALID';
  const expH = windowOutSize(inShp[1] ?? 0, kh, sh, dh, pad);
  const expW = windowOutSize(inShp[2] ?? 0, kw, sw, dw, pad);
  if (outShp[0] !== inShp[0]) {
    f.warnings.push(`${c.name}: output batch ${outShp[0]} differs from input batch ${inShp[0]}`);
  }
  if (outShp[1] !== expH || outShp[2] !== expW) {
    f.warnings.push(
      `${c.name}: output ${fmt(outShp)} inconsistent with input ${fmt(inShp)}, ` +
        `window ${kh}x${kw}, stride ${sh}x${sw}, dilation ${dh}x${dw}, ${pad}: ` +
        `expected spatial ${expH}x${expW}`,
    );
  }
}

function checkBias(c: OpContext, f: OpFacts, index: number, channels: number): void {
  const bias = inShape(c, index);
  if (bias && elementCount(bias) !== channels) {
    f.warnings.push(`${c.name}: bias ${fmt(bias)} does not match ${channels} output channels`);
  }
}

export function conv2d(c: OpContext): OpFacts {
  const f = baseFacts(c);
  windowParams(c, f, true);
  f.filterShape = inShape(c, 1) ?? null;
  if (!expectShapes(c, f, [4, 4], [4])) return f;
  const inp = inShape(c, 0) as number[];
  const [oc = 0, kh = 0, kw = 0, fc = 0] = inShape(c, 1) as number[];
  const out = outShape(c, 0) as number[];
  const inC = inp[3] ?? 0;
  if (fc <= 0 || inC % fc !== 0) {
    f.warnings.push(`${c.name}: input channels ${inC} not a multiple of filter channels ${fc}`);
  } else if (oc % (inC / fc) !== 0) {
    f.warnings.push(`${c.name}: ${oc} output channels do not split into ${inC / fc} groups`);
  }
  if (out[3] !== oc) f.warnings.push(`${c.name}: output channels ${out[3]} != filter ${oc}`);
  checkSpatial(c, f, inp, out, kh, kw);
  checkBias(c, f, 2, oc);
  f.macs = convMacs(elementCount(out), kh, kw, fc);
  return f;
}

export function depthwiseConv2d(c: OpContext): OpFacts {
  const f = baseFacts(c);
  windowParams(c, f, true);
  f.filterShape = inShape(c, 1) ?? null;
  if (!expectShapes(c, f, [4, 4], [4])) return f;
  const inp = inShape(c, 0) as number[];
  const [one, kh = 0, kw = 0, oc = 0] = inShape(c, 1) as number[];
  const out = outShape(c, 0) as number[];
  const inC = inp[3] ?? 0;
  const mult = optNumber(c.op, 'depthMultiplier', 0);
  if (one !== 1) f.warnings.push(`${c.name}: filter ${fmt(f.filterShape ?? [])} must start with 1`);
  if (out[3] !== oc) f.warnings.push(`${c.name}: output channels ${out[3]} != filter ${oc}`);
  if (inC <= 0 || oc % inC !== 0) {
    f.warnings.push(`${c.name}: filter channels ${oc} not a multiple of input channels ${inC}`);
  } else if (mult > 0 && inC * mult !== oc) {
    f.warnings.push(`${c.name}: depth multiplier ${mult} x ${inC} input channels != ${oc}`);
  }
  checkSpatial(c, f, inp, out, kh, kw);
  checkBias(c, f, 2, oc);
  f.macs = depthwiseMacs(elementCount(out), kh, kw);
  return f;
}

/** Inputs: output shape (int32[4]), weights [oc, kh, kw, ic], input, optional bias. */
export function transposeConv(c: OpContext): OpFacts {
  const f = baseFacts(c);
  windowParams(c, f, false);
  f.filterShape = inShape(c, 1) ?? null;
  if (!expectShapes(c, f, [1, 4, 4], [4])) return f;
  const [oc = 0, kh = 0, kw = 0, ic = 0] = inShape(c, 1) as number[];
  const inp = inShape(c, 2) as number[];
  const out = outShape(c, 0) as number[];
  const [sh, sw] = f.stride ?? [1, 1];
  const pad = f.padding ?? 'VALID';
  if (inp[3] !== ic) f.warnings.push(`${c.name}: input channels ${inp[3]} != filter ${ic}`);
  if (out[3] !== oc) f.warnings.push(`${c.name}: output channels ${out[3]} != filter ${oc}`);
  if (out[0] !== inp[0]) f.warnings.push(`${c.name}: output batch ${out[0]} != input ${inp[0]}`);
  // The output size is given, not derived: it is consistent when the forward
  // convolution with the same window maps it back onto the input size.
  const backH = windowOutSize(out[1] ?? 0, kh, sh, 1, pad);
  const backW = windowOutSize(out[2] ?? 0, kw, sw, 1, pad);
  if (backH !== inp[1] || backW !== inp[2]) {
    f.warnings.push(
      `${c.name}: output ${fmt(out)} inconsistent with input ${fmt(inp)}, ` +
        `filter ${kh}x${kw}, stride ${sh}x${sw}, ${pad}: e.g. ` +
        `${transposeOutSize(inp[1] ?? 0, kh, sh, pad)}x${transposeOutSize(inp[2] ?? 0, kw, sw, pad)}`,
    );
  }
  const declared = constInput(c, 0);
  if (declared && !sameShape(declared, out)) {
    f.warnings.push(`${c.name}: output shape input ${fmt(declared)} != output ${fmt(out)}`);
  }
  checkBias(c, f, 3, oc);
  f.macs = transposeConvMacs(elementCount(inp), kh, kw, oc);
  return f;
}
