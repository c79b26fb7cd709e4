// Example: a small int8 image classifier in the MobileNet mould (32×32 RGB in,
// 10 classes): strided conv, depthwise-separable blocks, global average pool,
// fully connected, softmax. ~0.43 M MACs, under 5 KiB of weights.
import { ModelBuilder } from '../tflite/build.ts';
import type { Model } from '../tflite/model.ts';
import { Int8Net } from './int8-net.ts';

export function buildImageClassifier(): Model {
  const b = new ModelBuilder('TinyDeploy example: int8 image classifier (synthetic weights)');
  // Images normalised to [-1, 1): the converter's usual 1/128, zero point 0.
  const quant = { scale: 1 / 128, zeroPoint: 0 };
  const input = b.addInput({ name: 'image', type: 'INT8', shape: [1, 32, 32, 3], quant });
  return new Int8Net(b, 0x1ce, input, [1, 32, 32, 3], quant)
    .conv('stem', 16, [3, 3], [2, 2], 'SAME', 'RELU6')
    .depthwise('block1/dw', [3, 3], [1, 1], 'SAME', 'RELU6')
    .conv('block1/pw', 32, [1, 1], [1, 1], 'SAME', 'RELU6')
    .depthwise('block2/dw', [3, 3], [2, 2], 'SAME', 'RELU6')
    .conv('block2/pw', 64, [1, 1], [1, 1], 'SAME', 'RELU6')
    .averagePool('pool')
    .reshape('flatten', [1, 64])
    .fullyConnected('logits', 10, 'NONE')
    .softmax('probabilities')
    .build();
}
