// What the analysis reports about a model. Plain data: it is sent from the
// worker to the page, printed by the CLI as JSON, and embedded in reports.

export type Padding = 'SAME' | 'VALID';
export type Activation = 'NONE' | 'RELU' | 'RELU_N1_TO_1' | 'RELU6' | 'TANH' | 'SIGN_BIT';

export interface TensorRef {
  index: number;
  name: string;
  type: string;
  shape: number[];
  bytes: number;
}

export interface Layer {
  index: number;
  /** Builtin op name (e.g. 'CONV_2D') or 'CUSTOM:<name>'. */
  op: string;
  supported: boolean;
  inputShapes: number[][];
  outputShapes: number[][];
  inputs: TensorRef[];
  outputs: TensorRef[];
  filterShape: number[] | null;
  stride: [number, number] | null;
  dilation: [number, number] | null;
  padding: Padding | null;
  activation: Activation | null;
  macs: number;
  /** Bytes of constant tensors the layer reads (weights, biases, tables). */
  paramBytes: number;
  outputBytes: number;
  /** Problems found while checking shapes; empty when consistent. */
  warnings: string[];
}

export interface MemoryBlock {
  tensor: number;
  name: string;
  offset: number;
  bytes: number;
  /** Layer index at which the tensor is first written (or -1 for inputs). */
  firstUse: number;
  /** Last layer index that reads it (layers.length for graph outputs). */
  lastUse: number;
}

export interface MemoryPlan {
  alignment: number;
  arenaBytes: number;
  peakLiveBytes: number;
  noReuseBytes: number;
  blocks: MemoryBlock[];
  /** Bytes live at each step (index = layer index), for charts. */
  liveBytesPerStep: number[];
}

export interface OpUse {
  op: string;
  count: number;
  supported: boolean;
}

export interface Analysis {
  model: {
    version: number;
    description: string;
    subgraphs: number;
    tensors: number;
    ops: string[];
    inputs: TensorRef[];
    outputs: TensorRef[];
    fileBytes: number;
  };
  layers: Layer[];
  totals: { macs: number; paramBytes: number; outputBytes: number; layers: number };
  opSet: OpUse[];
  unsupportedOps: string[];
  memory: MemoryPlan;
}
