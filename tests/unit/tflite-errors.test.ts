// Bad input: each ModelError code, with a message that says what and where.
import { Builder } from 'flatbuffers';
import { describe, expect, it } from 'vitest';
import { ModelError, type ModelErrorCode } from '../../src/core/errors.ts';
import { readModel } from '../../src/core/tflite/read.ts';
import { writeModel } from '../../src/core/tflite/write.ts';
import { FlatReader, type Table } from '../../src/core/tflite/flat.ts';
import { ModelBuilder } from '../../src/core/tflite/build.ts';
import { sampleConvNet, sampleKitchenSink } from '../../src/core/tflite/samples.ts';
import type { Model } from '../../src/core/tflite/model.ts';

function expectError(bytes: Uint8Array, code: ModelErrorCode, message?: RegExp): ModelError {
  const r = readModel(bytes);
  expect(r.ok, 'expected the model to be rejected').toBe(false);
  if (r.ok) throw new Error('unreachable');
  expect(r.error).toBeInstanceOf(ModelError);
  expect(r.error.code, r.error.message).toBe(code);
  if (message) expect(r.error.message).toMatch(message);
  expect(r.error.message).not.toMatch(/internal/);
  return r.error;
}

/** Writes `model` after letting `edit` break a copy of it. */
function broken(edit: (m: Model) => void, base: Model = sampleConvNet()): Uint8Array {
  const m = structuredClone(base);
  edit(m);
  return writeModel(m);
}

const sg0 = (m: Model) => m.subgraphs[0] as Model['subgraphs'][number];

/** Tables of a written file, for patching bytes in place. */
function tensorTable(bytes: Uint8Array, index: number): Table {
  const root = new FlatReader(bytes).root();
  const sg = root.tables(2, 'subgraphs', String)[0] as Table;
  return sg.tables(0, 'tensors', String)[index] as Table;
}

const u32 = (bytes: Uint8Array, pos: number, v: number) =>
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(pos, v, true);

describe('file-level errors', () => {
  it('rejects an empty file', () => {
    expectError(new Uint8Array(0), 'EMPTY_FILE', /empty/);
  });

  it('rejects a file shorter than the header', () => {
    expectError(new Uint8Array([1, 2, 3, 4, 5]), 'TRUNCATED', /5 bytes/);
  });

  it('rejects a wrong file identifier, naming what it found', () => {
    const bytes = writeModel(sampleConvNet());
    bytes.set(new TextEncoder().encode('ONNX'), 4);
    expectError(bytes, 'BAD_IDENTIFIER', /expected file identifier TFL3, found "ONNX"/);
  });

  it('rejects a root offset past the end', () => {
    const bytes = writeModel(sampleConvNet());
    u32(bytes, 0, bytes.length + 100);
    expectError(bytes, 'OUT_OF_BOUNDS', /root table offset/);
  });

  it('rejects a truncated model', () => {
    const bytes = writeModel(sampleConvNet());
    const r = readModel(bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(['OUT_OF_BOUNDS', 'TOO_LARGE', 'MALFORMED']).toContain(r.error.code);
  });

  it('rejects a model with no subgraphs', () => {
    expectError(
      broken((m) => (m.subgraphs = [])),
      'NO_SUBGRAPH',
    );
  });
});

describe('structure errors', () => {
  it('rejects a vector length that cannot fit before allocating it', () => {
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'MARKER_TENSOR_NAME', type: 'INT8', shape: [4] });
    const y = b.addOutput({ name: 'y', type: 'INT8', shape: [4] });
    b.addOperator('RELU', [x], [y]);
    const bytes = writeModel(b.build());
    const at = Buffer.from(bytes).indexOf('MARKER_TENSOR_NAME');
    expect(at).toBeGreaterThan(4);
    u32(bytes, at - 4, 0x7fffffff);
    expectError(bytes, 'TOO_LARGE', /subgraph 0 tensor 0\.name: .*2147483647 elements/);
  });

  it('stops a file whose tables share one vector from expanding (quickly)', () => {
    // 20,000 tensors all pointing at one tensor with a 20,000-dim shape: 4e8
    // decoded dims from 160 kB if nothing bounded the work.
    const n = 20_000;
    const b = new Builder(1 << 20);
    b.startVector(4, n, 4);
    for (let i = 0; i < n; i++) b.addInt32(1);
    const shape = b.endVector();
    b.startObject(9);
    b.addFieldOffset(0, shape, 0);
    const tensor = b.endObject();
    b.startVector(4, n, 4);
    for (let i = 0; i < n; i++) b.addOffset(tensor);
    const tensors = b.endVector();
    b.startObject(5);
    b.addFieldOffset(0, tensors, 0);
    const subgraph = b.endObject();
    b.startVector(4, 1, 4);
    b.addOffset(subgraph);
    const subgraphs = b.endVector();
    b.startObject(8);
    b.addFieldInt32(0, 3, 0);
    b.addFieldOffset(2, subgraphs, 0);
    b.finish(b.endObject(), 'TFL3');
    const bytes = b.asUint8Array();
    const t0 = performance.now();
    expectError(bytes, 'TOO_LARGE', /decodes to far more data/);
    expect(performance.now() - t0).toBeLessThan(200);
  });

  it('rejects a vtable with an invalid size', () => {
    const bytes = writeModel(sampleConvNet());
    const root = new FlatReader(bytes).root().pos;
    const vt = root - new DataView(bytes.buffer).getInt32(root, true);
    new DataView(bytes.buffer).setUint16(vt, 3, true);
    expectError(bytes, 'MALFORMED', /vtable .* invalid size 3/);
  });

  it('rejects a vtable that points outside the file', () => {
    const bytes = writeModel(sampleConvNet());
    const root = new FlatReader(bytes).root().pos;
    new DataView(bytes.buffer).setInt32(root, -bytes.length, true);
    expectError(bytes, 'OUT_OF_BOUNDS', /model vtable/);
  });

  it('rejects an unknown tensor type', () => {
    const bytes = writeModel(sampleConvNet());
    const t = tensorTable(bytes, 0); // INT8, so its type field is present
    bytes[t.offsetOf(1)] = 42;
    expectError(bytes, 'MALFORMED', /subgraph 0 tensor 0 has unknown tensor type 42/);
  });

  it('rejects an unknown enum value in builtin options', () => {
    const bytes = writeModel(sampleConvNet());
    const root = new FlatReader(bytes).root();
    const sg = root.tables(2, 'subgraphs', String)[0] as Table;
    const conv = sg.tables(3, 'operators', String)[0] as Table;
    const options = conv.table(4, 'builtin_options') as Table;
    bytes[options.offsetOf(3)] = 9; // fused_activation_function (RELU6 in the sample)
    expectError(
      bytes,
      'MALFORMED',
      /operator 0: Conv2DOptions\.fusedActivationFunction has unknown value 9/,
    );
  });

  it('rejects buffer data (offset/size form) past the end of the file', () => {
    const bytes = writeModel(sampleConvNet(), { external: true });
    expectError(
      bytes.subarray(0, bytes.length - 1),
      'OUT_OF_BOUNDS',
      /buffer \d+ data \(offset\/size form\)/,
    );
  });
});

