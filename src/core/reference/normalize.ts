// Makes a model acceptable to desktop TFLite without changing what it
// computes. TFLM accepts models that TFLite's stricter loader refuses; the
// reference must still run them.
import { readModel } from '../tflite/read.ts';
import { writeModel } from '../tflite/write.ts';
import type { Model } from '../tflite/model.ts';

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

/** The bytes to give TFLite: `bytes` itself when nothing needs fixing. */
export function normalizeForReference(bytes: Uint8Array): Uint8Array {
  const read = readModel(bytes);
  // An unreadable model goes through unchanged: TFLite's own error is the
  // more useful one to show.
  if (!read.ok) return bytes;
  return fixQuantizedAxis(read.value) ? writeModel(read.value) : bytes;
}
