// Reads a model file for a command; failures become one-line messages.
import { readFile } from 'node:fs/promises';
import { readModel } from '../core/tflite/read.ts';
import type { Model } from '../core/tflite/model.ts';
import type { Result } from '../core/errors.ts';

export interface LoadedModel {
  path: string;
  bytes: Uint8Array;
  model: Model;
}

export async function loadModel(path: string): Promise<Result<LoadedModel, string>> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code;
    return { ok: false, error: `cannot read ${path}: ${why ?? (e as Error).message}` };
  }
  const read = readModel(bytes);
  if (!read.ok) {
    return {
      ok: false,
      error: `${path} is not a readable TFLite model (${read.error.code}): ${read.error.message}`,
    };
  }
  return { ok: true, value: { path, bytes, model: read.value } };
}
