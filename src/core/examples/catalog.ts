// The example models the project builds itself (no binary files in the repo).
// Metadata only, so the page can list them without loading the builders.

export interface ExampleInfo {
  id: string;
  /** File name the example is shown under, as if the user had opened it. */
  fileName: string;
  title: string;
  description: string;
}

export const EXAMPLES: readonly ExampleInfo[] = [
  {
    id: 'cnn-int8',
    fileName: 'image_classifier_int8.tflite',
    title: 'Image classifier',
    description:
      'int8 CNN, 32×32 RGB in, 10 classes: conv, depthwise, pool, fully connected, softmax.',
  },
  {
    id: 'mlp-float',
    fileName: 'sensor_mlp_float32.tflite',
    title: 'Sensor MLP',
    description: 'float32 multilayer perceptron: 64 features, dense 128 → 64 → 10, softmax.',
  },
  {
    id: 'kws-int8',
    fileName: 'keyword_spotter_int8.tflite',
    title: 'Keyword spotter',
    description:
      'int8 DS-CNN, 12 keywords, behind a float AudioSpectrogram + Mfcc front end (custom ops the runtime lacks).',
  },
];
