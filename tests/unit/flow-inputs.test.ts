// User input files: .npy, CSV, raw bytes and BMP images into input tensors,
// with corrupt and fuzzed files failing with typed errors only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  csvToSets,
  decodeBmp,
  imageGeometry,
  imageToTensor,
  InputFileError,
  inputFileKind,
  inputTargets,
  npyToSets,
  parseCsv,
  parseInputFile,
  parseNpy,
  quantize,
  rawToSets,
  resizeBilinear,
  type InputTarget,
} from '../../src/core/flow/inputs/index.ts';
import { buildExample } from '../../src/core/examples/index.ts';
import { createRng } from '../../src/core/validate/prng.ts';
import { sharedModelsDir } from '../support/models.ts';

// ---- builders for test files ----

function npy(
  descr: string,
  shape: number[],
  body: Uint8Array,
  version = 1,
  fortran = false,
): Uint8Array {
  const dict = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const pre = version === 1 ? 10 : 12;
  const padded = dict + ' '.repeat((64 - ((pre + dict.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(pre + padded.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const dv = new DataView(out.buffer);
  if (version === 1) dv.setUint16(8, padded.length, true);
  else dv.setUint32(8, padded.length, true);
  out.set(new TextEncoder().encode(padded), pre);
  out.set(body, pre + padded.length);
  return out;
}

const bytesOf = (a: ArrayBufferView): Uint8Array =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

interface BmpSpec {
  width: number;
  height: number;
  bpp: 1 | 4 | 8 | 16 | 24 | 32;
  /** RGB per pixel, top row first. */
  pixel: (x: number, y: number) => [number, number, number];
  topDown?: boolean;
  palette?: [number, number, number][];
  masks?: [number, number, number, number];
}

/** A BITMAPINFOHEADER (or V4 with masks) BMP. */
function bmp(s: BmpSpec): Uint8Array {
  const stride = Math.ceil((s.width * s.bpp) / 32) * 4;
  const dib = s.masks ? 108 : 40;
  const palette = s.palette ?? [];
  const offset = 14 + dib + palette.length * 4;
  const out = new Uint8Array(offset + stride * s.height);
  const dv = new DataView(out.buffer);
  out.set([0x42, 0x4d]);
  dv.setUint32(2, out.length, true);
  dv.setUint32(10, offset, true);
  dv.setUint32(14, dib, true);
  dv.setInt32(18, s.width, true);
  dv.setInt32(22, s.topDown ? -s.height : s.height, true);
  dv.setUint16(26, 1, true);
  dv.setUint16(28, s.bpp, true);
  dv.setUint32(30, s.masks ? 3 : 0, true);
  dv.setUint32(46, palette.length, true);
  if (s.masks) s.masks.forEach((m, i) => dv.setUint32(54 + 4 * i, m, true));
  palette.forEach(([r, g, b], i) => out.set([b, g, r, 0], 14 + dib + i * 4));
  const nearest = (rgb: [number, number, number]): number =>
    palette.findIndex((p) => p[0] === rgb[0] && p[1] === rgb[1] && p[2] === rgb[2]);
  for (let y = 0; y < s.height; y++) {
    const row = offset + stride * (s.topDown ? y : s.height - 1 - y);
    for (let x = 0; x < s.width; x++) {
      const [r, g, b] = s.pixel(x, y);
      if (s.bpp <= 8) {
        const idx = nearest([r, g, b]);
        const bit = x * s.bpp;
        out[row + (bit >> 3)] =
          (out[row + (bit >> 3)] as number) | (idx << (8 - s.bpp - (bit & 7)));
      } else if (s.bpp === 24) out.set([b, g, r], row + x * 3);
      else if (s.bpp === 16) {
        const m = s.masks;
        const v = m
          ? ((r >> 3) << 11) | ((g >> 2) << 5) | (b >> 3) // 5-6-5 when masked
          : ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
        dv.setUint16(row + x * 2, v, true);
      } else {
        const v = s.masks
          ? ((r << 24) | (g << 16) | (b << 8) | 0x80) >>> 0
          : (r << 16) | (g << 8) | b;
        dv.setUint32(row + x * 4, v, true);
      }
    }
  }
  return out;
}

const rgbAt = (img: { width: number; rgba: Uint8Array }, x: number, y: number): number[] => {
  const o = (y * img.width + x) * 4;
  return Array.from(img.rgba.subarray(o, o + 4));
};

const int8Target: InputTarget = {
  name: 'x',
  type: 'INT8',
  shape: [1, 2, 3],
  quant: { scale: 0.5, zeroPoint: -3 },
};

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputFileError);
    expect((e as InputFileError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

/** Runs `parse` on seeded mutations and truncations of `good`: only InputFileError may escape. */
function fuzz(
  good: Uint8Array,
  parse: (b: Uint8Array) => unknown,
  seed: number,
  rounds = 600,
): number {
  const rng = createRng(seed);
  let rejected = 0;
  const attempt = (b: Uint8Array): void => {
    try {
      parse(b);
    } catch (e) {
      if (!(e instanceof InputFileError))
        throw new Error(`untyped error ${String(e)}`, { cause: e });
      rejected++;
    }
  };
  for (let n = 0; n < good.length; n += Math.max(1, good.length >> 6)) attempt(good.subarray(0, n));
  for (let r = 0; r < rounds; r++) {
    const b = good.slice();
    const flips = rng.int(1, 6);
    for (let k = 0; k < flips; k++) {
      const at = rng.chance(0.7)
        ? rng.int(0, Math.min(b.length - 1, 140))
        : rng.int(0, b.length - 1);
      b[at] = rng.chance(0.5) ? rng.int(0, 255) : (b[at] as number) ^ (1 << rng.int(0, 7));
    }
    attempt(b);
  }
  return rejected;
}

// ---- .npy ----

describe('.npy', () => {
  const values = [-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5];
  it('reads header versions 1, 2 and 3 and every integer and float dtype', () => {
    const be16 = new Uint8Array(24);
    values.forEach((v, i) => new DataView(be16.buffer).setInt16(i * 2, v, false));
    const cases: [string, Uint8Array, number][] = [
      ['|i1', bytesOf(Int8Array.from(values)), 1],
      ['<i2', bytesOf(Int16Array.from(values)), 2],
      ['>i2', be16, 3],
      ['<i4', bytesOf(Int32Array.from(values)), 1],
      ['<i8', bytesOf(BigInt64Array.from(values.map(BigInt))), 2],
      ['<f4', bytesOf(Float32Array.from(values)), 1],
      ['<f8', bytesOf(Float64Array.from(values)), 3],
    ];
    for (const [descr, body, version] of cases) {
      const a = parseNpy(npy(descr, [1, 3, 4], body, version));
      expect(a.shape, descr).toEqual([1, 3, 4]);
      expect(Array.from(a.values), descr).toEqual(values);
    }
    const u = parseNpy(npy('|u1', [12], Uint8Array.from(values.map((v) => v + 6))));
    expect(u.kind).toBe('uint');
    expect(u.values[11]).toBe(11);
    expect(parseNpy(npy('|b1', [2], Uint8Array.of(0, 7))).values).toEqual(Float64Array.of(0, 1));
    expect(parseNpy(npy('<f4', [], bytesOf(Float32Array.of(3.5)))).shape).toEqual([]);
  });

  it('converts to the input: exact codes, quantized floats, stacked sets', () => {
    const sets = npyToSets(npy('|i1', [2, 1, 2, 3], bytesOf(Int8Array.from(values))), int8Target);
    expect(sets).toHaveLength(2);
    expect(Array.from(sets[1] as Int8Array)).toEqual([0, 1, 2, 3, 4, 5]);
    const f = npyToSets(
      npy('<f4', [6], bytesOf(Float32Array.of(0, 0.5, -0.25, 1.25, 100, -100))),
      int8Target,
    );
    // round(x / 0.5) - 3, half away from zero, clamped.
    expect(Array.from(f[0] as Int8Array)).toEqual([-3, -2, -4, 0, 127, -128]);
  });

  it('refuses what it cannot read faithfully, with typed errors', () => {
    const body = bytesOf(Float32Array.from(values));
    expectCode(() => parseNpy(npy('<f4', [3, 4], body, 1, true)), 'UNSUPPORTED_NPY');
    expectCode(() => parseNpy(npy('<c8', [6], body)), 'UNSUPPORTED_NPY');
    expectCode(() => parseNpy(npy('|O', [12], body)), 'UNSUPPORTED_NPY');
    expectCode(() => parseNpy(npy('<f4', [13], body)), 'SIZE_MISMATCH');
    expectCode(() => parseNpy(npy('<f4', [12], body, 4)), 'BAD_NPY');
    expectCode(() => parseNpy(new TextEncoder().encode('not numpy at all')), 'BAD_NPY');
    expectCode(() => npyToSets(npy('<f4', [5], body.subarray(0, 20)), int8Target), 'SIZE_MISMATCH');
    // Integer arrays must fit the input's type as they are.
    expectCode(
      () => npyToSets(npy('<i2', [6], bytesOf(Int16Array.of(1, 2, 3, 4, 5, 300))), int8Target),
      'INCOMPATIBLE',
    );
    const big = new BigInt64Array([2n ** 60n]);
    expectCode(() => parseNpy(npy('<i8', [1], bytesOf(big))), 'INCOMPATIBLE');
  });

  it('fuzzed and truncated files fail only with InputFileError', () => {
    const good = npy('<f4', [1, 2, 3], bytesOf(Float32Array.of(1, 2, 3, 4, 5, 6)));
    const rejected = fuzz(good, (b) => npyToSets(b, int8Target), 11);
    expect(rejected).toBeGreaterThan(100);
  });
});

// ---- CSV and raw ----

describe('CSV and raw bytes', () => {
  it('reads numbers separated by commas, spaces and newlines, skipping comments', () => {
    expect(parseCsv('# header\n1, 2;3\r\n  4\t5,\n6\n')).toEqual({
      values: [1, 2, 3, 4, 5, 6],
      real: false,
    });
    const r = parseCsv('1.5e1,-.5,inf,-Infinity,nan');
    expect(r.real).toBe(true);
    expect(r.values.slice(0, 4)).toEqual([15, -0.5, Infinity, -Infinity]);
    expect(Number.isNaN(r.values[4])).toBe(true);
  });

  it('takes integer cells as codes and real cells as values to quantize', () => {
    expect(Array.from(csvToSets('1,2,3,4,5,6', int8Target)[0] as Int8Array)).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
    expect(Array.from(csvToSets('0.0,1,2,3,4,5', int8Target)[0] as Int8Array)).toEqual([
      -3, -1, 1, 3, 5, 7,
    ]);
    const float: InputTarget = { name: 'f', type: 'FLOAT32', shape: [3], quant: null };
    expect(Array.from(csvToSets('1,2.5,-3\n4,5,6', float)[1] as Float32Array)).toEqual([4, 5, 6]);
    expectCode(() => csvToSets('1,2,3,4,5', int8Target), 'SIZE_MISMATCH');
    expectCode(() => csvToSets('1,2,x,4,5,6', int8Target), 'BAD_CSV');
    expectCode(() => csvToSets('1,2,3,4,5,200', int8Target), 'INCOMPATIBLE');
    expectCode(() => csvToSets('1,2,3,4,5,nan', int8Target), 'INCOMPATIBLE');
    const unquantized: InputTarget = { name: 'i', type: 'INT32', shape: [2], quant: null };
    expectCode(() => csvToSets('1.5,2', unquantized), 'INCOMPATIBLE');
  });

  it('takes raw bytes of exactly one or several tensors', () => {
    const t: InputTarget = { name: 'h', type: 'INT16', shape: [2, 2], quant: null };
    const sets = rawToSets(bytesOf(Int16Array.of(1, -2, 3, -4, 5, 6, 7, 8)), t);
    expect(sets.map((s) => Array.from(s))).toEqual([
      [1, -2, 3, -4],
      [5, 6, 7, 8],
    ]);
    expectCode(() => rawToSets(new Uint8Array(7), t), 'SIZE_MISMATCH');
    expectCode(() => rawToSets(new Uint8Array(0), t), 'SIZE_MISMATCH');
  });

  it('quantizes half away from zero and clamps to the type', () => {
    expect(quantize(0.25, { scale: 0.5, zeroPoint: 0 }, 'INT8')).toBe(1);
    expect(quantize(-0.25, { scale: 0.5, zeroPoint: 0 }, 'INT8')).toBe(-1);
    expect(quantize(1e9, { scale: 1, zeroPoint: 0 }, 'INT16')).toBe(32767);
    expect(quantize(-1, { scale: 1, zeroPoint: 0 }, 'UINT8')).toBe(0);
  });

  it('picks the parser from the file name and sends PNG/JPEG to the browser', () => {
    expect(
      ['a.NPY', 'b.csv', 'c.txt', 'd.bmp', 'e.bin', 'f.raw', 'g.png'].map(inputFileKind),
    ).toEqual(['npy', 'csv', 'csv', 'bmp', 'raw', 'raw', null]);
    expectCode(
      () => parseInputFile('photo.jpg', new Uint8Array(4), int8Target),
      'UNSUPPORTED_FORMAT',
    );
    expect(
      parseInputFile('v.csv', new TextEncoder().encode('1 2 3 4 5 6'), int8Target),
    ).toHaveLength(1);
  });
});

// ---- BMP and images ----

describe('BMP', () => {
  const pattern = (x: number, y: number): [number, number, number] => [
    x * 40,
    y * 60,
    (x + y) * 20,
  ];

  it('decodes 24- and 32-bit images bottom-up and top-down', () => {
    for (const bpp of [24, 32] as const) {
      for (const topDown of [false, true]) {
        const img = decodeBmp(bmp({ width: 5, height: 3, bpp, pixel: pattern, topDown }));
        expect([img.width, img.height]).toEqual([5, 3]);
        for (const [x, y] of [
          [0, 0],
          [4, 0],
          [2, 1],
          [4, 2],
        ] as const) {
          expect(rgbAt(img, x, y), `${bpp} ${topDown} ${x},${y}`).toEqual([...pattern(x, y), 255]);
        }
      }
    }
  });

  it('decodes 1-, 4- and 8-bit palettes and bit-field masks', () => {
    const palette: [number, number, number][] = [
      [0, 0, 0],
      [255, 0, 0],
      [0, 255, 0],
      [10, 20, 30],
    ];
    const pick = (x: number, y: number): [number, number, number] =>
      palette[(x + 2 * y) % 4] as [number, number, number];
    for (const bpp of [4, 8] as const) {
      const img = decodeBmp(bmp({ width: 7, height: 2, bpp, pixel: pick, palette }));
      expect(rgbAt(img, 6, 1)).toEqual([...pick(6, 1), 255]);
      expect(rgbAt(img, 3, 0)).toEqual([...pick(3, 0), 255]);
    }
    const bw = (x: number): [number, number, number] => (x % 3 === 0 ? [255, 255, 255] : [0, 0, 0]);
    const mono = decodeBmp(
      bmp({
        width: 10,
        height: 1,
        bpp: 1,
        pixel: bw,
        palette: [
          [0, 0, 0],
          [255, 255, 255],
        ],
      }),
    );
    expect(Array.from({ length: 10 }, (_, x) => rgbAt(mono, x, 0)[0])).toEqual([
      255, 0, 0, 255, 0, 0, 255, 0, 0, 255,
    ]);
    // 32-bit RGBA masks (V4 header): alpha comes from its mask.
    const masked = decodeBmp(
      bmp({
        width: 2,
        height: 2,
        bpp: 32,
        pixel: pattern,
        masks: [0xff000000, 0xff0000, 0xff00, 0xff],
      }),
    );
    expect(rgbAt(masked, 1, 1)).toEqual([...pattern(1, 1), 0x80]);
    // 16-bit: 5-5-5 by default, 5-6-5 with masks; channels scale back to 0..255.
    const c16 = decodeBmp(bmp({ width: 1, height: 1, bpp: 16, pixel: () => [255, 255, 0] }));
    expect(rgbAt(c16, 0, 0)).toEqual([255, 255, 0, 255]);
    const c565 = decodeBmp(
      bmp({
        width: 1,
        height: 1,
        bpp: 16,
        pixel: () => [0, 255, 255],
        masks: [0xf800, 0x07e0, 0x001f, 0],
      }),
    );
    expect(rgbAt(c565, 0, 0)).toEqual([0, 255, 255, 255]);
  });

  it('decodes the shared person_detect sample (8-bit grayscale palette)', () => {
    const dir = sharedModelsDir();
    if (!dir) return;
    const file = new Uint8Array(readFileSync(join(dir, 'inputs', 'person_detect_person.bmp')));
    const img = decodeBmp(file);
    expect([img.width, img.height]).toEqual([96, 96]);
    // Its palette is the identity grey ramp: pixel (x, y) is the byte at the
    // pixel offset, rows stored bottom-up.
    const offset = new DataView(file.buffer).getUint32(10, true);
    for (const [x, y] of [
      [0, 0],
      [50, 17],
      [95, 95],
      [10, 80],
    ] as const) {
      const raw = file[offset + (95 - y) * 96 + x] as number;
      expect(rgbAt(img, x, y)).toEqual([raw, raw, raw, 255]);
    }
    const model = {
      name: 'input',
      type: 'INT8' as const,
      shape: [1, 96, 96, 1],
      quant: { scale: 1 / 255, zeroPoint: -128 },
    };
    const t = imageToTensor(img, model);
    const raw = file[offset + 95 * 96] as number;
    expect(t[0]).toBe(raw - 128);
  });

  it('refuses RLE, embedded PNG and malformed files with typed errors', () => {
    const good = bmp({ width: 4, height: 4, bpp: 24, pixel: pattern });
    const rle = good.slice();
    new DataView(rle.buffer).setUint32(30, 1, true);
    expectCode(() => decodeBmp(rle), 'UNSUPPORTED_BMP');
    const png = good.slice();
    new DataView(png.buffer).setUint32(30, 5, true);
    expectCode(() => decodeBmp(png), 'UNSUPPORTED_BMP');
    expectCode(() => decodeBmp(good.subarray(0, good.length - 1)), 'BAD_BMP');
    expectCode(() => decodeBmp(new Uint8Array(100)), 'BAD_BMP');
    const huge = good.slice();
    new DataView(huge.buffer).setInt32(18, 100_000, true);
    expectCode(() => decodeBmp(huge), 'BAD_BMP');
  });

  it('fuzzed and truncated BMPs fail only with InputFileError', () => {
    const palette: [number, number, number][] = [
      [0, 0, 0],
      [9, 9, 9],
      [200, 100, 0],
    ];
    const p8 = bmp({
      width: 6,
      height: 5,
      bpp: 8,
      pixel: (x) => palette[x % 3] as [number, number, number],
      palette,
    });
    const target = { name: 'img', type: 'UINT8' as const, shape: [1, 4, 4, 3], quant: null };
    expect(fuzz(p8, (b) => imageToTensor(decodeBmp(b), target), 21)).toBeGreaterThan(50);
    const masked = bmp({
      width: 3,
      height: 3,
      bpp: 32,
      pixel: pattern,
      masks: [0xff000000, 0xff0000, 0xff00, 0xff],
    });
    expect(fuzz(masked, decodeBmp, 22, 300)).toBeGreaterThan(20);
  });
});

describe('images into tensors', () => {
  it('recognises image-shaped inputs', () => {
    expect(imageGeometry([1, 96, 96, 1])).toEqual({ height: 96, width: 96, channels: 1 });
    expect(imageGeometry([32, 32, 3])).toEqual({ height: 32, width: 32, channels: 3 });
    expect(imageGeometry([28, 28])).toEqual({ height: 28, width: 28, channels: 1 });
    expect(imageGeometry([2, 8, 8, 3])).toBeNull();
    expect(imageGeometry([1, 10])).toBeNull();
    expect(imageGeometry([1, 8, 8, 2])).toBeNull();
  });

  it('resizes bilinearly with half-pixel centres', () => {
    // A 2x1 image, black then white, stretched to 4x1: 0, 0.25, 0.75, 1 of white.
    const img = { width: 2, height: 1, rgba: Uint8Array.of(0, 0, 0, 255, 200, 200, 200, 255) };
    const out = resizeBilinear(img, 4, 1);
    expect([0, 1, 2, 3].map((x) => out[x * 4])).toEqual([0, 50, 150, 200]);
    // Shrinking a 4x4 checkerboard to 2x2 averages each 2x2 block.
    const checker = new Uint8Array(64);
    for (let i = 0; i < 16; i++) checker.fill(((i % 4) + (i >> 2)) % 2 ? 255 : 0, i * 4, i * 4 + 4);
    expect(
      Array.from(
        resizeBilinear({ width: 4, height: 4, rgba: checker }, 2, 2).filter((_, i) => i % 4 === 0),
      ),
    ).toEqual([127.5, 127.5, 127.5, 127.5]);
  });

  it('converts to grayscale and maps pixels onto the tensor type', () => {
    const red = { width: 1, height: 1, rgba: Uint8Array.of(255, 0, 0, 255) };
    const grey = (type: 'UINT8' | 'INT8' | 'INT16' | 'FLOAT32') =>
      imageToTensor(red, { name: 'g', type, shape: [1, 1, 1, 1], quant: null })[0];
    // BT.601 luma of pure red: 0.299 * 255 = 76.2.
    expect(grey('UINT8')).toBe(76);
    expect(grey('INT8')).toBe(76 - 128);
    expect(grey('INT16')).toBe(Math.round(-32768 + (76.245 / 255) * 65535));
    expect(grey('FLOAT32')).toBeCloseTo(0.299, 5);
    const rgb = imageToTensor(red, { name: 'c', type: 'INT8', shape: [1, 1, 1, 3], quant: null });
    expect(Array.from(rgb)).toEqual([127, -128, -128]);
    // Real-valued mappings use the tensor's quantization.
    const q = {
      name: 'q',
      type: 'INT8' as const,
      shape: [1, 1, 1, 3],
      quant: { scale: 2 / 255, zeroPoint: 0 },
    };
    expect(Array.from(imageToTensor(red, q, 'symmetric'))).toEqual([127, -128, -128]);
    // unit: 1.0 / (2/255) = 127.5 rounds to 128, clamped to 127.
    expect(Array.from(imageToTensor(red, q, 'unit'))).toEqual([127, 0, 0]);
    expectCode(() => imageToTensor(red, { ...q, quant: null }, 'unit'), 'INCOMPATIBLE');
    expectCode(
      () => imageToTensor(red, { name: 'v', type: 'INT8', shape: [1, 10], quant: null }),
      'INCOMPATIBLE',
    );
  });

  it('finds the targets of a model', () => {
    const model = buildExample('cnn-int8');
    if (!model) throw new Error('no example');
    expect(inputTargets(model)).toEqual([
      {
        name: 'image',
        type: 'INT8',
        shape: [1, 32, 32, 3],
        quant: { scale: 1 / 128, zeroPoint: 0 },
      },
    ]);
  });
});
