// Host set-up maths (src/core/package/quant.ts, kernels/conv/geometry.ts)
// and the device fixed-point helpers (firmware/runtime/kernels/td_qmath.h),
// the latter compiled into a tiny C driver and compared with an
// independent BigInt model of TFLite's arithmetic.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import {
  computeOutSize,
  computePadding,
  windowGeometry,
} from '../../src/core/package/kernels/conv/geometry.ts';
import {
  activationRangeFloat,
  activationRangeQuantized,
  convolutionMultipliers,
  frexp,
  quantizeMultiplier,
  roundHalfAway,
} from '../../src/core/package/quant.ts';
import { rng } from '../support/conv-run.ts';
import { mbqm32, mbqm64, refQuantizeMultiplier } from '../support/reference/conv.ts';

describe('quantizeMultiplier (TFLite QuantizeMultiplier)', () => {
  it('splits powers of two and simple fractions exactly', () => {
    expect(quantizeMultiplier(0.5)).toEqual({ multiplier: 2 ** 30, shift: 0 });
    expect(quantizeMultiplier(1)).toEqual({ multiplier: 2 ** 30, shift: 1 });
    expect(quantizeMultiplier(0.75)).toEqual({ multiplier: 1610612736, shift: 0 });
    expect(quantizeMultiplier(3)).toEqual({ multiplier: 1610612736, shift: 2 });
    expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
  });

  it('renormalises a significand that rounds up to 2^31', () => {
    expect(quantizeMultiplier(1 - 2 ** -40)).toEqual({ multiplier: 2 ** 30, shift: 1 });
  });

  it('flushes multipliers below 2^-32 to zero', () => {
    expect(quantizeMultiplier(2 ** -40)).toEqual({ multiplier: 0, shift: 0 });
    expect(quantizeMultiplier(2 ** -32)).toEqual({ multiplier: 2 ** 30, shift: -31 });
  });

  it('rounds the Q31 significand half away from zero', () => {
    // 0.5 + 2^-32: significand * 2^31 = 2^30 + 0.5 exactly.
    expect(quantizeMultiplier(0.5 + 2 ** -32).multiplier).toBe(2 ** 30 + 1);
  });

  it('agrees with an independent exponent search on random scales', () => {
    const r = rng(7);
    for (let i = 0; i < 2000; i++) {
      const m = 2 ** r.float(-34, 10) * r.float(1, 2);
      const q = quantizeMultiplier(m);
      expect([q.multiplier, q.shift]).toEqual(refQuantizeMultiplier(m));
    }
  });

  it('frexp returns a fraction in [0.5, 1) and the exponent', () => {
    for (const x of [1e-300, 3e-10, 0.1, 0.5, 1, 7, 1e300, 5e-324]) {
      const [f, e] = frexp(x);
      expect(f).toBeGreaterThanOrEqual(0.5);
      expect(f).toBeLessThan(1);
      expect(f * 2 ** Math.min(e, 1000) * 2 ** (e - Math.min(e, 1000))).toBe(x);
    }
  });

  it('roundHalfAway is std::round', () => {
    expect([2.5, -2.5, 0.49999999999999994, -0.5, 2 ** 52 + 1].map(roundHalfAway)).toEqual([
      3,
      -3,
      0,
      -1,
      2 ** 52 + 1,
    ]);
  });

  it('computes per-channel multipliers from double(in) * double(filter) / double(out)', () => {
    const { multipliers, shifts } = convolutionMultipliers(0.5, [0.25, 0.125], 0.5);
    expect([...multipliers]).toEqual([2 ** 30, 2 ** 30]);
    expect([...shifts]).toEqual([-1, -2]);
  });
});

describe('activation ranges (CalculateActivationRange[Quantized])', () => {
  it('clamps RELU6 of a uint8-style int8 output to the full range', () => {
    expect(activationRangeQuantized('RELU6', 0.023529412, -128, -128, 127)).toEqual([-128, 127]);
  });

  it('rounds f / scale half away from zero, in float32', () => {
    expect(activationRangeQuantized('RELU_N1_TO_1', 2, 0, -128, 127)).toEqual([-1, 1]);
    expect(activationRangeQuantized('RELU6', 4, 3, -128, 127)).toEqual([3, 5]);
    expect(activationRangeQuantized('RELU', 0.1, 100, -128, 127)).toEqual([100, 127]);
    expect(activationRangeQuantized('NONE', 0.1, 0, -32768, 32767)).toEqual([-32768, 32767]);
    expect(activationRangeQuantized('TANH', 0.1, 0, -128, 127)).toBeNull();
  });

  it('gives float clamps', () => {
    expect(activationRangeFloat('RELU6')).toEqual([0, 6]);
    expect(activationRangeFloat('RELU_N1_TO_1')).toEqual([-1, 1]);
    expect(activationRangeFloat('NONE')?.[0]).toBe(-3.4028234663852886e38);
    expect(activationRangeFloat('SIGN_BIT')).toBeNull();
  });
});

