// Model + memory plan -> model package. Every operator is planned by its
// kernel planner (kernels/index.ts), which does the set-up maths on the
// host; this module only gathers tensors, lays out the constant region and
// serialises. It refuses, naming every unsupported op at once, rather than
// produce a package the runtime would reject.
import { constantData, isConstant } from '../analysis/tensors.ts';
import type { MemoryBlock, MemoryPlan } from '../analysis/types.ts';
import { err, ok, type Result } from '../errors.ts';
import type { Model, Subgraph, Tensor } from '../tflite/model.ts';
import { opName } from '../tflite/ops.ts';
import {
  ALIGN,
  FORMAT_VERSION,
  MAX_DIM,
  MAX_OP_INPUTS,
  MAX_OP_OUTPUTS,
  MAX_PARAM_WORDS,
  MAX_RANK,
  PACKAGE_DTYPES,
  alignUp,
  isPackageDtype,
} from './format.ts';
import { KERNEL_IDS, type KernelName } from './kernel-ids.ts';
import {
  isUnsupported,
  type KernelPlan,
  type OpContext,
  type ParamWord,
  type PlanKernel,
  type Unsupported,
} from './kernel-plan.ts';
import { kernelRegistry } from './kernels/index.ts';
import { PackageError, type PackageErrorCode } from './package-error.ts';
import type { PackageContents, PackageOp, PackageTensor } from './package-types.ts';
import { writePackage } from './write-package.ts';

/** One layer of the package: what it runs and where it came from. */
export interface PackageLayer {
  index: number;
  /** TFLite operator index. */
  sourceOp: number;
  /** TFLite op name ('CONV_2D'). */
  op: string;
  kernel: KernelName;
}

export interface PackageBuild {
  bytes: Uint8Array;
  contents: PackageContents;
  layers: PackageLayer[];
}

export interface BuildOptions {
  /** Planners by op name (default: the kernel registry). */
  kernels?: Readonly<Record<string, PlanKernel>>;
}

class Fail {
  constructor(
    readonly code: PackageErrorCode,
    readonly message: string,
  ) {}
}

const fail = (code: PackageErrorCode, message: string): never => {
  throw new Fail(code, message);
};

const U32_LIMIT = 2 ** 32;

export function buildPackage(
  model: Model,
  plan: MemoryPlan,
  options: BuildOptions = {},
): Result<PackageBuild, PackageError> {
  const sg = model.subgraphs[0];
  if (!sg) return err(new PackageError('NO_SUBGRAPH', 'the model has no subgraph'));
  const planned = planOps(model, sg, options.kernels ?? kernelRegistry);
  if (!Array.isArray(planned)) return err(planned);
  try {
    return ok(assemble(model, sg, plan, planned));
  } catch (e) {
    if (e instanceof Fail) return err(new PackageError(e.code, e.message));
    throw e;
  }
}

interface PlannedOp {
  index: number;
  name: string;
  plan: KernelPlan;
}

/** Plans every op; either all plans or one error naming every unsupported op. */
function planOps(
  model: Model,
  sg: Subgraph,
  registry: Readonly<Record<string, PlanKernel>>,
): PlannedOp[] | PackageError {
  const unsupported: (Unsupported & { layer: number })[] = [];
  const planned: PlannedOp[] = [];
  sg.operators.forEach((op, index) => {
    const name = opName(model, op.opcodeIndex);
    const planner = Object.hasOwn(registry, name) ? registry[name] : undefined;
    if (!planner) {
      unsupported.push({ layer: index, op: name, reason: 'no kernel for this operator' });
      return;
    }
    const ctx: OpContext = {
      model,
      subgraph: sg,
      index,
      op,
      opName: name,
      inputs: op.inputs.map((t) => (t >= 0 ? (sg.tensors[t] ?? null) : null)),
      outputs: op.outputs.flatMap((t) => sg.tensors[t] ?? []),
      constData: (t) => {
        const tensor = sg.tensors[t];
        return tensor ? constantData(model, tensor) : null;
      },
    };
    let result: KernelPlan | Unsupported;
    try {
      result = planner(ctx);
    } catch (e) {
      // A planner bug must not take the app down: report it on its layer.
      result = { op: name, reason: `kernel planner failed: ${(e as Error).message}` };
    }
    if (isUnsupported(result)) unsupported.push({ layer: index, ...result });
    else planned.push({ index, name, plan: result });
  });
  if (unsupported.length === 0) return planned;
  const lines = unsupported.map((u) => `layer ${u.layer} ${u.op}: ${u.reason}`);
  const ops = [...new Set(unsupported.map((u) => u.op))].join(', ');
  return new PackageError(
    'UNSUPPORTED_OPS',
    `cannot package: no kernel for ${ops}\n${lines.join('\n')}`,
    unsupported,
  );
}

