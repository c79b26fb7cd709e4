// runFlow end to end against the host RPC server, with a host-runtime
// stand-in for the reference (flow-support.ts): stages, progress, verdicts,
// localisation, partial results on failure and cancellation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleBytes } from '../../src/core/examples/index.ts';
import { applyThresholds, isClassifier, judgeOutputs } from '../../src/core/flow/judge-outputs.ts';
import { runFlow } from '../../src/core/flow/run.ts';
import { FLOW_STAGES, type FlowProgress, type FlowResult } from '../../src/core/flow/types.ts';
import { profileCsv } from '../../src/core/profile/csv.ts';
import { summaryText } from '../../src/core/profile/summary.ts';
import { sha256Hex } from '../../src/core/report/sha256.ts';
import { catalogueCases } from '../../src/core/testgen/catalogue.ts';
import { writeModel } from '../../src/core/tflite/write.ts';
import { allocTensorData } from '../../src/core/validate/tensor-data.ts';
import {
  bumpBias,
  flowDeps,
  goesSilent,
  hostBoard,
  hostReference,
  patchBoard,
  type HostBoard,
} from './flow-support.ts';

const cnn = exampleBytes('cnn-int8') as Uint8Array;
const mlp = exampleBytes('mlp-float') as Uint8Array;
const kws = exampleBytes('kws-int8') as Uint8Array;

let board: HostBoard;
let reference: ReturnType<typeof hostReference>;

beforeAll(() => {
  board = hostBoard();
  reference = hostReference();
});
afterAll(async () => {
  await board.stop();
  await reference.stop();
});

const options = { boardId: 'host', modelName: 'm.tflite', inputSets: 4, seed: 7 };

function okResult(r: FlowResult): Extract<FlowResult, { ok: true }> {
  if (!r.ok) throw new Error(`flow failed at ${r.failure.stage}: ${r.failure.message}`);
  return r;
}

