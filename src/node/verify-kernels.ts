// verify:kernels: every kernel, three ways in. Shared third-party models, the
// fixed single-op catalogue and seeded random single-op models each run the
// same seeded inputs through the model package on a device (the host C
// runtime here) and through TFLite (tfjs-tflite in Chromium); the seanet
// golden vectors go through the device alone. The device is injected, so the
// same loop can later check the virtual board or a real board.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyzeModel } from '../core/analysis/analyze.ts';
import { buildPackage } from '../core/package/build-package.ts';
import type { KernelName } from '../core/package/kernel-ids.ts';
import { prepareReferenceModel } from '../core/reference/normalize.ts';
import { catalogueCases } from '../core/testgen/catalogue.ts';
import { randomCase } from '../core/testgen/random.ts';
import type { OpCase } from '../core/testgen/types.ts';
import type { Model } from '../core/tflite/model.ts';
import { readModel } from '../core/tflite/read.ts';
import { writeModel } from '../core/tflite/write.ts';
import { generateInputSets, type InputSpec } from '../core/validate/inputs.ts';
import type { Quant } from '../core/validate/metrics.ts';
import { inputSpecsFor } from '../core/validate/model-inputs.ts';
import {
  bytesOfData,
  dataFromBytes,
  elementBytes,
  isNumericType,
  type TensorData,
} from '../core/validate/tensor-data.ts';
import { judge, type Verdict } from '../core/validate/verify.ts';
import { loosenedKernels } from '../core/validate/bounds.ts';
import { extractLayer } from '../core/validate/layer-model.ts';
import { opName } from '../core/tflite/ops.ts';
import type { ReferenceSession } from './reference-chromium.ts';

/** Runs a package on N samples (inputs back to back); outputs the same way. */
export type DeviceRunner = (
  pkg: Uint8Array,
  inputs: Uint8Array,
) => Promise<{ ok: true; outputs: Uint8Array } | { ok: false; error: string }>;

export type SubjectKind = 'shared' | 'golden' | 'catalogue' | 'random';

export interface SubjectResult {
  kind: SubjectKind;
  /** Row the result is printed in (results of one row are merged). */
  group: string;
  name: string;
  status: 'pass' | 'fail' | 'unsupported' | 'error';
  /** Unsupported ops, or what went wrong. */
  detail: string;
  kernels: KernelName[];
  sets: number;
  verdict: Verdict | null;
  /** Layer by layer (multi-layer shared models). */
  layers?: LayerResult[];
  /** How to run just this subject again. */
  repro: string;
}

export interface VerifyOptions {
  device: DeviceRunner;
  reference: ReferenceSession;
  /** Seed for inputs and random models. */
  seed: number;
  /** Input sets per model. */
  sets: number;
  /** Random single-op models. */
  randomCases: number;
  /** Only this random case index (replay). */
  randomIndex?: number;
  catalogue: boolean;
  /** Shared models folder (null: skip shared models and goldens). */
  sharedDir: string | null;
  /** Only subjects whose name contains this. */
  filter?: string;
  onResult?: (r: SubjectResult) => void;
}

interface Subject {
  kind: SubjectKind;
  group: string;
  name: string;
  model: Model;
  bytes: Uint8Array;
  inputs: InputSpec[];
  /** For single-op cases: the kernel the case was made for. */
  expectKernel?: KernelName;
  repro: string;
}

function outputTensors(model: Model) {
  const sg = model.subgraphs[0];
  return (sg?.outputs ?? []).map((t) => sg?.tensors[t]);
}

function joinBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Splits the device's output bytes into [set][output] typed arrays. */
function splitOutputs(model: Model, bytes: Uint8Array, sets: number): TensorData[][] {
  const outs = outputTensors(model).map((t) => {
    if (!t || !isNumericType(t.type)) throw new Error(`output type ${t?.type} not comparable`);
    return { type: t.type, bytes: t.shape.reduce((a, b) => a * b, 1) * elementBytes(t.type) };
  });
  const perSet = outs.reduce((n, o) => n + o.bytes, 0);
  if (bytes.byteLength !== perSet * sets) {
    throw new Error(`device returned ${bytes.byteLength} bytes, expected ${perSet * sets}`);
  }
  let at = 0;
  return Array.from({ length: sets }, () =>
    outs.map((o) => {
      const t = dataFromBytes(o.type, bytes.subarray(at, at + o.bytes));
      at += o.bytes;
      return t;
    }),
  );
}

function outputQuant(model: Model): (Quant | null)[] {
  return outputTensors(model).map((t) => {
    const q = t?.quantization;
    if (!q || q.scale.length !== 1 || t.type === 'FLOAT32') return null;
    return { scale: q.scale[0] as number, zeroPoint: q.zeroPoint[0] ?? 0 };
  });
}

