// Deterministic, trained-looking parameters for the example models: weights
// roughly Gaussian, symmetric per-channel int8 quantization as the TFLite
// converter produces it, biases in int32 at input scale × weight scale.
// Seeded, so an example is the same bytes on every build.

/** mulberry32: small, fast, and good enough for synthetic weights. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Approximately N(0, 1): the sum of four uniforms, rescaled. */
export function gaussian(random: () => number): number {
  return (random() + random() + random() + random() - 2) * Math.sqrt(3);
}

export interface QuantizedWeights {
  values: number[];
  scales: number[];
}

/**
 * `channels` groups of weights laid out by `indexOf(channel, k)`, quantized per
 * channel to [-127, 127] with the scale set by the channel's largest weight.
 * `fanIn` sets the float spread (He initialisation).
 */
export function quantizedWeights(
  random: () => number,
  count: number,
  channels: number,
  channelOf: (flatIndex: number) => number,
  fanIn: number,
): QuantizedWeights {
  const std = Math.sqrt(2 / fanIn);
  const floats = Array.from({ length: count }, () => gaussian(random) * std);
  const maxAbs = new Array<number>(channels).fill(0);
  floats.forEach((w, i) => {
    const c = channelOf(i);
    maxAbs[c] = Math.max(maxAbs[c] ?? 0, Math.abs(w));
  });
  // float32, as the file stores them, so values quantize against the stored scale.
  const scales = maxAbs.map((m) => Math.fround(m > 0 ? m / 127 : 1e-6));
  const values = floats.map((w, i) =>
    Math.max(-127, Math.min(127, Math.round(w / (scales[channelOf(i)] ?? 1)))),
  );
  return { values, scales };
}

/** int32 biases for float biases ~N(0, 0.05), at scale inputScale × weightScale[c]. */
export function quantizedBias(
  random: () => number,
  inputScale: number,
  weightScales: number[],
): { values: number[]; scales: number[] } {
  // The converter multiplies the float32 scales in float32.
  const scales = weightScales.map((s) => Math.fround(Math.fround(inputScale) * Math.fround(s)));
  const values = scales.map((s) => Math.round((gaussian(random) * 0.05) / s));
  return { values, scales };
}

export function floatValues(random: () => number, count: number, std: number): number[] {
  return Array.from({ length: count }, () => gaussian(random) * std);
}
