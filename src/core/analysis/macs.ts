// Multiply-accumulate counts per op family. One MAC = one multiply whose
// product is added to an accumulator. Elementwise ops, pools, activations and
// data movement count 0 (see docs/analysis.md).

/** CONV_2D: each output element sums kh × kw × (input channels per group) products. */
export function convMacs(outElements: number, kh: number, kw: number, inPerGroup: number): number {
  return outElements * kh * kw * inPerGroup;
}

/** DEPTHWISE_CONV_2D: each output element sums one kh × kw window of one channel. */
export function depthwiseMacs(outElements: number, kh: number, kw: number): number {
  return outElements * kh * kw;
}

/** FULLY_CONNECTED: each output element is a dot product of length `depth`. */
export function fullyConnectedMacs(outElements: number, depth: number): number {
  return outElements * depth;
}

/**
 * TRANSPOSE_CONV: every input element is scattered through a kh × kw window
 * into every output channel (products that land in the padding still count).
 */
export function transposeConvMacs(
  inElements: number,
  kh: number,
  kw: number,
  outChannels: number,
): number {
  return inElements * kh * kw * outChannels;
}

/** BATCH_MATMUL: batch independent [m, k] × [k, n] products. */
export function batchMatMulMacs(batch: number, m: number, n: number, k: number): number {
  return batch * m * n * k;
}

/**
 * SVDF: the feature matmul (num_filters × input_size per batch row) then the
 * time matmul over the memory (num_filters × memory_size per batch row). The
 * rank reduction and bias are additions only.
 */
export function svdfMacs(
  batch: number,
  numFilters: number,
  inputSize: number,
  memorySize: number,
): number {
  return batch * numFilters * (inputSize + memorySize);
}

export interface LstmDims {
  steps: number;
  batch: number;
  nInput: number;
  nCell: number;
  nOutput: number;
  /** 4, or 3 with coupled input-forget gate (CIFG: no input gate weights). */
  gates: number;
  /** Peephole weight vectors present (0 to 3): n_cell products each. */
  peepholes: number;
  projection: boolean;
}

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM, per step and batch row: each gate multiplies
 * the input (n_input) and the previous output (n_output) into n_cell units;
 * each peephole is n_cell products; the projection is n_output × n_cell.
 * Gate nonlinearities, the cell update and layer norm are elementwise.
 */
export function lstmMacs(d: LstmDims): number {
  const perStep =
    d.gates * d.nCell * (d.nInput + d.nOutput) +
    d.peepholes * d.nCell +
    (d.projection ? d.nOutput * d.nCell : 0);
  return d.steps * d.batch * perStep;
}
