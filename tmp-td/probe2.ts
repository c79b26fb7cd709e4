import { launchReference } from '../src/node/reference-chromium.ts';
import { writeModel } from '../src/core/tflite/write.ts';
import { singleOp } from '../tests/support/reference/elementwise-models.ts';
import { quantizeMultiplier } from '../src/core/package/quant.ts';
import { mbqm } from '../src/core/package/kernels/elementwise/common.ts';

const ref = await launchReference();
const q = (scale: number, zeroPoint: number) => ({ scale, zeroPoint });
function intMean(sums: number[], n: number, qi: {scale:number, zeroPoint:number}, qo: {scale:number, zeroPoint:number}) {
  const m0 = quantizeMultiplier(Math.fround(qi.scale) / Math.fround(qo.scale));
  let shift = Math.floor(Math.log2(n));
  shift = Math.min(shift, 32, 31 + m0.shift);
  const m = Number((BigInt(m0.multiplier) << BigInt(shift)) / BigInt(n));
  const s = m0.shift - shift;
  return sums.map((x) => Math.min(127, Math.max(-128, mbqm(x - qi.zeroPoint * n, m, s) + qo.zeroPoint)));
}
for (const [shape, axes, keep, qi, qo] of [
  [[4, 8, 8], [1], false, q(0.05, 4), q(0.03, -7)],
  [[2, 5, 3, 4], [1, 2], false, q(0.07, -13), q(0.03, 9)],
  [[3, 4, 5], [0, 2], false, q(0.07, -13), q(0.03, 9)],
  [[1, 4, 8, 8], [1, 2], true, q(0.05, 4), q(0.03, -7)],
  [[1, 7, 7, 16], [1, 2], true, q(0.07, -13), q(0.03, 9)],
] as const) {
  const out = shape.map((d, i) => ((axes as readonly number[]).includes(i) ? (keep ? 1 : 0) : d)).filter((d) => d !== 0);
  const model = singleOp('MEAN', [{ type: 'INT8', shape: [...shape], quant: qi }, { type: 'INT32', shape: [axes.length], data: [...axes] }], { type: 'INT8', shape: out, quant: qo }, { keepDims: keep });
  const n = shape.reduce((a, b) => a * b, 1);
  const x = Int8Array.from({ length: n }, (_, i) => ((i * 97 + 13) % 256) - 128);
  const r = await ref.run({ model: writeModel(model), inputSets: [[x]], profile: true });
  if (!r.ok) { console.log(r.error); continue; }
  const tfl = Array.from(r.outputSets[0]![0]!);
  // sums
  const red = shape.map((_, i) => (axes as readonly number[]).includes(i));
  const kept = shape.filter((_, i) => !red[i]);
  const sums = new Array(kept.reduce((a, b) => a * b, 1)).fill(0);
  const idx = new Array(shape.length).fill(0);
  for (let f = 0; f < n; f++) {
    let o = 0; let k = 0;
    const kst: number[] = []; { let s = 1; for (let j = kept.length - 1; j >= 0; j--) { kst[j] = s; s *= kept[j]!; } }
    idx.forEach((v, d) => { if (!red[d]) o += v * kst[k++]!; });
    sums[o] += x[f]!;
    for (let d = shape.length - 1; d >= 0; d--) { idx[d]++; if (idx[d] < shape[d]!) break; idx[d] = 0; }
  }
  const cand = intMean(sums, n / sums.length, qi, qo);
  const diff = cand.filter((v, i) => v !== tfl[i]).length;
  const nn = n / sums.length;
  const sc = Math.fround(Math.fround(qi.scale) / Math.fround(qo.scale));
  const bias = Math.fround(Math.fround(-qi.zeroPoint * sc) + 0.5);
  const fl = sums.map((x) => { const mean = Math.fround(Math.fround(x) / nn); const v = Math.fround(Math.fround(mean * sc) + bias); const r = Math.sign(v) * Math.round(Math.abs(v)); return Math.min(127, Math.max(-128, r + qo.zeroPoint)); });
  const exact = sums.map((x) => ((x / nn - qi.zeroPoint) * qi.scale) / qo.scale + qo.zeroPoint);
  if (diff) console.log('tfl', tfl.join(','), '\nint', cand.join(','), '\nflt', fl.join(','), '\nexact', exact.map((v) => v.toFixed(3)).join(','));
  console.log(JSON.stringify(shape), JSON.stringify(axes), keep, r.nodeTypes, 'int-mean diffs', diff, 'of', tfl.length);
}
await ref.close();
