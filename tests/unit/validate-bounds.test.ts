import { describe, expect, it } from 'vitest';
import { boundFor, loosenedKernels, meetsBound } from '../../src/core/validate/bounds.ts';
import { compareTensors } from '../../src/core/validate/metrics.ts';
import { judge } from '../../src/core/validate/verify.ts';
import { generateCase } from '../../src/core/testgen/random.ts';

describe('bounds', () => {
  it('holds integer kernels to bit exactness unless an exception applies', () => {
    expect(boundFor('INT8', [])).toEqual({ kind: 'exact' });
    expect(boundFor('INT16', ['MUL_S8'])).toEqual({ kind: 'steps', steps: 1 });
    expect(boundFor('FLOAT32', ['MUL_S8']).kind).toBe('float');
  });

  it('narrows exceptions to the operators they describe', () => {
    const layer = [{ sourceOp: 0, kernel: 'QUANTIZE_S8' as const }];
    const fromFloat = generateCase('QUANTIZE_S8', 1, { form: 'FLOAT32>INT8' });
    const requant = generateCase('QUANTIZE_S8', 1, { form: 'INT8>INT8' });
    expect(loosenedKernels(fromFloat.model, layer)).toEqual([]);
    expect(loosenedKernels(requant.model, layer)).toEqual(['QUANTIZE_S8']);
    const tconv = [{ sourceOp: 0, kernel: 'TRANSPOSE_CONV_S16' as const }];
    expect(
      loosenedKernels(generateCase('TRANSPOSE_CONV_S16', 2, { bias: true }).model, tconv),
    ).toEqual([]);
    expect(
      loosenedKernels(generateCase('TRANSPOSE_CONV_S16', 2, { bias: false }).model, tconv),
    ).toEqual(['TRANSPOSE_CONV_S16']);
    expect(loosenedKernels(fromFloat.model, [{ sourceOp: 0, kernel: 'SOFTMAX_S8' }])).toEqual([]);
  });

  it('judges metrics against the bound', () => {
    const oneStep = compareTensors(Int8Array.of(1, 2), Int8Array.of(1, 3));
    expect(meetsBound(oneStep, { kind: 'exact' })).toBe(false);
    expect(meetsBound(oneStep, { kind: 'steps', steps: 1 })).toBe(true);
    const f = compareTensors(Float32Array.of(1.00002), Float32Array.of(1));
    expect(meetsBound(f, boundFor('FLOAT32', []))).toBe(false);
    expect(
      meetsBound(
        compareTensors(Float32Array.of(1.000005), Float32Array.of(1)),
        boundFor('FLOAT32', []),
      ),
    ).toBe(true);
  });

  it('reports the input set where the worst difference appeared', () => {
    const expected = [[Int8Array.of(0, 0)], [Int8Array.of(0, 0)], [Int8Array.of(0, 0)]];
    const actual = [[Int8Array.of(0, 0)], [Int8Array.of(0, 3)], [Int8Array.of(1, 0)]];
    const v = judge(actual, expected, { loosened: [] });
    expect(v.pass).toBe(false);
    expect(v.outputs[0]?.worstSet).toBe(1);
    expect(judge(actual, expected, { loosened: [], unbounded: true }).pass).toBe(true);
  });
});
