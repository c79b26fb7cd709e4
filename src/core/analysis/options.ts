// Typed access to decoded builtin options. Options can be absent (older
// converters omit them), so every getter takes the schema default.
import type { Operator } from '../tflite/model.ts';
import type { Activation, Padding } from './types.ts';

const ACTIVATIONS: readonly string[] = [
  'NONE',
  'RELU',
  'RELU_N1_TO_1',
  'RELU6',
  'TANH',
  'SIGN_BIT',
];

function field(op: Operator, name: string): unknown {
  return op.builtinOptions?.fields[name] ?? op.builtinOptions2?.fields[name];
}

export function optNumber(op: Operator, name: string, fallback: number): number {
  const v = field(op, name);
  return typeof v === 'number' ? v : fallback;
}

export function optBool(op: Operator, name: string, fallback = false): boolean {
  const v = field(op, name);
  return typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : fallback;
}

export function optNumbers(op: Operator, name: string): number[] {
  const v = field(op, name);
  return Array.isArray(v) ? v : [];
}

export function optPadding(op: Operator): Padding | null {
  const v = field(op, 'padding');
  return v === 'SAME' || v === 'VALID' ? v : null;
}

/** The fused activation, or null when the op has no such option. */
export function optActivation(op: Operator): Activation | null {
  const v = field(op, 'fusedActivationFunction');
  return typeof v === 'string' && ACTIVATIONS.includes(v) ? (v as Activation) : null;
}
