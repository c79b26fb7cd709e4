import { launchReference } from '../src/node/reference-chromium.ts';
import { writeModel } from '../src/core/tflite/write.ts';
import { singleOp } from '../tests/support/reference/elementwise-models.ts';
const ref = await launchReference();
const f32 = Math.fround;
const rnd = (x: number) => Math.sign(x) * Math.round(Math.abs(x));
const rne = (x: number) => { const r = Math.round(x); return Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : r; };
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
for (const [t, lo, hi] of [['INT8', -128, 127], ['INT16', -32768, 32767]] as const) {
  for (let k = 0; k < 4; k++) {
    const scale = f32(t === 'INT8' ? 0.01 + rand() * 0.1 : 0.0001 + rand() * 0.001);
    const zp = t === 'INT8' ? Math.floor(rand() * 40) - 20 : 0;
    const n = 4000;
    const x = Float32Array.from({ length: n }, (_, i) => f32((rand() - 0.5) * scale * (hi - lo) * 1.1));
    // include exact ties
    for (let i = 0; i < 200; i++) x[i] = f32((Math.floor(rand() * 200) - 100 + 0.5) * scale);
    const m = singleOp('QUANTIZE', [{ type: 'FLOAT32', shape: [n] }], { type: t, shape: [n], quant: { scale, zeroPoint: zp } });
    const r = await ref.run({ model: writeModel(m), inputSets: [[x]], profile: true });
    if (!r.ok) { console.log(r.error); continue; }
    const tfl = Array.from(r.outputSets[0]![0]!);
    const cl = (v: number) => Math.min(hi, Math.max(lo, v));
    const cands: Record<string, (v: number) => number> = {
      floatdiv: (v) => cl(rnd(f32(v / scale)) + zp),
      doublediv: (v) => cl(rnd(v / scale) + zp),
      mulinv: (v) => cl(rnd(f32(v * f32(1 / scale))) + zp),
      floatdiv_rne: (v) => cl(rne(f32(v / scale)) + zp),
      mulinv_rne: (v) => cl(rne(f32(v * f32(1 / scale))) + zp),
      mulinv_rne_zpfirst: (v) => cl(rne(f32(f32(v * f32(1 / scale)) + zp))),
    };
    const res = Object.entries(cands).map(([name, f]) => `${name}:${tfl.filter((v, i) => v !== f(x[i]!)).length}`);
    console.log(t, r.nodeTypes, res.join(' '));
  }
}
await ref.close();
