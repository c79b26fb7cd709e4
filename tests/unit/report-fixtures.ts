// Shared fixtures for the profile and report tests: a synthetic analysis of
// any depth, board counter records drawn from a seeded generator, and a
// report built through the real pipeline (judge -> buildProfile -> buildReport).
import type { Analysis, Layer, TensorRef } from '../../src/core/analysis/types.ts';
import { buildProfile, type ProfileInput } from '../../src/core/profile/profile.ts';
import type { BoardPower, LayerCounters } from '../../src/core/profile/types.ts';
import { buildReport, type ReportInput } from '../../src/core/report/build-report.ts';
import type { Report } from '../../src/core/report/types.ts';
import { createRng } from '../../src/core/validate/prng.ts';
import { judge } from '../../src/core/validate/verify.ts';

export type FakeAnalysis = Pick<Analysis, 'model' | 'layers' | 'memory' | 'totals'>;

const OPS = [
  'CONV_2D',
  'DEPTHWISE_CONV_2D',
  'CONV_2D',
  'ADD',
  'AVERAGE_POOL_2D',
  'FULLY_CONNECTED',
  'RESHAPE',
  'SOFTMAX',
];
const MAC_OPS = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED']);

const tensor = (index: number, name: string, shape: number[]): TensorRef => ({
  index,
  name,
  type: 'INT8',
  shape,
  bytes: shape.reduce((a, b) => a * b, 1),
});

/** An analysis with `n` layers: ops cycle through a small CNN's, MACs from `seed`. */
export function fakeAnalysis(n: number, seed = 7): FakeAnalysis {
  const rng = createRng(seed);
  const layers: Layer[] = Array.from({ length: n }, (_, i) => {
    const op = OPS[i % OPS.length] as string;
    const macs = MAC_OPS.has(op) ? rng.int(10_000, 2_000_000) : 0;
    const out = tensor(i + 1, `t${i + 1}`, [1, 8, 8, 16]);
    return {
      index: i,
      op,
      supported: true,
      inputShapes: [[1, 8, 8, 16]],
      outputShapes: [[1, 8, 8, 16]],
      inputs: [tensor(i, `t${i}`, [1, 8, 8, 16])],
      outputs: [out],
      filterShape: null,
      stride: null,
      dilation: null,
      padding: null,
      activation: null,
      macs,
      paramBytes: MAC_OPS.has(op) ? rng.int(100, 20_000) : 0,
      outputBytes: out.bytes,
      warnings: [],
    };
  });
  const live = layers.map(() => rng.int(2_000, 40_000));
  const arena = Math.max(...live, 0) + 512;
  return {
    model: {
      version: 3,
      description: 'synthetic',
      subgraphs: 1,
      tensors: n + 1,
      ops: [...new Set(layers.map((l) => l.op))].sort(),
      inputs: [tensor(0, 'input', [1, 8, 8, 16])],
      outputs: [tensor(n, 'scores', [1, 10])],
      fileBytes: 123_456,
    },
    layers,
    memory: {
      alignment: 16,
      arenaBytes: arena,
      peakLiveBytes: arena - 512,
      planPeakBytes: arena - 512,
      stateBytes: 0,
      noReuseBytes: live.reduce((a, b) => a + b, 0),
      blocks: [],
      liveBytesPerStep: live,
    },
    totals: {
      macs: layers.reduce((s, l) => s + l.macs, 0),
      paramBytes: layers.reduce((s, l) => s + l.paramBytes, 0),
      outputBytes: layers.reduce((s, l) => s + l.outputBytes, 0),
      layers: n,
    },
  };
}