type Packaged =
  | { ok: true; bytes: Uint8Array; layers: { sourceOp: number; op: string; kernel: KernelName }[] }
  | { ok: false; unsupported: boolean; detail: string };

export function packageModel(model: Model, fileBytes: number): Packaged {
  const plan = analyzeModel(model, fileBytes).memory;
  const built = buildPackage(model, plan);
  if (!built.ok) {
    const e = built.error;
    if (e.code === 'UNSUPPORTED_OPS') {
      const ops = [...new Set(e.unsupported.map((u) => u.op))];
      return { ok: false, unsupported: true, detail: `unsupported: ${ops.join(', ')}` };
    }
    return { ok: false, unsupported: false, detail: `${e.code}: ${e.message}` };
  }
  return { ok: true, bytes: built.value.bytes, layers: built.value.layers };
}

const kernelsOf = (p: Packaged): KernelName[] =>
  p.ok ? [...new Set(p.layers.map((l) => l.kernel))] : [];

/** Both sides on the same inputs: device outputs and TFLite's, split per set. */
async function runBoth(
  model: Model,
  bytes: Uint8Array,
  packaged: Extract<Packaged, { ok: true }>,
  inputSets: TensorData[][],
  o: VerifyOptions,
): Promise<
  { ok: true; actual: TensorData[][]; expected: TensorData[][] } | { ok: false; error: string }