describe('shape errors', () => {
  it('rejects a negative dimension', () => {
    expectError(
      broken((m) => (sg0(m).tensors[2]!.shape = [1, -8, 8, 4])),
      'BAD_SHAPE',
      /subgraph 0 tensor 2: dimension 1 of shape \[1, -8, 8, 4\] is negative/,
    );
  });

  it('rejects an element count overflowing 2^31', () => {
    expectError(
      broken((m) => (sg0(m).tensors[2]!.shape = [65536, 32768])),
      'BAD_SHAPE',
      /2147483648 elements/,
    );
  });

  it('accepts exactly 2^31 - 1 elements and -1 in a shape signature', () => {
    const r = readModel(
      broken((m) => {
        sg0(m).tensors[2]!.shape = [2147483647];
        sg0(m).tensors[2]!.shapeSignature = [-1];
      }),
    );
    expect(r.ok).toBe(true);
  });

  it('rejects a shape signature below -1', () => {
    expectError(
      broken((m) => (sg0(m).tensors[0]!.shapeSignature = [1, -2, 8, 1])),
      'BAD_SHAPE',
      /shape signature/,
    );
  });
});

describe('reference errors', () => {
  it('rejects an operator input past the tensor count, naming op and counts', () => {
    const e = expectError(
      broken((m) => (sg0(m).operators[1]!.inputs[1] = 407)),
      'BAD_REFERENCE',
    );
    const n = sampleConvNet().subgraphs[0]!.tensors.length;
    expect(e.message).toBe(
      `subgraph 0 operator 1 (DEPTHWISE_CONV_2D) input 1 refers to tensor 407, but subgraph 0 has ${n} tensors`,
    );
  });

  it('rejects negative tensor indices other than -1', () => {
    expectError(
      broken((m) => (sg0(m).operators[0]!.inputs[2] = -2)),
      'BAD_REFERENCE',
      /input 2 refers to tensor -2/,
    );
  });

  it('rejects an operator output or intermediate out of range', () => {
    expectError(
      broken((m) => (sg0(m).operators[5]!.outputs[0] = 99)),
      'BAD_REFERENCE',
      /operator 5 \(SOFTMAX\) output 0 refers to tensor 99/,
    );
    expectError(
      broken((m) => (sg0(m).operators[0]!.intermediates = [0, 50])),
      'BAD_REFERENCE',
      /intermediate 1 refers to tensor 50/,
    );
  });

  it('rejects a subgraph input or output out of range', () => {
    expectError(
      broken((m) => (sg0(m).inputs = [77])),
      'BAD_REFERENCE',
      /subgraph 0 input 0 refers to tensor 77/,
    );
    expectError(
      broken((m) => (sg0(m).outputs = [0, 123])),
      'BAD_REFERENCE',
      /subgraph 0 output 1 refers to tensor 123/,
    );
  });

  it('rejects an opcode index out of range', () => {
    expectError(
      broken((m) => (sg0(m).operators[2]!.opcodeIndex = 40)),
      'BAD_REFERENCE',
      /operator 2 uses opcode 40, but the model has \d+ operator codes/,
    );
  });

  it('rejects a buffer index out of range', () => {
    expectError(
      broken((m) => (sg0(m).tensors[1]!.buffer = 500)),
      'BAD_REFERENCE',
      /tensor 1 \("conv\/w"\) refers to buffer 500/,
    );
  });

  it('rejects metadata and signature defs that point nowhere', () => {
    expectError(
      broken((m) => (m.metadata[0]!.buffer = 1000), sampleKitchenSink()),
      'BAD_REFERENCE',
      /metadata 0 \("min_runtime_version"\) refers to buffer 1000/,
    );
    expectError(
      broken((m) => (m.signatureDefs[0]!.subgraphIndex = 3), sampleKitchenSink()),
      'BAD_REFERENCE',
      /signature def 0 \("serving_default"\) refers to subgraph 3/,
    );
    expectError(
      broken((m) => (m.signatureDefs[0]!.outputs[0]!.tensorIndex = 999), sampleKitchenSink()),
      'BAD_REFERENCE',
      /signature def 0 output 0 \("cast"\) refers to tensor 999/,
    );
  });

  it('rejects control-flow options naming a missing subgraph', () => {
    const b = new ModelBuilder();
    const c = b.addInput({ name: 'c', type: 'BOOL', shape: [] });
    const y = b.addOutput({ name: 'y', type: 'FLOAT32', shape: [1] });
    b.addOperator('IF', [c], [y], { thenSubgraphIndex: 0, elseSubgraphIndex: 4 });
    expectError(
      writeModel(b.build()),
      'BAD_REFERENCE',
      /option elseSubgraphIndex refers to subgraph 4/,
    );
  });

  it('rejects reading a tensor that nothing produces and that has no value', () => {
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', type: 'INT8', shape: [4] });
    const ghost = b.addTensor({ name: 'ghost', type: 'INT8', shape: [4] });
    const y = b.addOutput({ name: 'y', type: 'INT8', shape: [4] });
    b.addOperator('ADD', [x, ghost], [y]);
    expectError(
      writeModel(b.build()),
      'BAD_REFERENCE',
      /input 1 reads tensor 1 \("ghost"\), which no operator produces/,
    );
  });

  it('accepts unproduced tensors that are inputs, constants, variables or empty', () => {
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', type: 'INT8', shape: [4] });
    const k = b.addTensor({ name: 'k', type: 'INT8', shape: [4], data: [1, 2, 3, 4] });
    const v = b.addTensor({ name: 'state', type: 'INT8', shape: [4], isVariable: true });
    const e = b.addTensor({ name: 'empty', type: 'INT8', shape: [0] });
    const y = b.addOutput({ name: 'y', type: 'INT8', shape: [4] });
    b.addOperator('ADD_N', [x, k, v, e, -1], [y]);
    expect(readModel(writeModel(b.build())).ok).toBe(true);
  });

  it('rejects a graph output that nothing produces', () => {
    expectError(
      broken((m) => sg0(m).operators.pop()),
      'BAD_REFERENCE',
      /subgraph 0 output 0 is tensor \d+ \("probs"\), which no operator produces/,
    );
  });
});

describe('order errors', () => {
  it('rejects a tensor produced by two operators', () => {
    expectError(
      broken((m) => (sg0(m).operators[3]!.outputs = [sg0(m).operators[1]!.outputs[0] as number])),
      'CYCLE',
      /tensor \d+ \("dw\/out"\) is produced by both operator 1 and operator 3/,
    );
  });

  it('rejects operators out of execution order', () => {
    expectError(
      broken((m) => sg0(m).operators.reverse()),
      'CYCLE',
      /operator 0 \(SOFTMAX\) input 0 reads tensor \d+, which operator 1 produces/,
    );
  });

  it('rejects an operator reading its own output', () => {
    expectError(
      broken((m) => (sg0(m).operators[2]!.inputs = [...sg0(m).operators[2]!.outputs])),
      'CYCLE',
      /operator 2 \(AVERAGE_POOL_2D\) input 0 reads tensor \d+, which operator 2 produces/,
    );
  });
});
