// Example: a float32 multilayer perceptron over 64 sensor features, 10 classes
// (64 -> 128 -> 64 -> 10, ReLU, softmax): what a model looks like before
// quantization. ~17 K MACs, ~68 KiB of float weights.
import { ModelBuilder } from '../tflite/build.ts';
import type { Model } from '../tflite/model.ts';
import { floatValues, rng } from './synth.ts';

export function buildSensorMlp(): Model {
  const b = new ModelBuilder('TinyDeploy example: float32 sensor MLP (synthetic weights)');
  const random = rng(0x3a9);
  let current = b.addInput({ name: 'features', type: 'FLOAT32', shape: [1, 64] });
  let width = 64;
  const layers: [string, number, 'RELU' | 'NONE'][] = [
    ['dense1', 128, 'RELU'],
    ['dense2', 64, 'RELU'],
    ['logits', 10, 'NONE'],
  ];
  for (const [name, units, act] of layers) {
    const weights = b.addTensor({
      name: `${name}/kernel`,
      type: 'FLOAT32',
      shape: [units, width],
      data: floatValues(random, units * width, Math.sqrt(2 / width)),
    });
    const bias = b.addTensor({
      name: `${name}/bias`,
      type: 'FLOAT32',
      shape: [units],
      data: floatValues(random, units, 0.05),
    });
    const out = b.addTensor({
      name: `${name}/${act === 'RELU' ? 'Relu' : 'BiasAdd'}`,
      type: 'FLOAT32',
      shape: [1, units],
    });
    b.addOperator('FULLY_CONNECTED', [current, weights, bias], [out], {
      fusedActivationFunction: act,
    });
    current = out;
    width = units;
  }
  const probabilities = b.addOutput({ name: 'probabilities', type: 'FLOAT32', shape: [1, 10] });
  b.addOperator('SOFTMAX', [current], [probabilities], { beta: 1 });
  return b.build();
}
