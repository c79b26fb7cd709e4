// The example models by id: built in code (no binary files in the repository)
// and written with the project's own writer.
import type { Model } from '../tflite/model.ts';
import { writeModel } from '../tflite/write.ts';
import { buildImageClassifier } from './image-classifier.ts';
import { buildKeywordSpotter } from './keyword-spotter.ts';
import { buildSensorMlp } from './sensor-mlp.ts';

export { EXAMPLES, type ExampleInfo } from './catalog.ts';

const BUILDERS: Record<string, () => Model> = {
  'cnn-int8': buildImageClassifier,
  'mlp-float': buildSensorMlp,
  'kws-int8': buildKeywordSpotter,
};

export function buildExample(id: string): Model | null {
  return BUILDERS[id]?.() ?? null;
}

/** The example as .tflite bytes, or null for an unknown id. */
export function exampleBytes(id: string): Uint8Array | null {
  const model = buildExample(id);
  return model ? writeModel(model) : null;
}
