// SVDF and UNIDIRECTIONAL_SEQUENCE_LSTM: stateful ops whose state lives in
// variable tensors (planned for the whole run).
import { lstmMacs, svdfMacs } from '../macs.ts';
import { optBool, optNumber } from '../options.ts';
import { fmt, sameShape } from '../shapes.ts';
import { elementCount } from '../tensors.ts';
import type { OpContext, OpFacts } from './context.ts';
import { baseFacts, expectShapes, inShape, input, outShape } from './context.ts';

/**
 * Inputs: input [batch, input_size], weights_feature [filters, input_size],
 * weights_time [filters, memory], bias [units] (optional), state [batch, memory × filters].
 */
export function svdf(c: OpContext): OpFacts {
  const f = baseFacts(c);
  f.filterShape = inShape(c, 1) ?? null;
  if (!expectShapes(c, f, [2, 2, 2], [2])) return f;
  const [batch = 0, inputSize = 0] = inShape(c, 0) as number[];
  const [filters = 0, featureDepth = 0] = inShape(c, 1) as number[];
  const [timeFilters = 0, memory = 0] = inShape(c, 2) as number[];
  const out = outShape(c, 0) as number[];
  const rank = optNumber(c.op, 'rank', 1);
  if (featureDepth !== inputSize) {
    f.warnings.push(`${c.name}: feature weights depth ${featureDepth} != input size ${inputSize}`);
  }
  if (timeFilters !== filters) {
    f.warnings.push(`${c.name}: time weights have ${timeFilters} filters, feature ${filters}`);
  }
  if (rank < 1 || filters % rank !== 0) {
    f.warnings.push(`${c.name}: ${filters} filters not divisible by rank ${rank}`);
  } else if (!sameShape(out, [batch, filters / rank])) {
    f.warnings.push(`${c.name}: output ${fmt(out)} != [${batch}, ${filters / rank}]`);
  }
  const state = inShape(c, 4);
  if (state && elementCount(state) !== batch * memory * filters) {
    f.warnings.push(
      `${c.name}: state ${fmt(state)} should hold ${batch * memory * filters} values`,
    );
  }
  f.macs = svdfMacs(batch, filters, inputSize, memory);
  return f;
}

// Input positions of the 24-input LSTM (TFLite's lstm_shared.h).
const LSTM = {
  input: 0,
  inputToInput: 1,
  inputToOutput: 4,
  recurrentToOutput: 8,
  peepholes: [9, 10, 11],
  projection: 16,
};

export function unidirectionalLstm(c: OpContext): OpFacts {
  const f = baseFacts(c);
  const inp = inShape(c, LSTM.input);
  const w = inShape(c, LSTM.inputToOutput);
  const r = inShape(c, LSTM.recurrentToOutput);
  const out = outShape(c, 0);
  f.filterShape = w ?? null;
  if (!inp || !w || !r || !out || inp.length !== 3 || w.length !== 2 || r.length !== 2) {
    f.warnings.push(
      `${c.name}: expects input [T, B, n_input] or [B, T, n_input] and 2-D gate weights ` +
        `(got ${fmt(inp)}, ${fmt(w)}, ${fmt(r)})`,
    );
    return f;
  }
  const timeMajor = optBool(c.op, 'timeMajor');
  const [d0 = 0, d1 = 0, nInput = 0] = inp;
  const [steps, batch] = timeMajor ? [d0, d1] : [d1, d0];
  const [nCell = 0, wDepth = 0] = w;
  const [rCell = 0, nOutput = 0] = r;
  if (wDepth !== nInput) f.warnings.push(`${c.name}: input weights depth ${wDepth} != ${nInput}`);
  if (rCell !== nCell) f.warnings.push(`${c.name}: recurrent weights rows ${rCell} != ${nCell}`);
  const expected = [d0, d1, nOutput];
  if (!sameShape(out, expected)) {
    f.warnings.push(`${c.name}: output ${fmt(out)} != expected ${fmt(expected)}`);
  }
  const gates = input(c, LSTM.inputToInput) ? 4 : 3;
  const peepholes = LSTM.peepholes.filter((i) => input(c, i) !== undefined).length;
  f.macs = lstmMacs({
    steps,
    batch,
    nInput,
    nCell,
    nOutput,
    gates,
    peepholes,
    projection: input(c, LSTM.projection) !== undefined,
  });
  return f;
}
