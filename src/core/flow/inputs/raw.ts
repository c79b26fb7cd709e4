// Raw binary: the tensor's bytes exactly as the board holds them
// (little-endian, C order), one tensor or several back to back.
import { dataFromBytes, elementBytes, type TensorData } from '../../validate/tensor-data.ts';
import { InputFileError } from './errors.ts';
import { elementsOf, type InputTarget } from './target.ts';

export function rawToSets(bytes: Uint8Array, target: InputTarget, what = 'raw file'): TensorData[] {
  const per = elementsOf(target.shape) * elementBytes(target.type);
  if (bytes.length === 0 || per === 0 || bytes.length % per !== 0) {
    throw new InputFileError(
      'SIZE_MISMATCH',
      `${what} is ${bytes.length} bytes; input '${target.name}' (${target.type} ` +
        `[${target.shape.join(', ')}]) takes ${per}, or a whole multiple for several input sets`,
    );
  }
  const sets: TensorData[] = [];
  for (let at = 0; at < bytes.length; at += per) {
    sets.push(dataFromBytes(target.type, bytes.subarray(at, at + per)));
  }
  return sets;
}
