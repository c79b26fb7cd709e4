// User input files for one input tensor, by file type: .npy, .csv/.txt,
// .bmp, and raw bytes (.bin/.raw). PNG and JPEG need the browser's decoder:
// decode there, then call imageToTensor with the pixels.
import type { TensorData } from '../../validate/tensor-data.ts';
import { decodeBmp } from './bmp.ts';
import { csvToSets } from './csv.ts';
import { InputFileError } from './errors.ts';
import { imageToTensor, type PixelMapping } from './image.ts';
import { npyToSets } from './npy.ts';
import { rawToSets } from './raw.ts';
import type { InputTarget } from './target.ts';

export { decodeBmp, type RgbaImage } from './bmp.ts';
export { parseCsv, csvToSets } from './csv.ts';
export { InputFileError, type InputFileErrorCode } from './errors.ts';
export { imageGeometry, imageToTensor, resizeBilinear, type PixelMapping } from './image.ts';
export { parseNpy, npyToSets, type NpyArray } from './npy.ts';
export { rawToSets } from './raw.ts';
export { inputTargets, quantize, type InputTarget } from './target.ts';

export type InputFileKind = 'npy' | 'csv' | 'bmp' | 'raw';

const BROWSER_IMAGES = /\.(png|jpe?g|gif|webp)$/i;

export function inputFileKind(fileName: string): InputFileKind | null {
  const name = fileName.toLowerCase();
  if (name.endsWith('.npy')) return 'npy';
  if (name.endsWith('.csv') || name.endsWith('.txt')) return 'csv';
  if (name.endsWith('.bmp')) return 'bmp';
  if (name.endsWith('.bin') || name.endsWith('.raw')) return 'raw';
  return null;
}

/** The input sets a file holds for `target` (several when the file stacks tensors). */
export function parseInputFile(
  fileName: string,
  bytes: Uint8Array,
  target: InputTarget,
  options: { pixels?: PixelMapping } = {},
): TensorData[] {
  const kind = inputFileKind(fileName);
  switch (kind) {
    case 'npy':
      return npyToSets(bytes, target, fileName);
    case 'csv':
      return csvToSets(new TextDecoder().decode(bytes), target, fileName);
    case 'bmp':
      return [imageToTensor(decodeBmp(bytes), target, options.pixels)];
    case 'raw':
      return rawToSets(bytes, target, fileName);
    case null:
      throw new InputFileError(
        'UNSUPPORTED_FORMAT',
        BROWSER_IMAGES.test(fileName)
          ? `${fileName}: PNG/JPEG images are decoded by the browser; convert to .bmp or .npy for the CLI`
          : `${fileName}: unknown input file type; use .npy, .csv, .txt, .bmp, .bin or .raw`,
      );
  }
}
