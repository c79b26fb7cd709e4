// Turns a model into what we hand tfjs-tflite, without changing what it
// computes:
// - TFLM accepts models that TFLite's stricter loader refuses;
// - tfjs-tflite always applies its XNNPACK delegate, which is less exact than
//   TFLite's builtin kernels and wrong in one geometry (docs/numerics.md).
//   XNNPACK only takes a convolution whose filter is constant, so the filters
//   of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED become extra graph
//   inputs, fed their constant bytes on every inference: TFLite's builtin
//   kernels then run them.
import { readModel } from '../tflite/read.ts';
import { writeModel } from '../tflite/write.ts';
import type { Model } from '../tflite/model.ts';
import { opName } from '../tflite/ops.ts';
import { exposeIntermediates } from '../validate/layer-model.ts';
import { dataFromBytes, isNumericType, type TensorData } from '../validate/tensor-data.ts';

export interface ReferenceModel {
  bytes: Uint8Array;
  /** Subgraph tensor index of each output TFLite will return, in order. */
  outputs: number[];
  /** Values for the graph inputs added after the model's own, same for every inference. */
  extraInputs: TensorData[];
}

/**
 * TFLite refuses a quantized_dimension outside the tensor's rank ("must be in
 * range [0, rank)"); TFLM ignores it. person_detect.tflite has rank-1
 * depthwise biases with 8..256 per-channel scales and quantized_dimension 3
 * (copied from the rank-4 filter). The only axis the scales can run along is
 * the one whose size equals their count (axis 0 for a per-tensor scale), so
 * that is what the model means.
 */
function fixQuantizedAxis(model: Model): boolean {
  let changed = false;
  for (const sg of model.subgraphs) {
    for (const t of sg.tensors) {
      const q = t.quantization;
      const rank = t.shape.length;
      if (!q || rank === 0 || (q.quantizedDimension >= 0 && q.quantizedDimension < rank)) continue;
      const axis = q.scale.length <= 1 ? 0 : t.shape.lastIndexOf(q.scale.length);
      q.quantizedDimension = Math.max(0, axis);
      changed = true;
    }
  }
  return changed;
}

const FILTERED_OPS = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED']);

/** Makes constant filters graph inputs; returns their contents in input order. */
function unconstFilters(model: Model): TensorData[] {
  const sg = model.subgraphs[0];
  if (!sg) return [];
  const extra: TensorData[] = [];
  const done = new Set<number>();
  for (const op of sg.operators) {
    if (!FILTERED_OPS.has(opName(model, op.opcodeIndex))) continue;
    const index = op.inputs[1] ?? -1;
    const t = sg.tensors[index];
    const data = t ? model.buffers[t.buffer]?.data : undefined;
    if (!t || !data || data.byteLength === 0 || done.has(index) || !isNumericType(t.type)) continue;
    done.add(index);
    extra.push(dataFromBytes(t.type, data));
    t.buffer = 0;
    sg.inputs.push(index);
  }
  return extra;
}

/**
 * The model TFLite should run for a faithful reference (see above). With
 * `exposeIntermediates`, every operator output is also a graph output, for
 * checking a model layer by layer.
 */
export function prepareReferenceModel(
  bytes: Uint8Array,
  options: { exposeIntermediates?: boolean } = {},
): ReferenceModel {
  const read = readModel(bytes);
  // An unreadable model goes through unchanged: TFLite's own error is the
  // more useful one to show.
  if (!read.ok) return { bytes, outputs: [], extraInputs: [] };
  let model = read.value;
  let changed = fixQuantizedAxis(model);
  if (options.exposeIntermediates) {
    model = exposeIntermediates(model).model;
    changed = true;
  }
  const extraInputs = unconstFilters(model);
  return {
    bytes: changed || extraInputs.length > 0 ? writeModel(model) : bytes,
    outputs: [...(model.subgraphs[0]?.outputs ?? [])],
    extraInputs,
  };
}
