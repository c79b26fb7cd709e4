// Example: an int8 keyword spotter (DS-CNN, 12 classes) behind a float audio
// front end made of TFLite's custom AudioSpectrogram and Mfcc ops, as a graph
// exported with its feature extraction looks. The custom ops are the point:
// the runtime does not implement them, and the analysis must say so.
import { encode } from 'flatbuffers/mjs/flexbuffers.js';
import { ModelBuilder } from '../tflite/build.ts';
import type { Model } from '../tflite/model.ts';
import { Int8Net } from './int8-net.ts';

const SAMPLES = 16000; // one second at 16 kHz
const WINDOW = 640; // 40 ms
const STRIDE = 320; // 20 ms
const FRAMES = 1 + Math.floor((SAMPLES - WINDOW) / STRIDE); // 49
const BINS = 513; // FFT of 1024 points
const FEATURES = 40;

export function buildKeywordSpotter(): Model {
  const b = new ModelBuilder('TinyDeploy example: int8 keyword spotter with a custom front end');
  const audio = b.addInput({ name: 'audio', type: 'FLOAT32', shape: [SAMPLES, 1] });
  const spectrogram = b.addTensor({
    name: 'spectrogram',
    type: 'FLOAT32',
    shape: [1, FRAMES, BINS],
  });
  b.addOperator(
    'CUSTOM:AudioSpectrogram',
    [audio],
    [spectrogram],
    {},
    {
      customOptions: encode({ window_size: WINDOW, stride: STRIDE, magnitude_squared: true }),
    },
  );
  const rate = b.addTensor({ name: 'sample_rate', type: 'INT32', shape: [], data: [16000] });
  const mfcc = b.addTensor({ name: 'mfcc', type: 'FLOAT32', shape: [1, FRAMES, FEATURES] });
  b.addOperator(
    'CUSTOM:Mfcc',
    [spectrogram, rate],
    [mfcc],
    {},
    {
      customOptions: encode({
        upper_frequency_limit: 4000,
        lower_frequency_limit: 20,
        filterbank_channel_count: FEATURES,
        dct_coefficient_count: FEATURES,
      }),
    },
  );
  // MFCCs span roughly [-25, 25].
  const quant = { scale: 50 / 255, zeroPoint: 0 };
  const features = b.addTensor({
    name: 'features',
    type: 'INT8',
    shape: [1, FRAMES, FEATURES],
    quant,
  });
  b.addOperator('QUANTIZE', [mfcc], [features]);
  return new Int8Net(b, 0x5e7, features, [1, FRAMES, FEATURES], quant)
    .reshape('features_2d', [1, FRAMES, FEATURES, 1])
    .conv('conv1', 64, [10, 4], [2, 2], 'SAME', 'RELU', 8)
    .depthwise('ds1/dw', [3, 3], [1, 1], 'SAME', 'RELU', 8)
    .conv('ds1/pw', 64, [1, 1], [1, 1], 'SAME', 'RELU', 8)
    .depthwise('ds2/dw', [3, 3], [1, 1], 'SAME', 'RELU', 8)
    .conv('ds2/pw', 64, [1, 1], [1, 1], 'SAME', 'RELU', 8)
    .averagePool('pool')
    .reshape('flatten', [1, 64])
    .fullyConnected('logits', 12, 'NONE')
    .softmax('labels')
    .build();
}
