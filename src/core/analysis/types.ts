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
  /** Layer index at which the tensor is first written (-1: before the run, e.g. inputs, state). */
  firstUse: number;
  /** Last layer index that reads it (layers.length: after the run, e.g. outputs, state). */
  lastUse: number;
}

export interface MemoryPlan {
  alignment: number;
  /** End of the last block: the arena the plan needs. */
  arenaBytes: number;
  /**
   * Largest sum of activation bytes in use at one step of one invocation
   * (unaligned; inputs live from the start, outputs to the end). A lower
   * bound for any arena.
   */
  peakLiveBytes: number;
  /**
   * The same peak under the plan's lifetimes, where variable (state) tensors
   * live at every step because the next invocation reads them. The arena is
   * measured against this; equals peakLiveBytes when there is no state.
   */
  planPeakBytes: number;
  /** Bytes of variable (state) tensors, part of the arena for the whole run. */
  stateBytes: number;
  /** Sum of all activation tensor bytes (unaligned): the arena without reuse. */
  noReuseBytes: number;
  blocks: MemoryBlock[];
  /** Bytes live at each step (index = layer index) under the plan's lifetimes, for charts. */
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
    /** Distinct op names the model declares (its operator codes), sorted; see opSet for use counts. */
    ops: string[];
    inputs: TensorRef[];
    outputs: TensorRef[];
    fileBytes: number;
  };
  layers: Layer[];
  totals: { macs: number; paramBytes: number; outputBytes: number; layers: number };
  /** Ops subgraph 0 executes, sorted by name: the minimal set the runtime must include. */
  opSet: OpUse[];
  /** Unsupported ops that subgraph 0 executes. */
  unsupportedOps: string[];
  memory: MemoryPlan;
  /** Model-level problems (extra subgraphs, ...); layer problems sit on the layer. */
  warnings: string[];
}