/** The constant region under construction: 16-byte aligned chunks. */
class ConstRegion {
  private readonly chunks: { offset: number; bytes: Uint8Array }[] = [];
  private end = 0;

  add(bytes: Uint8Array): number {
    const offset = alignUp(this.end, ALIGN);
    this.chunks.push({ offset, bytes });
    this.end = offset + bytes.length;
    if (this.end >= U32_LIMIT) fail('TOO_LARGE', 'constants exceed 4 GiB');
    return offset;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(alignUp(this.end, ALIGN));
    for (const c of this.chunks) out.set(c.bytes, c.offset);
    return out;
  }
}

function assemble(model: Model, sg: Subgraph, plan: MemoryPlan, ops: PlannedOp[]): PackageBuild {
  const blocks = new Map<number, MemoryBlock>(plan.blocks.map((b) => [b.tensor, b]));
  const constants = new ConstRegion();
  const byBuffer = new Map<number, number>();
  const tensors: PackageTensor[] = [];
  const indexOf = new Map<number, number>();

  const tensorIndex = (t: number): number => {
    const known = indexOf.get(t);
    if (known !== undefined) return known;
    const tensor = sg.tensors[t];
    if (!tensor) return fail('BAD_PLAN', `tensor ${t} does not exist`);
    const record = describeTensor(model, tensor, t, blocks, plan, constants, byBuffer);
    tensors.push(record);
    indexOf.set(t, tensors.length - 1);
    return tensors.length - 1;
  };
  const arenaTensor = (t: number, role: string): number => {
    const i = tensorIndex(t);
    if (tensors[i]?.kind === 'const') {
      fail('BAD_PLAN', `tensor '${sg.tensors[t]?.name}' is constant but is a ${role}`);
    }
    return i;
  };

  const inputs = sg.inputs.map((t) => arenaTensor(t, 'graph input'));
  let scratchBytes = 0;
  const packageOps: PackageOp[] = ops.map(({ index, name, plan: kp }) => {
    const op = sg.operators[index] as Subgraph['operators'][number];
    const where = `layer ${index} ${name}`;
    const kernelId = Object.hasOwn(KERNEL_IDS, kp.kernel) ? KERNEL_IDS[kp.kernel] : undefined;
    if (kernelId === undefined) return fail('BAD_PLAN', `${where}: unknown kernel ${kp.kernel}`);
    const selection = kp.inputs ?? op.inputs.map((_, i) => i);
    const opInputs = selection.map((pos) => {
      if (pos === -1) return -1;
      const t = op.inputs[pos];
      if (t === undefined) return fail('BAD_PLAN', `${where}: has no input ${pos}`);
      return t < 0 ? -1 : tensorIndex(t);
    });
    const opOutputs = op.outputs.map((t) => arenaTensor(t, `${where} output`));
    if (
      opInputs.length > MAX_OP_INPUTS ||
      opOutputs.length < 1 ||
      opOutputs.length > MAX_OP_OUTPUTS
    ) {
      fail('BAD_PLAN', `${where}: ${opInputs.length} inputs, ${opOutputs.length} outputs`);
    }
    if (kp.params.length > MAX_PARAM_WORDS) fail('TOO_LARGE', `${where}: too many param words`);
    if (!Number.isInteger(kp.scratchBytes) || kp.scratchBytes < 0) {
      fail('BAD_PLAN', `${where}: scratch ${kp.scratchBytes}`);
    }
    scratchBytes = Math.max(scratchBytes, kp.scratchBytes);
    const arrays: PackageOp['arrays'] = [];
    const params = kp.params.map((w, k) => paramWord(w, k, where, constants, arrays));
    return { kernelId, sourceOp: index, inputs: opInputs, outputs: opOutputs, params, arrays };
  });
  const outputs = sg.outputs.map((t) => arenaTensor(t, 'graph output'));
  if (outputs.length === 0) fail('BAD_PLAN', 'the model has no outputs');
  if (plan.arenaBytes >= U32_LIMIT || scratchBytes >= U32_LIMIT)
    fail('TOO_LARGE', 'arena over 4 GiB');

  const contents: PackageContents = {
    version: FORMAT_VERSION,
    tensors,
    ops: packageOps,
    inputs,
    outputs,
    constData: constants.bytes(),
    arenaBytes: plan.arenaBytes,
    scratchBytes,
  };
  const bytes = writePackage(contents);
  if (bytes.length >= U32_LIMIT) fail('TOO_LARGE', 'package over 4 GiB');
  const layers = ops.map(({ index, name, plan: kp }, i) => ({
    index: i,
    sourceOp: index,
    op: name,
    kernel: kp.kernel,
  }));
  return { bytes, contents, layers };
}