> {
  const { bytes: refModel, extraInputs } = prepareReferenceModel(bytes);
  // Start TFLite first: it works in the browser while the device runs.
  const refPromise = o.reference.run({ model: refModel, inputSets, extraInputs });
  const dev = await o.device(packaged.bytes, joinBytes(inputSets.flat().map(bytesOfData)));
  const ref = await refPromise;
  if (!ref.ok) return { ok: false, error: `TFLite: ${ref.error}` };
  if (!dev.ok) return { ok: false, error: `device: ${dev.error}` };
  try {
    return {
      ok: true,
      actual: splitOutputs(model, dev.outputs, inputSets.length),
      expected: ref.outputSets,
    };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

const judgeOptions = (model: Model, packaged: Extract<Packaged, { ok: true }>) => ({
  loosened: loosenedKernels(model, packaged.layers),
  quant: outputQuant(model),
  rowLength: outputTensors(model).map((t) => t?.shape.at(-1)),
});

export interface LayerResult {
  index: number;
  op: string;
  kernel: KernelName | null;
  pass: boolean;
  detail: string;
  verdict: Verdict | null;
}

/** Bytes of intermediate activations exchanged per layer-wise input set at most. */
const LAYER_BUDGET = 48 << 20;

/**
 * Each layer alone, on TFLite's own activations for its inputs, judged with
 * the single-op bound of its kernel. A difference in one layer cannot hide
 * behind (or be blamed on) another.
 */
async function verifyLayers(
  s: Subject,
  inputSets: TensorData[][],
  o: VerifyOptions,
): Promise<LayerResult[]> {
  const sg = s.model.subgraphs[0];
  if (!sg) return [];
  const exposed = prepareReferenceModel(s.bytes, { exposeIntermediates: true });
  const perSet = exposed.outputs.reduce((n, t) => {
    const tensor = sg.tensors[t];
    return (
      n +
      (tensor && isNumericType(tensor.type)
        ? tensor.shape.reduce((a, b) => a * b, 1) * elementBytes(tensor.type)
        : 0)
    );
  }, 0);
  const sets = inputSets.slice(
    0,
    Math.max(1, Math.min(inputSets.length, Math.floor(LAYER_BUDGET / Math.max(1, perSet)))),
  );
  const ref = await o.reference.run({
    model: exposed.bytes,
    inputSets: sets,
    extraInputs: exposed.extraInputs,
  });
  if (!ref.ok)
    return [
      {
        index: -1,
        op: '',
        kernel: null,
        pass: false,
        detail: `TFLite: ${ref.error}`,
        verdict: null,
      },
    ];
  const activation = (t: number, set: number): TensorData | undefined => {
    const k = sg.inputs.indexOf(t);
    if (k >= 0) return sets[set]?.[k];
    const j = exposed.outputs.indexOf(t);
    return j >= 0 ? ref.outputSets[set]?.[j] : undefined;
  };
  const results: LayerResult[] = [];
  for (const [index, op] of sg.operators.entries()) {
    const layer = extractLayer(s.model, index);
    const name = opName(s.model, op.opcodeIndex);
    const fail = (detail: string): void => {
      results.push({ index, op: name, kernel: null, pass: false, detail, verdict: null });
    };
    const bytes = writeModel(layer.model);
    const packaged = packageModel(layer.model, bytes.byteLength);
    if (!packaged.ok) {
      fail(packaged.detail);
      continue;
    }
    const layerSets = sets.map((_, k) => layer.sourceInputs.map((t) => activation(t, k)));
    if (layerSets.some((set) => set.some((t) => t === undefined))) {
      fail('activations missing from the reference run');
      continue;
    }
    const run = await runBoth(layer.model, bytes, packaged, layerSets as TensorData[][], o);
    if (!run.ok) {
      fail(run.error);
      continue;
    }
    const verdict = judge(run.actual, run.expected, judgeOptions(layer.model, packaged));
    const worst = verdict.outputs.find((v) => !v.pass);
    results.push({
      index,
      op: name,
      kernel: packaged.layers[0]?.kernel ?? null,
      pass: verdict.pass,
      detail: worst ? `max |Δ| ${worst.metrics.maxAbsDiff} at input set ${worst.worstSet}` : '',
      verdict,
    });
  }
  return results;
}

async function verifySubject(s: Subject, o: VerifyOptions): Promise<SubjectResult> {
  const base = { kind: s.kind, group: s.group, name: s.name, repro: s.repro };
  const packaged = packageModel(s.model, s.bytes.byteLength);
  if (!packaged.ok) {
    return {
      ...base,
      // A catalogue or random case exists to exercise a kernel we claim.
      status: packaged.unsupported && s.kind === 'shared' ? 'unsupported' : 'error',
      detail: packaged.detail,
      kernels: [],
      sets: 0,
      verdict: null,
    };
  }
  const kernels = kernelsOf(packaged);
  const result = (
    status: SubjectResult['status'],
    detail: string,
    verdict: Verdict | null = null,
    layers?: LayerResult[],
  ): SubjectResult => ({
    ...base,
    status,
    detail,
    kernels,
    sets: o.sets,
    verdict,
    ...(layers ? { layers } : {}),
  });
  if (s.expectKernel && !kernels.includes(s.expectKernel)) {
    return result('error', `packaged with ${kernels.join(', ')}, not ${s.expectKernel}`);
  }
  const inputSets = generateInputSets(s.inputs, o.sets, o.seed);
  const run = await runBoth(s.model, s.bytes, packaged, inputSets, o);
  if (!run.ok) return result('error', run.error);
  const options = judgeOptions(s.model, packaged);
  // A multi-layer model with a loosened kernel has no end-to-end bound (one
  // step early on can grow through later layers): its layers are judged.
  const layered = packaged.layers.length > 1 && s.kind === 'shared';
  const verdict = judge(run.actual, run.expected, {
    ...options,
    unbounded: layered && options.loosened.length > 0,
  });
  const layers = layered ? await verifyLayers(s, inputSets, o) : undefined;
  const badLayers = (layers ?? []).filter((l) => !l.pass);
  const worst = verdict.outputs.find((v) => !v.pass);
  const details = [
    worst
      ? `output ${worst.index}: max |Δ| ${worst.metrics.maxAbsDiff}, worst at input set ${worst.worstSet}`
      : '',
    ...badLayers.map(
      (l) => `layer ${l.index} ${l.op}${l.kernel ? ` (${l.kernel})` : ''}: ${l.detail}`,
    ),
  ].filter(Boolean);
  const pass = verdict.pass && badLayers.length === 0;
  return result(pass ? 'pass' : 'fail', details.join('; '), verdict, layers);
}

function walkTflite(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walkTflite(p));
    else if (name.endsWith('.tflite')) out.push(p);
  }
  return out;
}

function sharedSubjects(dir: string, o: VerifyOptions): (Subject | SubjectResult)[] {
  return walkTflite(dir).map((path): Subject | SubjectResult => {
    const name = relative(dir, path);
    // seanet's per-op models are many and alike: one row per folder.
    const group = name.startsWith('seanet/') ? name.slice(0, name.lastIndexOf('/')) : name;
    const repro = `--only ${name} --seed ${o.seed}`;
    const bytes = new Uint8Array(readFileSync(path));
    const read = readModel(bytes);
    const fail = (detail: string): SubjectResult => ({
      kind: 'shared',
      group,
      name,
      status: 'error',
      detail,
      kernels: [],
      sets: 0,
      verdict: null,
      repro,
    });
    if (!read.ok) return fail(read.error.message);
    const specs = inputSpecsFor(read.value);
    if (specs.problem) return fail(specs.problem);
    return { kind: 'shared', group, name, model: read.value, bytes, inputs: specs.specs, repro };
  });
}

