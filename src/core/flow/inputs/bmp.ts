// A BMP decoder small enough to keep in core (no DOM): the shared sample
// images are 8-bit palette BMPs. Reads the core (12-byte) and info (40..124
// byte) headers; 1, 4 and 8-bit palettes; 16, 24 and 32-bit pixels, with
// or without bit-field masks; bottom-up and top-down rows. RLE and embedded
// JPEG/PNG are refused with a typed error.
import { InputFileError } from './errors.ts';

/** Decoded pixels, top row first, 4 bytes (R, G, B, A) per pixel. */
export interface RgbaImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** Pixels a decoded image may have (4096 × 4096 × 4 bytes = 64 MiB). */
export const MAX_PIXELS = 4096 * 4096;

const bad = (message: string): never => {
  throw new InputFileError('BAD_BMP', message);
};
const unsupported = (message: string): never => {
  throw new InputFileError('UNSUPPORTED_BMP', message);
};

interface Mask {
  mask: number;
  shift: number;
  max: number;
}

function maskOf(mask: number): Mask {
  const m = mask >>> 0;
  if (m === 0) return { mask: 0, shift: 0, max: 0 };
  let shift = 0;
  while (((m >>> shift) & 1) === 0) shift++;
  let bits = 0;
  while (shift + bits < 32 && ((m >>> (shift + bits)) & 1) === 1) bits++;
  return { mask: m, shift, max: bits >= 32 ? 0xffffffff : 2 ** bits - 1 };
}

const channel = (px: number, m: Mask, fallback: number): number =>
  m.mask === 0 ? fallback : Math.round((((px & m.mask) >>> m.shift) * 255) / m.max);

interface Layout {
  width: number;
  height: number;
  topDown: boolean;
  bpp: number;
  compression: number;
  masks: [number, number, number, number] | null;
  palette: Uint8Array | null;
  /** Bytes per palette entry (3 for the core header, 4 otherwise). */
  paletteEntry: number;
  pixelOffset: number;
}

function readLayout(bytes: Uint8Array): Layout {
  if (bytes.length < 26 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) bad('not a BMP file (no "BM")');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pixelOffset = dv.getUint32(10, true);
  const dib = dv.getUint32(14, true);
  let width: number;
  let height: number;
  let bpp: number;
  let compression = 0;
  let colours = 0;
  let masks: Layout['masks'] = null;
  let paletteEntry = 4;
  if (dib === 12) {
    width = dv.getUint16(18, true);
    height = dv.getUint16(20, true);
    bpp = dv.getUint16(24, true);
    paletteEntry = 3;
  } else if (dib >= 40 && dib <= 124) {
    if (bytes.length < 14 + dib) bad(`header of ${dib} bytes runs past the end of the file`);
    width = dv.getInt32(18, true);
    height = dv.getInt32(22, true);
    bpp = dv.getUint16(28, true);
    compression = dv.getUint32(30, true);
    colours = dv.getUint32(46, true);
    if (compression === 3 || compression === 6) {
      // Masks sit in the header (v2+) or right after a 40-byte header.
      const at = 14 + 40;
      const n = compression === 6 || dib >= 56 ? 4 : 3;
      if (bytes.length < at + 4 * n) bad('bit-field masks run past the end of the file');
      const m = (k: number): number => (k < n ? dv.getUint32(at + 4 * k, true) : 0);
      masks = [m(0), m(1), m(2), m(3)];
    }
  } else {
    return bad(`unknown BMP header size ${dib}`);
  }
  if (compression === 1 || compression === 2) unsupported('RLE-compressed BMPs are not supported');
  if (compression === 4 || compression === 5)
    unsupported('BMPs holding JPEG or PNG data are not supported');
  if (compression !== 0 && compression !== 3 && compression !== 6) {
    unsupported(`BMP compression ${compression} is not supported`);
  }
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) unsupported(`${bpp} bits per pixel is not supported`);
  if ((compression === 3 || compression === 6) && bpp !== 16 && bpp !== 32) {
    bad(`bit-field masks with ${bpp} bits per pixel`);
  }
  const topDown = height < 0;
  height = Math.abs(height);
  if (width <= 0 || height <= 0) bad(`image is ${width}×${height}`);
  if (width * height > MAX_PIXELS)
    bad(`image is ${width}×${height}: larger than ${MAX_PIXELS} pixels`);
  let palette: Uint8Array | null = null;
  if (bpp <= 8) {
    const n = colours > 0 ? colours : 2 ** bpp;
    if (n > 2 ** bpp) bad(`${n} palette entries for ${bpp}-bit pixels`);
    const at = 14 + dib + (masks && dib === 40 ? 12 : 0);
    if (at + n * paletteEntry > bytes.length) bad('palette runs past the end of the file');
    palette = bytes.subarray(at, at + n * paletteEntry);
  }
  return { width, height, topDown, bpp, compression, masks, palette, paletteEntry, pixelOffset };
}

export function decodeBmp(bytes: Uint8Array): RgbaImage {
  const l = readLayout(bytes);
  const stride = Math.ceil((l.width * l.bpp) / 32) * 4;
  if (l.pixelOffset + stride * l.height > bytes.length) {
    bad(
      `pixel data (${stride * l.height} bytes at offset ${l.pixelOffset}) runs past the end ` +
        `of the ${bytes.length}-byte file`,
    );
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint8Array(l.width * l.height * 4);
  const defaults16: Mask[] = [0x7c00, 0x03e0, 0x001f, 0].map(maskOf);
  const masks = l.masks?.map(maskOf) ?? null;
  const paletteCount = l.palette ? l.palette.length / l.paletteEntry : 0;
  for (let y = 0; y < l.height; y++) {
    const row = l.pixelOffset + stride * (l.topDown ? y : l.height - 1 - y);
    for (let x = 0; x < l.width; x++) {
      const o = (y * l.width + x) * 4;
      let r: number;
      let g: number;
      let b: number;
      let a = 255;
      if (l.palette) {
        const bitAt = x * l.bpp;
        const byte = bytes[row + (bitAt >> 3)] as number;
        const index = (byte >> (8 - l.bpp - (bitAt & 7))) & ((1 << l.bpp) - 1);
        if (index >= paletteCount)
          bad(`pixel (${x}, ${y}) uses palette entry ${index} of ${paletteCount}`);
        const p = index * l.paletteEntry;
        b = l.palette[p] as number;
        g = l.palette[p + 1] as number;
        r = l.palette[p + 2] as number;
      } else if (l.bpp === 24) {
        const p = row + x * 3;
        b = bytes[p] as number;
        g = bytes[p + 1] as number;
        r = bytes[p + 2] as number;
      } else if (l.bpp === 16) {
        const px = dv.getUint16(row + x * 2, true);
        const m = masks ?? defaults16;
        r = channel(px, m[0] as Mask, 0);
        g = channel(px, m[1] as Mask, 0);
        b = channel(px, m[2] as Mask, 0);
        a = channel(px, m[3] as Mask, 255);
      } else {
        const px = dv.getUint32(row + x * 4, true);
        if (masks) {
          r = channel(px, masks[0] as Mask, 0);
          g = channel(px, masks[1] as Mask, 0);
          b = channel(px, masks[2] as Mask, 0);
          a = channel(px, masks[3] as Mask, 255);
        } else {
          b = px & 0xff;
          g = (px >>> 8) & 0xff;
          r = (px >>> 16) & 0xff;
        }
      }
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      out[o + 3] = a;
    }
  }
  return { width: l.width, height: l.height, rgba: out };
}