describe('runFlow on the host board', () => {
  it('runs an int8 CNN through every stage, judging its layers alone', async () => {
    const events: FlowProgress[] = [];
    const r = okResult(
      await runFlow(flowDeps(board.client, reference), cnn, options, (p) => events.push(p)),
    );
    const a = r.artifacts;
    expect(r.verdict).toBe('pass');
    // The example's conv kernels may round one step differently: layers are judged.
    expect(a.validation.mode).toBe('layers');
    expect(a.validation.layers?.verdicts).toHaveLength(9);
    expect(a.validation.layers?.verdicts.every((l) => l.checked && l.pass)).toBe(true);
    // Same runtime on both sides: bit-exact end to end.
    expect(a.validation.outputs[0]?.metrics.exactShare).toBe(1);
    expect(a.validation.outputs[0]?.classifier).toBe(true);
    expect(a.inputs.sets).toHaveLength(4);
    expect(a.actual).toHaveLength(4);
    // Stages report in order, each at least once.
    const order = [...new Set(events.map((e) => e.stage))];
    expect(order).toEqual([...FLOW_STAGES]);
    const upload = events.filter((e) => e.stage === 'load' && e.total === a.package.bytes.length);
    expect(upload.at(-1)?.done).toBe(a.package.bytes.length);
    expect(Object.keys(a.timings).sort()).toEqual([...FLOW_STAGES].sort());
    // Profile: one row per layer, honest about the host.
    expect(a.profile.rows).toHaveLength(a.package.layers.length);
    expect(a.profile.source).toBe('host');
    expect(a.report.summary.source).toBe('host');
    expect(a.report.provenance.source).toBe('host');
    expect(summaryText(a.profile)).toContain('no cycle counters');
    expect(profileCsv(a.profile).split('\n')[0]).toContain('host build, timing not representative');
    expect(a.profile.energy).toEqual([]);
    expect(a.report.warnings.some((w) => w.includes('not on a microcontroller'))).toBe(true);
    // Provenance.
    const p = a.report.provenance;
    expect(p.modelSha256).toBe(sha256Hex(cnn));
    expect(p.seed).toBe(7);
    expect(p.inputSets).toBe(4);
    expect(p.inputsSha256).toBe(a.inputs.sha256);
    expect(p.firmware.buildId).toBe(a.board.buildId);
    expect(a.report.verdict).toBe('pass');
  });

  it('judges a float model on its outputs', async () => {
    const r = okResult(await runFlow(flowDeps(board.client, reference), mlp, options));
    expect(r.artifacts.validation.mode).toBe('outputs');
    expect(r.artifacts.validation.layers).toBeUndefined();
    expect(r.verdict).toBe('pass');
  });

  it('feeds models with several inputs of int8, int16, int32 and float32', async () => {
    const wanted = [
      'add_s16/broadcast_channel',
      'add_f32/broadcast_both_relu',
      'mul_s8/same_shape',
      'quantize_s16/int32_to_int16',
    ];
    const cases = catalogueCases((e) => wanted.includes(e.name));
    expect(cases.map((c) => c.name).sort()).toEqual([...wanted].sort());
    for (const c of cases) {
      const r = okResult(
        await runFlow(flowDeps(board.client, reference), writeModel(c.model), options),
      );
      const sets = r.artifacts.inputs.sets;
      expect(sets[0]?.map((t) => t.constructor.name)).toEqual(
        c.inputs.map((s) => allocTensorData(s.type, 0).constructor.name),
      );
      expect(r.verdict, c.name).toBe('pass');
    }
  });

  it('uses user inputs where given and random ones elsewhere', async () => {
    const image = new Int8Array(32 * 32 * 3).fill(5);
    const r = okResult(
      await runFlow(flowDeps(board.client, reference), cnn, {
        ...options,
        userInputs: { image: [image, image.map((v) => -v)] },
      }),
    );
    expect(r.artifacts.inputs.sets).toHaveLength(2);
    expect(r.artifacts.inputs.userSupplied).toEqual([true]);
    expect(r.artifacts.inputs.sets[1]?.[0]?.[0]).toBe(-5);
  });

  it('refuses user inputs of the wrong size, naming the tensor', async () => {
    const r = await runFlow(flowDeps(board.client, reference), cnn, {
      ...options,
      userInputs: { image: [new Int8Array(10)] },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.failure).toMatchObject({ stage: 'validate', code: 'BAD_INPUT' });
    expect(r.failure.message).toContain("'image'");
    expect(r.artifacts.load).toBeDefined();
  });
});

describe('mismatches', () => {
  it('fails a tampered reference and names the first diverging layer', async () => {
    // The reference sees a different bias in layer 2 (block1/pw).
    const tampered = hostReference(bumpBias('block1/pw/bias', -1_000_000));
    try {
      const r = okResult(await runFlow(flowDeps(board.client, tampered), cnn, options));
      const v = r.artifacts.validation;
      expect(r.verdict).toBe('fail');
      const bad = v.layers?.verdicts.filter((l) => !l.pass).map((l) => l.layer);
      expect(bad).toEqual([2]);
      expect(v.localization?.divergence?.layer).toBe(2);
      expect(v.localization?.divergence?.op).toBe('CONV_2D');
      expect(v.localization?.divergence?.maxAbsDiff).toBeGreaterThan(1);
      // The chain comparison agrees: layers 0 and 1 match, layer 2 is the first to differ.
      const chain = v.localization?.layers ?? [];
      expect(chain.slice(0, 2).every((l) => l.metrics.exactShare === 1)).toBe(true);
      expect(chain[2]?.metrics.exactShare).toBeLessThan(1);
      expect(r.artifacts.report.verdict).toBe('fail');
      expect(r.artifacts.report.divergence?.layer).toBe(2);
      expect(r.artifacts.report.verdictReason).toContain('layer 2 (CONV_2D');
    } finally {
      await tampered.stop();
    }
  });

  it('localises a float model mismatch on the board chain', async () => {
    // The float MLP's outputs are judged directly; a changed bias in its
    // second layer shows there first.
    const tampered = hostReference((m) => {
      const sg = m.subgraphs[0];
      const op = sg?.operators[1];
      const bias = op ? sg?.tensors[op.inputs[2] ?? -1] : undefined;
      const buf = bias ? m.buffers[bias.buffer] : undefined;
      if (!buf) throw new Error('no bias on layer 1');
      const data = new Float32Array(buf.data.slice().buffer);
      data[0] = (data[0] as number) + 100;
      buf.data = new Uint8Array(data.buffer);
    });
    try {
      const r = okResult(await runFlow(flowDeps(board.client, tampered), mlp, options));
      const loc = r.artifacts.validation.localization;
      expect(r.verdict).toBe('fail');
      expect(loc?.divergence?.layer).toBe(1);
      expect(loc?.layers[0]?.metrics.exactShare).toBe(1);
    } finally {
      await tampered.stop();
    }
  });

  it('fails when the user asks for more top-1 agreement than a scrambled board gives', async () => {
    // A board whose outputs come back reversed: always wrong top-1.
    const scrambled = patchBoard(board.client, {
      getOutput: async (i) => {
        const t = await board.client.getOutput(i);
        return { ...t, data: t.data.slice().reverse() };
      },
    });
    const r = okResult(
      await runFlow(flowDeps(scrambled, reference), mlp, {
        ...options,
        thresholds: { minTop1: 0.99 },
        localize: true,
      }),
    );
    const out = r.artifacts.validation.outputs[0];
    expect(r.verdict).toBe('fail');
    expect(out?.reason).toMatch(/top-1 agrees on/);
    // Every layer agrees on the board: the difference is after the last one.
    expect(r.artifacts.validation.localization?.divergence).toBeNull();
    expect(r.artifacts.validation.localization?.note).toContain('after the last layer');
  });
});

describe('failures keep what was done', () => {
  it('names unsupported operators at the package stage', async () => {
    const r = await runFlow(flowDeps(board.client, reference), kws, options);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.failure).toMatchObject({ stage: 'package', code: 'UNSUPPORTED_OPS' });
    expect(r.failure.unsupportedOps).toEqual(['CUSTOM:AudioSpectrogram', 'CUSTOM:Mfcc']);
    expect(r.artifacts.analysis?.layers.length).toBeGreaterThan(0);
    expect(r.artifacts.package).toBeUndefined();
  });

  it('rejects a file that is not a model', async () => {
    const r = await runFlow(flowDeps(board.client, reference), new Uint8Array(64), options);
    expect(!r.ok && r.failure.stage === 'package' && r.failure.code).toBe('BAD_MODEL');
  });

  it('stops at load when the arena does not fit, before uploading', async () => {
    const small = hostBoard(['--arena', '4096']);
    try {
      let uploads = 0;
      const counting = patchBoard(small.client, {
        loadPackage: (p, cb) => {
          uploads++;
          return small.client.loadPackage(p, cb);
        },
      });
      const r = await runFlow(flowDeps(counting, reference), cnn, options);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.failure).toMatchObject({ stage: 'load', code: 'BOARD_TOO_SMALL' });
      expect(r.failure.message).toMatch(/needs \d+ bytes of arena.*has 4096/);
      expect(uploads).toBe(0);
      expect(r.artifacts.board?.arenaCapacity).toBe(4096);
    } finally {
      await small.stop();
    }
  });

  it('names kernels the firmware lacks', async () => {
    const lacking = patchBoard(board.client, {
      kernels: async () => (await board.client.kernels()).filter((k) => k !== 10),
    });
    const r = await runFlow(flowDeps(lacking, reference), cnn, options);
    expect(!r.ok && r.failure.code).toBe('MISSING_KERNELS');
    expect(!r.ok && r.failure.missingKernels).toEqual(['SOFTMAX_S8']);
  });

  it('cancels mid-upload and keeps the analysis and package', async () => {
    const slow = hostBoard([], { maxPayload: 128 });
    try {
      const controller = new AbortController();
      const loadEvents: FlowProgress[] = [];
      const r = await runFlow(
        flowDeps(slow.client, reference),
        cnn,
        options,
        (p) => {
          if (p.stage === 'load' && p.done > 0 && p.done < p.total) {
            loadEvents.push(p);
            if (loadEvents.length === 3) controller.abort();
          }
        },
        controller.signal,
      );
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.failure).toMatchObject({ stage: 'load', code: 'CANCELLED' });
      expect(r.failure.message).toContain(`after ${loadEvents[2]?.done} of`);
      expect(r.artifacts.analysis).toBeDefined();
      expect(r.artifacts.package?.bytes.length).toBeGreaterThan(loadEvents[2]?.done ?? 0);
      expect(r.artifacts.inputs).toBeUndefined();
      // The board is still usable: the next run on it succeeds.
      const again = await runFlow(flowDeps(slow.client, reference), mlp, options);
      expect(again.ok).toBe(true);
    } finally {
      await slow.stop();
    }
  });

  it('cancels between input sets and keeps the outputs so far', async () => {
    const controller = new AbortController();
    const r = await runFlow(
      flowDeps(board.client, reference),
      mlp,
      { ...options, inputSets: 6 },
      (p) => {
        if (p.stage === 'validate' && p.message.startsWith('board: input set 2 ')) {
          controller.abort();
        }
      },
      controller.signal,
    );
    expect(!r.ok && r.failure.code).toBe('CANCELLED');
    expect(!r.ok && r.failure.stage).toBe('validate');
    expect(r.artifacts.actual).toHaveLength(2);
    expect(r.artifacts.expected).toHaveLength(6);
  });

  it('settles a cancelled run at once even while the board hangs in a request', async () => {
    const controller = new AbortController();
    let invoked = 0;
    const hanging = patchBoard(board.client, {
      invoke: () => {
        invoked++;
        queueMicrotask(() => controller.abort());
        return new Promise(() => {}); // never answers
      },
    });
    const r = await runFlow(
      flowDeps(hanging, reference),
      mlp,
      options,
      () => {},
      controller.signal,
    );
    expect(invoked).toBe(1);
    expect(!r.ok && r.failure).toMatchObject({ stage: 'validate', code: 'CANCELLED' });
    expect(!r.ok && r.failure.message).toContain('INVOKE');
  });

  it('reports a board that stops answering, naming the stage', async () => {
    const link = { silent: false };
    const flaky = hostBoard(
      [],
      { timeoutMs: 100, retries: 1, invokeTimeoutMs: 200 },
      goesSilent(() => link.silent),
    );
    try {
      // Silent once the package is on the board: validation is where it shows.
      const afterLoad = patchBoard(flaky.client, {
        loadPackage: async (p, cb) => {
          const r = await flaky.client.loadPackage(p, cb);
          link.silent = true;
          return r;
        },
      });
      const r = await runFlow(flowDeps(afterLoad, reference), mlp, options);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.failure).toMatchObject({ stage: 'validate', code: 'BOARD' });
      expect(r.failure.message).toMatch(/did not answer (GET|SET)_INPUT 0 .*within 100 ms/);
      expect(r.artifacts.load).toBeDefined();
      expect(r.artifacts.expected).toHaveLength(4);
      expect(r.artifacts.actual).toEqual([]);
      // Silent from the start: the load stage fails at INFO.
      const again = await runFlow(flowDeps(flaky.client, reference), mlp, options);
      expect(!again.ok && again.failure.stage).toBe('load');
      expect(!again.ok && again.failure.message).toMatch(/did not answer INFO/);
    } finally {
      await flaky.stop();
    }
  });
});