describe('window geometry (ComputePaddingHeightWidth)', () => {
  it('matches TFLite on SAME and VALID examples', () => {
    expect(computeOutSize('SAME', 224, 3, 2)).toBe(112);
    expect(computePadding(2, 1, 224, 3, 112)).toBe(0); // total 1: the odd pixel goes after
    expect(computePadding(1, 1, 7, 3, 7)).toBe(1);
    expect(computePadding(2, 1, 6, 4, 3)).toBe(1);
    expect(computePadding(1, 2, 10, 3, 10)).toBe(2);
    expect(computeOutSize('VALID', 10, 3, 1, 2)).toBe(6);
    expect(computeOutSize('VALID', 2, 3, 1)).toBe(0);
    expect(
      windowGeometry(5, 8, {
        strideW: 3,
        strideH: 2,
        dilationW: 1,
        dilationH: 1,
        filterW: 2,
        filterH: 4,
        padding: 'SAME',
      }),
    ).toEqual({
      outH: 3,
      outW: 3,
      padH: 1,
      padW: 0,
    });
  });
});

// ---- td_qmath.h against the BigInt model ---------------------------------

const kernelsDir = resolve(import.meta.dirname, '../../firmware/runtime/kernels');
const includeDir = resolve(import.meta.dirname, '../../firmware/runtime/include');
const work = mkdtempSync(join(tmpdir(), 'td-qmath-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const DRIVER = `
#include <stdio.h>
#include <inttypes.h>
#include "td_qmath.h"
int main(void) {
  char op;
  long long x; long m; int s;
  while (scanf(" %c %lld %ld %d", &op, &x, &m, &s) == 4) {
    if (op == 'a') printf("%" PRId32 "\\n", td_mbqm((int32_t)x, (int32_t)m, s));
    else printf("%" PRId32 "\\n", td_mbqm64((int64_t)x, (int32_t)m, s));
  }
  return 0;
}
`;

describe('td_qmath.h', () => {
  it('MultiplyByQuantizedMultiplier (int32 and int64) is bit-exact with the BigInt model', () => {
    const src = join(work, 'qmath.c');
    const exe = join(work, 'qmath');
    writeFileSync(src, DRIVER);
    const cc = spawnSync(
      'cc',
      [
        '-std=c99',
        '-Wall',
        '-Wextra',
        '-Werror',
        '-fsanitize=undefined',
        '-fno-sanitize-recover=all',
        '-O2',
        `-I${kernelsDir}`,
        `-I${includeDir}`,
        src,
        '-o',
        exe,
      ],
      { encoding: 'utf8' },
    );
    expect(cc.stderr).toBe('');
    expect(cc.status).toBe(0);

    const r = rng(99);
    const lines: string[] = [];
    const want: number[] = [];
    const edgesX = [0, 1, -1, 2147483647, -2147483648, 1 << 30, -(1 << 30), 12345, -12345];
    const edgesM = [0, 1 << 30, 2147483647, 0x7fff0000, 0x7ffeffff, 1518500250];
    for (let i = 0; i < 4000; i++) {
      const x = i < 400 ? (edgesX[i % edgesX.length] as number) : r.int(-2147483648, 2147483647);
      const m = i % 3 === 0 ? (edgesM[i % edgesM.length] as number) : r.int(1 << 30, 2147483647);
      const s = r.int(-31, 30);
      lines.push(`a ${x} ${m} ${s}`);
      want.push(mbqm32(x, m, s));
    }
    for (let i = 0; i < 4000; i++) {
      const big =
        BigInt(r.int(-(2 ** 23), 2 ** 23)) * BigInt(r.int(0, 2 ** 24)) + BigInt(r.int(-1000, 1000));
      const m = i % 3 === 0 ? (edgesM[i % edgesM.length] as number) : r.int(1 << 30, 2147483647);
      const s = r.int(-31, 7);
      lines.push(`b ${big} ${m} ${s}`);
      want.push(mbqm64(big, m, s));
    }
    const run = spawnSync(exe, [], {
      input: lines.join('\n') + '\n',
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    expect(run.status).toBe(0);
    const got = run.stdout.trim().split('\n').map(Number);
    expect(got.length).toBe(want.length);
    const bad = got.findIndex((v, i) => v !== want[i]);
    expect(bad === -1 ? null : `${lines[bad]} -> ${got[bad]}, want ${want[bad]}`).toBeNull();
  });
});
