import { describe, expect, it } from 'vitest';
import { builtinOperators, builtinName, opCode, opName } from '../../src/core/tflite/ops.ts';
import { ModelBuilder } from '../../src/core/tflite/build.ts';

describe('builtin operator table', () => {
  it('holds the schema values (spot checks) and is dense up to STABLEHLO_CASE', () => {
    const facts: Array<[string, number]> = [
      ['ADD', 0], ['CONV_2D', 3], ['DEPTHWISE_CONV_2D', 4], ['FULLY_CONNECTED', 9],
      ['SOFTMAX', 25], ['CUSTOM', 32], ['UNIDIRECTIONAL_SEQUENCE_LSTM', 44], ['QUANTIZE', 114],
      ['HARD_SWISH', 117], ['BATCH_MATMUL', 126], ['PLACEHOLDER_FOR_GREATER_OP_CODES', 127],
      ['CUMSUM', 128], ['GELU', 150], ['STABLEHLO_ADD', 163], ['STABLEHLO_COMPOSITE', 206],
      ['STABLEHLO_CASE', 209], ['TEMP_STREAMING_CONV_2D', 225],
    ]; // prettier-ignore
    for (const [name, code] of facts) {
      expect(opCode(name), name).toBe(code);
      expect(builtinName(code)).toBe(name);
    }
    const codes = builtinOperators().map(([c]) => c);
    expect(codes.slice(0, 210)).toEqual([...Array(210).keys()]);
    expect(new Set(builtinOperators().map(([, n]) => n)).size).toBe(codes.length);
    expect(builtinName(500)).toBe('UNKNOWN_500');
    expect(opCode('NOT_AN_OP')).toBeUndefined();
  });

  it('names builtin, custom and out-of-range opcodes', () => {
    const b = new ModelBuilder();
    const x = b.addInput({ type: 'FLOAT32', shape: [1] });
    const y = b.addTensor({ type: 'FLOAT32', shape: [1] });
    const z = b.addOutput({ type: 'FLOAT32', shape: [1] });
    b.addOperator('CUSTOM:SignalFftAutoScale', [x], [y]);
    b.addOperator('STABLEHLO_COMPOSITE', [y], [z], { name: 'odml.test' });
    const m = b.build();
    expect(opName(m, 0)).toBe('CUSTOM:SignalFftAutoScale');
    expect(opName(m, 1)).toBe('STABLEHLO_COMPOSITE');
    expect(m.operatorCodes[1]?.deprecatedBuiltinCode).toBe(127);
    expect(opName(m, 7)).toBe('INVALID_OPCODE_INDEX_7');
    m.operatorCodes[0]!.customCode = null;
    expect(opName(m, 0)).toBe('CUSTOM');
  });
});