describe('judging outputs', () => {
  const model = (type: 'INT8' | 'FLOAT32', shape: number[]) =>
    ({
      subgraphs: [
        {
          tensors: [{ name: 'out', type, shape, quantization: null }],
          outputs: [0],
        },
      ],
    }) as unknown as Parameters<typeof judgeOutputs>[0];

  it('applies step and float thresholds over the default bounds', () => {
    expect(applyThresholds({ kind: 'exact' }, 'INT8', { steps: 2 })).toEqual({
      kind: 'steps',
      steps: 2,
    });
    expect(applyThresholds({ kind: 'steps', steps: 1 }, 'INT8', { steps: 0 })).toEqual({
      kind: 'exact',
    });
    expect(applyThresholds({ kind: 'none' }, 'INT8', { steps: 3 })).toEqual({ kind: 'none' });
    const f = applyThresholds({ kind: 'exact' }, 'FLOAT32', { floatRel: 1e-3 });
    // The near-zero floor (abs / rel) stays the default's 0.1.
    expect(f.kind === 'float' && f.tolerance.rel).toBe(1e-3);
    expect(f.kind === 'float' && f.tolerance.abs / f.tolerance.rel).toBeCloseTo(0.1, 12);
  });

  it('fails two steps by default and passes them under --steps 2', () => {
    const m = model('INT8', [1, 4]);
    const actual = [[Int8Array.of(0, 2, 0, 0)]];
    const expected = [[Int8Array.of(0, 0, 0, 0)]];
    const strict = judgeOutputs(m, [], actual, expected);
    expect(strict.pass).toBe(false);
    expect(strict.reason).toMatch(/max \|Δ\| 2 steps exceeds bit-exact/);
    expect(judgeOutputs(m, [], actual, expected, { steps: 2 }).pass).toBe(true);
    // Measured only: passes whatever the difference.
    expect(judgeOutputs(m, [], actual, expected, {}, true).pass).toBe(true);
  });

  it('requires top-1 agreement on classifier outputs when asked', () => {
    expect(isClassifier([1, 10])).toBe(true);
    expect(isClassifier([10])).toBe(true);
    expect(isClassifier([2, 10])).toBe(false);
    expect(isClassifier([1, 1])).toBe(false);
    const m = model('FLOAT32', [1, 3]);
    const expected = [[Float32Array.of(0.1, 0.8, 0.1)], [Float32Array.of(0.7, 0.2, 0.1)]];
    const actual = [[Float32Array.of(0.1, 0.8, 0.1)], [Float32Array.of(0.2, 0.7, 0.1)]];
    const v = judgeOutputs(m, [], actual, expected, { minTop1: 0.9 }, true);
    expect(v.outputs[0]?.classifier).toBe(true);
    expect(v.pass).toBe(false);
    expect(v.reason).toMatch(/top-1 agrees on 50\.0% of sets, below 90\.0%/);
    expect(judgeOutputs(m, [], actual, expected, { minTop1: 0.5 }, true).pass).toBe(true);
  });
});