function describeTensor(
  model: Model,
  tensor: Tensor,
  t: number,
  blocks: Map<number, MemoryBlock>,
  plan: MemoryPlan,
  constants: ConstRegion,
  byBuffer: Map<number, number>,
): PackageTensor {
  const what = `tensor ${t} '${tensor.name}'`;
  const dtype = tensor.type;
  if (!isPackageDtype(dtype))
    return fail('BAD_TENSOR_TYPE', `${what} is ${dtype}: the runtime has no such type`);
  const shape = tensor.shape;
  if (shape.length > MAX_RANK || shape.some((d) => !Number.isInteger(d) || d < 1 || d > MAX_DIM)) {
    fail(
      'BAD_SHAPE',
      `${what} has shape [${shape.join(', ')}]: dims must be 1..${MAX_DIM}, rank <= ${MAX_RANK}`,
    );
  }
  const bytes = shape.reduce((n, d) => n * d, 1) * PACKAGE_DTYPES[dtype].size;
  if (bytes >= U32_LIMIT) fail('TOO_LARGE', `${what} is over 4 GiB`);
  const q = tensor.quantization;
  // Per-channel parameters belong to the kernel's params, not the tensor.
  const perTensor = q !== null && q.scale.length === 1;
  const base = {
    dtype,
    shape: [...shape],
    bytes,
    zeroPoint: perTensor ? (q.zeroPoint[0] ?? 0) : 0,
    scale: perTensor ? Math.fround(q.scale[0] ?? 0) : 0,
    source: t,
  };
  const data = constantData(model, tensor);
  if (tensor.isVariable) {
    if (data && data.some((b) => b !== 0))
      fail('BAD_PLAN', `${what}: variable with a non-zero initial value`);
    return { ...base, kind: 'state', offset: planned(what, t, bytes, blocks, plan) };
  }
  if (isConstant(model, tensor) && data) {
    if (data.length !== bytes)
      fail('BAD_PLAN', `${what} holds ${data.length} bytes, its shape needs ${bytes}`);
    let offset = byBuffer.get(tensor.buffer);
    if (offset === undefined) {
      offset = constants.add(data);
      byBuffer.set(tensor.buffer, offset);
    }
    return { ...base, kind: 'const', offset };
  }
  return { ...base, kind: 'arena', offset: planned(what, t, bytes, blocks, plan) };
}

/** The tensor's arena offset from the memory plan, checked against its size. */
function planned(
  what: string,
  t: number,
  bytes: number,
  blocks: Map<number, MemoryBlock>,
  plan: MemoryPlan,
): number {
  const b = blocks.get(t);
  if (!b) return fail('NOT_PLANNED', `${what} has no place in the memory plan`);
  if (b.bytes !== bytes)
    fail('NOT_PLANNED', `${what}: the plan gives ${b.bytes} bytes, it needs ${bytes}`);
  if (b.offset % ALIGN !== 0 || b.offset + bytes > plan.arenaBytes) {
    fail(
      'BAD_PLAN',
      `${what}: planned at ${b.offset}, outside or misaligned in a ${plan.arenaBytes}-byte arena`,
    );
  }
  return b.offset;
}

function paramWord(
  w: ParamWord,
  k: number,
  where: string,
  constants: ConstRegion,
  arrays: PackageOp['arrays'],
): number {
  if (typeof w === 'number') {
    if (!Number.isInteger(w) || w < -(2 ** 31) || w >= U32_LIMIT) {
      fail('BAD_PLAN', `${where}: param ${k} = ${w} is not a 32-bit integer`);
    }
    return w >>> 0;
  }
  if ('f32' in w) {
    const dv = new DataView(new ArrayBuffer(4));
    dv.setFloat32(0, w.f32, true);
    return dv.getUint32(0, true);
  }
  // Typed arrays are little-endian on every host we run on (as the target).
  const a = w.array;
  const offset = constants.add(new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice());
  arrays.push({ word: k, bytes: a.byteLength });
  return offset;
}
