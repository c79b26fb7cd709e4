// Decoded pixels into an image-shaped input ([1, H, W, C], [H, W, C] or
// [H, W] with H, W > 1): bilinear resize to H×W, grayscale when C = 1, then conversion to
// the tensor's type. Decoding is elsewhere (decodeBmp here; PNG/JPEG by the
// browser), so this works on any RGBA pixels.
import { allocTensorData, type TensorData } from '../../validate/tensor-data.ts';
import type { RgbaImage } from './bmp.ts';
import { InputFileError } from './errors.ts';
import { integerRange, quantize, type InputTarget } from './target.ts';

/**
 * How pixel values 0..255 become tensor values.
 * - 'range' (default): integer tensors span their whole range (uint8: p,
 *   int8: p - 128, int16: 0..255 stretched to -32768..32767); float tensors
 *   get p / 255. This is how image models are usually quantized.
 * - 'unit', 'symmetric', 'byte': the real value is p / 255, p / 127.5 - 1 or p,
 *   quantized with the tensor's scale and zero point when it is an integer tensor.
 */
export type PixelMapping = 'range' | 'unit' | 'symmetric' | 'byte';

export interface ImageGeometry {
  height: number;
  width: number;
  channels: 1 | 3 | 4;
}

/** The height, width and channels of an image-shaped tensor, or null. */
export function imageGeometry(shape: readonly number[]): ImageGeometry | null {
  let dims = [...shape];
  if (dims.length === 4) {
    if (dims[0] !== 1) return null;
    dims = dims.slice(1);
  }
  // [H, W] only when both are > 1: [1, N] is a feature vector, not an image.
  if (dims.length === 2 && dims.every((d) => d > 1)) dims.push(1);
  if (dims.length !== 3) return null;
  const [height, width, channels] = dims as [number, number, number];
  if (height < 1 || width < 1 || (channels !== 1 && channels !== 3 && channels !== 4)) return null;
  return { height, width, channels };
}

/** Bilinear resize with half-pixel centres (TF's resize_bilinear, half_pixel_centers=True). */
export function resizeBilinear(img: RgbaImage, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height * 4);
  const sx = img.width / width;
  const sy = img.height / height;
  const at = (x: number, y: number, c: number): number =>
    img.rgba[(y * img.width + x) * 4 + c] as number;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), img.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, img.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), img.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, img.width - 1);
      const wx = fx - x0;
      for (let c = 0; c < 4; c++) {
        const top = at(x0, y0, c) * (1 - wx) + at(x1, y0, c) * wx;
        const bottom = at(x0, y1, c) * (1 - wx) + at(x1, y1, c) * wx;
        out[(y * width + x) * 4 + c] = top * (1 - wy) + bottom * wy;
      }
    }
  }
  return out;
}

function mapper(target: InputTarget, mapping: PixelMapping): (p: number) => number {
  const type = target.type;
  if (mapping === 'range') {
    if (type === 'FLOAT32') return (p) => p / 255;
    const [lo, hi] = integerRange(type === 'INT32' ? 'UINT8' : type);
    return (p) => Math.round(lo + (p / 255) * (hi - lo));
  }
  const real =
    mapping === 'unit'
      ? (p: number) => p / 255
      : mapping === 'symmetric'
        ? (p: number) => p / 127.5 - 1
        : (p: number) => p;
  if (type === 'FLOAT32') return real;
  const quant = target.quant;
  if (!quant) {
    throw new InputFileError(
      'INCOMPATIBLE',
      `input '${target.name}' is ${type} without quantization: use the 'range' pixel mapping`,
    );
  }
  return (p) => quantize(real(p), quant, type);
}

export function imageToTensor(
  img: RgbaImage,
  target: InputTarget,
  mapping: PixelMapping = 'range',
): TensorData {
  const geo = imageGeometry(target.shape);
  if (!geo) {
    throw new InputFileError(
      'INCOMPATIBLE',
      `input '${target.name}' (shape [${target.shape.join(', ')}]) is not an image: ` +
        'expected [1, H, W, C] with C = 1, 3 or 4',
    );
  }
  const px = resizeBilinear(img, geo.width, geo.height);
  const map = mapper(target, mapping);
  const out = allocTensorData(target.type, geo.width * geo.height * geo.channels);
  for (let i = 0; i < geo.width * geo.height; i++) {
    const r = px[i * 4] as number;
    const g = px[i * 4 + 1] as number;
    const b = px[i * 4 + 2] as number;
    if (geo.channels === 1) {
      out[i] = map(0.299 * r + 0.587 * g + 0.114 * b);
    } else {
      out[i * geo.channels] = map(r);
      out[i * geo.channels + 1] = map(g);
      out[i * geo.channels + 2] = map(b);
      if (geo.channels === 4) out[i * 4 + 3] = map(px[i * 4 + 3] as number);
    }
  }
  return out;
}