/** Counter records for every layer of `analysis`, as a board with cache monitors would send. */
export function fakeRecords(analysis: FakeAnalysis, seed = 11, cache = true): LayerCounters[] {
  const rng = createRng(seed);
  return analysis.layers.map((l) => {
    const cycles = l.macs > 0 ? Math.round(l.macs * (1 + rng.float() * 3)) : rng.int(200, 20_000);
    const r: LayerCounters = {
      layer: l.index,
      cycles,
      cpi: rng.int(0, 255),
      exc: rng.int(0, 3),
      sleep: 0,
      lsu: rng.int(0, 255),
      fold: rng.int(0, 255),
    };
    if (cache) {
      r.daccess = rng.int(1000, 900_000);
      r.dtaglookup = rng.int(1000, 900_000);
      r.dhitslookup = rng.int(1000, 900_000);
      r.dhitsline = rng.int(1000, 900_000);
      r.iaccess = rng.int(1000, 900_000);
      r.itaglookup = rng.int(1000, 900_000);
      r.ihitslookup = rng.int(1000, 900_000);
      r.ihitsline = rng.int(1000, 900_000);
    }
    return r;
  });
}

/** Made-up figures with round numbers, for tests only (real ones: docs/boards.md). */
export const TEST_POWER: BoardPower = {
  part: 'Test part',
  supplyVolts: 1.8,
  lowPower: { mhz: 96, uaPerMhz: 4 },
  highPerformance: { mhz: 192, uaPerMhz: 5, baseUa: 100 },
  source: 'test figures, not from a datasheet',
};

export const KERNEL_CODE: Record<string, number> = {
  conv_2d_s8: 2271,
  depthwise_conv_2d_s8: 2161,
  add_s8: 2463,
  average_pool_2d_s8: 1023,
  fully_connected_s8: 1651,
  reshape: 128,
  softmax_s8: 1007,
  tanh_s8: 464,
};

export const kernelsOf = (a: FakeAnalysis): string[] =>
  a.layers.map((l) => (l.op === 'RESHAPE' ? 'RESHAPE' : `${l.op}_S8`));

export function fakeProfileInput(n: number, over: Partial<ProfileInput> = {}): ProfileInput {
  const analysis = fakeAnalysis(n);
  return {
    records: fakeRecords(analysis),
    analysis,
    clockMhz: 96,
    source: 'emulated',
    board: 'virtual-apollo4p',
    power: TEST_POWER,
    kernels: kernelsOf(analysis),
    memory: { kernelCodeBytes: KERNEL_CODE },
    ...over,
  };
}

export interface FakeReportOptions {
  layers?: number;
  /** Steps of difference injected into output 0 (0: bit-exact). */
  diff?: number;
  profile?: Partial<ProfileInput>;
  report?: Partial<ReportInput>;
}

/** A report built through judge(), buildProfile() and buildReport(). */
export function fakeReport(options: FakeReportOptions = {}): Report {
  const n = options.layers ?? 31;
  const input = fakeProfileInput(n, options.profile);
  const profile = buildProfile(input);
  const rng = createRng(99);
  const sets = 3;
  const expected = Array.from({ length: sets }, () => [
    Int8Array.from({ length: 10 }, () => rng.int(-100, 100)),
  ]);
  const actual = expected.map((set) =>
    set.map((t) => Int8Array.from(t, (v, i) => (i === 3 ? v + (options.diff ?? 0) : v))),
  );
  const verdict = judge(actual, expected, {
    loosened: ['CONV_2D_S8'],
    quant: [{ scale: 0.05, zeroPoint: -3 }],
  });
  return buildReport({
    modelName: 'synthetic_int8.tflite',
    model: new Uint8Array([1, 2, 3, 4]),
    analysis: input.analysis as FakeAnalysis,
    profile,
    verdict,
    firmware: { buildId: 'de4293e00c5e', image: new Uint8Array([9, 9, 9]), sourceId: '71f2f149' },
    toolVersion: '0.1.0',
    board: { name: 'virtual-apollo4p', core: 'cortex-m4' },
    seed: 1234,
    inputs: expected,
    timestamp: '2025-01-02T03:04:05.000Z',
    ...options.report,
  });
}
