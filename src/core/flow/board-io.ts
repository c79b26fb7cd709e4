// Moving tensors between the flow and a board: which package input is which
// model input, and reading a board tensor back as typed data.
import type { PackageBuild } from '../package/build-package.ts';
import type { TensorData as BoardTensor } from '../rpc/client.ts';
import type { Model } from '../tflite/model.ts';
import {
  bytesOfData,
  dataFromBytes,
  elementBytes,
  isNumericType,
  type NumericType,
  type TensorData,
} from '../validate/tensor-data.ts';
import { checkAbort, stop } from './failure.ts';
import type { FlowBoard, FlowProgressCallback, FlowStage } from './types.ts';

export interface BoardIo {
  /** Per package input: the position of its tensor among the model's inputs. */
  inputs: number[];
  /** Per model output (in subgraph order): the package output index that holds it. */
  outputs: number[];
  /** Per model output: its element type. */
  outputTypes: NumericType[];
}

export function boardIo(model: Model, build: PackageBuild): BoardIo {
  const sg = model.subgraphs[0];
  if (!sg) return stop('validate', 'BAD_MODEL', 'the model has no subgraph');
  const { tensors, inputs, outputs } = build.contents;
  const sourceOf = (t: number): number => tensors[t]?.source ?? -1;
  const inputPos = inputs.map((t) => {
    const pos = sg.inputs.indexOf(sourceOf(t));
    if (pos < 0) {
      stop('validate', 'INTERNAL', `package input tensor ${t} is not one of the model's inputs`);
    }
    return pos;
  });
  const outputPos = sg.outputs.map((t, o) => {
    const k = outputs.findIndex((p) => sourceOf(p) === t);
    if (k < 0)
      stop('validate', 'INTERNAL', `model output ${o} (tensor ${t}) is not in the package`);
    return k;
  });
  const outputTypes = sg.outputs.map((t, o) => {
    const type = sg.tensors[t]?.type;
    if (!type || !isNumericType(type)) {
      return stop(
        'validate',
        'BAD_MODEL',
        `output ${o} is ${type ?? 'missing'}; only int8, uint8, int16, int32 and float32 outputs can be compared`,
      );
    }
    return type;
  });
  return { inputs: inputPos, outputs: outputPos, outputTypes };
}

/** Board tensor bytes as typed data, after checking the size. */
export function boardData(
  t: BoardTensor,
  type: NumericType,
  what: string,
  stage: FlowStage,
): TensorData {
  if (t.data.length !== t.bytes || t.bytes % elementBytes(type) !== 0) {
    stop(
      stage,
      'BOARD',
      `${what}: the board sent ${t.data.length} bytes for a ${type} tensor of ${t.bytes}`,
    );
  }
  return dataFromBytes(type, t.data);
}

export async function writeInputs(board: FlowBoard, io: BoardIo, set: TensorData[]): Promise<void> {
  for (const [k, pos] of io.inputs.entries()) {
    await board.setInput(k, bytesOfData(set[pos] as TensorData));
  }
}

/** Runs every input set on the board; outputs per set in model output order. */
export async function runOnBoard(
  board: FlowBoard,
  io: BoardIo,
  sets: TensorData[][],
  onProgress: FlowProgressCallback,
  signal: AbortSignal | undefined,
  keep: (actual: TensorData[][]) => void,
): Promise<TensorData[][]> {
  const actual: TensorData[][] = [];
  keep(actual);
  for (const [s, set] of sets.entries()) {
    checkAbort(signal, 'validate', `before input set ${s} on the board`);
    await writeInputs(board, io, set);
    await board.invoke();
    const outs: TensorData[] = [];
    for (const [o, k] of io.outputs.entries()) {
      const got = await board.getOutput(k);
      outs.push(
        boardData(got, io.outputTypes[o] as NumericType, `output ${o} of set ${s}`, 'validate'),
      );
    }
    actual.push(outs);
    onProgress({
      stage: 'validate',
      done: s + 1,
      total: sets.length,
      message: `board: input set ${s + 1} of ${sets.length}`,
    });
  }
  return actual;
}
