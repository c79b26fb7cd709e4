// The user's input files as tensors, in the flow worker: .npy, .csv/.txt,
// .bmp and raw bytes go to core's parsers; PNG, JPEG, GIF and WebP are
// decoded by the browser (createImageBitmap + OffscreenCanvas, both
// available in workers) and handed to core as RGBA pixels.
import { err, ok, type Result } from '../../core/errors.ts';
import type { FlowUserInputs } from '../../core/flow/types.ts';
import {
  imageToTensor,
  inputFileKind,
  inputTargets,
  parseInputFile,
  type RgbaImage,
} from '../../core/flow/inputs/index.ts';
import { readModel } from '../../core/tflite/read.ts';
import type { TensorData } from '../../core/validate/tensor-data.ts';
import type { UserInputFile } from './flow-protocol.ts';

/** Files the browser decodes (core reads BMP itself). */
export const BROWSER_IMAGE = /\.(png|jpe?g|gif|webp)$/i;

export function isBrowserImage(fileName: string, mimeType: string): boolean {
  return BROWSER_IMAGE.test(fileName) || /^image\/(png|jpeg|gif|webp)$/.test(mimeType);
}

/** Decodes an image file to RGBA pixels with the browser's codecs. */
export async function decodeImage(bytes: ArrayBuffer, mimeType: string): Promise<RgbaImage> {
  const bitmap = await createImageBitmap(new Blob([bytes], mimeType ? { type: mimeType } : {}));
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas in this worker');
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    return {
      width: bitmap.width,
      height: bitmap.height,
      rgba: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    };
  } finally {
    bitmap.close();
  }
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The flow's userInputs (keyed by input position) from the files the user chose. */
export async function decodeUserInputs(
  modelBytes: Uint8Array,
  files: readonly UserInputFile[],
): Promise<Result<FlowUserInputs, { message: string }>> {
  const out: FlowUserInputs = {};
  if (files.length === 0) return ok(out);
  const model = readModel(modelBytes);
  // An unreadable model fails in the package stage with the reader's words.
  if (!model.ok) return ok(out);
  const targets = inputTargets(model.value);
  for (const file of files) {
    const target = targets[file.input];
    const label = `input ${file.input} (${file.fileName})`;
    if (!target) return err({ message: `${label}: the model has no numeric input ${file.input}` });
    let sets: TensorData[];
    try {
      if (inputFileKind(file.fileName) === null && isBrowserImage(file.fileName, file.mimeType)) {
        sets = [imageToTensor(await decodeImage(file.bytes, file.mimeType), target)];
      } else {
        sets = parseInputFile(file.fileName, new Uint8Array(file.bytes), target);
      }
    } catch (e) {
      return err({ message: `${label}: ${message(e)}` });
    }
    out[String(file.input)] = sets;
  }
  return ok(out);
}