function caseSubject(
  c: OpCase,
  kind: 'catalogue' | 'random',
  group: string,
  repro: string,
): Subject {
  return {
    kind,
    group,
    name: c.name,
    model: c.model,
    bytes: writeModel(c.model),
    inputs: c.inputs,
    expectKernel: c.kernel,
    repro,
  };
}

const csv = (path: string): number[] =>
  readFileSync(path, 'utf8')
    .split(/[,\s]+/)
    .filter((x) => x.length > 0)
    .map(Number);

/** A CSV vector file (one tensor, comma-separated integers) as typed data. */
function readVector(path: string): TensorData | null {
  const type = /_(int8|int16|int32)\.csv$/.exec(path)?.[1]?.toUpperCase();
  if (!type || !isNumericType(type)) return null;
  const values = csv(path);
  const out = dataFromBytes(type, new Uint8Array(values.length * elementBytes(type)));
  out.set(values);
  return out;
}

/** seanet golden vectors: recorded inputs through the device, exact match. */
async function goldenResults(dir: string, o: VerifyOptions, emit: (r: SubjectResult) => void) {
  const root = join(dir, 'seanet');
  const files = statSync(root, { throwIfNoEntry: false })?.isDirectory() ? walkTflite(root) : [];
  for (const path of files) {
    const name = `${relative(dir, path)} golden`;
    if (o.filter && !name.includes(o.filter)) continue;
    const folder = path.slice(0, path.lastIndexOf('/'));
    const stem = path.slice(folder.length + 1, -'.tflite'.length);
    const base = {
      kind: 'golden' as const,
      group: `${relative(dir, folder)} golden`,
      name,
      repro: `--only ${relative(dir, path)}`,
      sets: 1,
    };
    const error = (detail: string, kernels: KernelName[] = []): void =>
      emit({ ...base, status: 'error', detail, kernels, verdict: null });
    const bytes = new Uint8Array(readFileSync(path));
    const read = readModel(bytes);
    if (!read.ok) {
      error(read.error.message);
      continue;
    }
    const model = read.value;
    const listing = readdirSync(folder);
    const vector = (prefix: string): TensorData | null => {
      const file = listing.find((f) => f.startsWith(prefix));
      return file ? readVector(join(folder, file)) : null;
    };
    const inputs = (model.subgraphs[0]?.inputs ?? []).map((_, i) => vector(`${stem}_input${i}_`));
    const golden = vector(`${stem}_golden_`);
    const packaged = packageModel(model, bytes.byteLength);
    if (!packaged.ok) {
      error(packaged.detail);
      continue;
    }
    if (!golden || inputs.some((x) => x === null)) {
      error('golden vectors incomplete', kernelsOf(packaged));
      continue;
    }
    const dev = await o.device(
      packaged.bytes,
      joinBytes((inputs as TensorData[]).map(bytesOfData)),
    );
    if (!dev.ok) {
      error(`device: ${dev.error}`, kernelsOf(packaged));
      continue;
    }
    let actual: TensorData[][];
    try {
      actual = splitOutputs(model, dev.outputs, 1);
    } catch (e) {
      error((e as Error).message, kernelsOf(packaged));
      continue;
    }
    // Goldens are exact whatever the kernel: TFLite's reference kernels,
    // which ours follow, produced them.
    const verdict = judge(actual, [[golden]], { loosened: [] });
    emit({
      ...base,
      status: verdict.pass ? 'pass' : 'fail',
      detail: '',
      kernels: kernelsOf(packaged),
      verdict,
    });
  }
}

export async function verifyKernels(o: VerifyOptions): Promise<SubjectResult[]> {
  const results: SubjectResult[] = [];
  const emit = (r: SubjectResult): void => {
    results.push(r);
    o.onResult?.(r);
  };
  const subjects: (Subject | SubjectResult)[] = [];
  if (o.sharedDir) subjects.push(...sharedSubjects(o.sharedDir, o));
  if (o.catalogue) {
    for (const c of catalogueCases()) {
      subjects.push(caseSubject(c, 'catalogue', c.name, `--only ${c.name} --seed ${o.seed}`));
    }
  }
  const indices =
    o.randomIndex !== undefined
      ? [o.randomIndex]
      : Array.from({ length: o.randomCases }, (_, i) => i);
  for (const i of indices) {
    const c = randomCase(o.seed, i);
    subjects.push(
      caseSubject(c, 'random', `random/${c.kernel.toLowerCase()}`, `--seed ${o.seed} --case ${i}`),
    );
  }
  for (const s of subjects) {
    if (o.filter && !s.name.includes(o.filter)) continue;
    emit('model' in s ? await verifySubject(s, o) : s);
  }
  if (o.sharedDir && o.randomIndex === undefined) await goldenResults(o.sharedDir, o, emit);
  return results;
}
