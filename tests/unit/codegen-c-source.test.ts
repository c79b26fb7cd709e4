// C literals the export writes must mean exactly what they encode: floats
// read back as the same float32 bits, strings as the same bytes, integer
// extremes without overflow. Checked by compiling them with the host C
// compiler and printing what it made of them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  cIdentifier,
  cString,
  elementItems,
  floatLiteral,
  intLiteral,
} from '../../src/core/codegen/c-source.ts';
import { run, tools } from './codegen-helpers.ts';

/** Float32 values from bit patterns: normals, subnormals, extremes, signed zeros. */
function floatCases(): number[] {
  const bits = [
    0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0xff7fffff, 0x3f800000,
    0x3eaaaaab, 0x3dcccccd, 0x4b800001, 0x33800000,
  ];
  let x = 0x12345678;
  for (let i = 0; i < 400; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    if (((x >>> 23) & 0xff) !== 0xff) bits.push(x);
  }
  const dv = new DataView(new ArrayBuffer(4));
  return bits.map((b) => {
    dv.setUint32(0, b >>> 0);
    return dv.getFloat32(0);
  });
}

function compileAndRun(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'td-clit-'));
  try {
    writeFileSync(join(dir, 'p.c'), source);
    run('cc', ['-std=c11', '-Wall', '-Wextra', '-Werror', '-O0', 'p.c', '-o', 'p'], dir);
    return run(join(dir, 'p'), [], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('C literals', () => {
  test('float literals are finite decimal text with an f suffix; non-finite use math.h', () => {
    expect(floatLiteral(1)).toBe('1.00000000f');
    expect(floatLiteral(-0)).toBe('-0.0f');
    expect(floatLiteral(Number.NaN)).toBe('NAN');
    expect(floatLiteral(-Infinity)).toBe('(-INFINITY)');
    expect(intLiteral(-(2 ** 31), 32, true)).toBe('(-2147483647 - 1)');
    expect(cIdentifier('person-detect v2.tflite')).toBe('person_detect_v2_tflite');
    expect(cIdentifier('9lives')).toBe('m_9lives');
    expect(cString('a"b\\c?\n')).toBe('"a\\"b\\\\c\\?\\012"');
  });

  test('elementItems reads little-endian tensor bytes per dtype', () => {
    const b = new Uint8Array(new Int16Array([-32768, 1, 32767]).buffer);
    expect(elementItems('INT16', b)).toEqual(['-32768', '1', '32767']);
    expect(elementItems('INT8', new Uint8Array([0x80, 0x7f]))).toEqual(['-128', '127']);
    expect(() => elementItems('INT32', new Uint8Array(3))).toThrow(/whole/);
  });

  test.skipIf(!tools.cc)('the C compiler reads every float literal back to the same bits', () => {
    const values = floatCases();
    const src = `#include <stdint.h>
#include <stdio.h>
#include <string.h>
static const float v[] = {${values.map(floatLiteral).join(', ')}};
static const int32_t imin = ${intLiteral(-(2 ** 31), 32, true)};
static const int64_t lmin = ${intLiteral(-(2n ** 63n), 64, true)};
static const char s[] = ${cString('tab\there "q" back\\slash ??= é')};
int main(void) {
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    uint32_t b;
    memcpy(&b, &v[i], 4);
    printf("%08x\\n", (unsigned)b);
  }
  printf("%ld %lld\\n", (long)imin, (long long)lmin);
  for (size_t i = 0; i + 1 < sizeof s; i++) printf("%02x", (unsigned)(unsigned char)s[i]);
  printf("\\n");
  return 0;
}
`;
    const lines = compileAndRun(src).trim().split('\n');
    const dv = new DataView(new ArrayBuffer(4));
    const want = values.map((f) => {
      dv.setFloat32(0, f);
      return dv.getUint32(0).toString(16).padStart(8, '0');
    });
    expect(lines.slice(0, values.length)).toEqual(want);
    expect(lines[values.length]).toBe('-2147483648 -9223372036854775808');
    const bytes = new TextEncoder().encode('tab\there "q" back\\slash ??= é');
    expect(lines[values.length + 1]).toBe(
      [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(''),
    );
  });
});
