// Numbers as text: separated by commas, semicolons, whitespace or newlines.
// Lines starting with '#' are comments. Written as integers, values are the
// tensor's own codes; written with a decimal point or exponent, they are real
// values, quantized with the input's scale and zero point.
import { InputFileError } from './errors.ts';
import { converter, toSets, type InputTarget } from './target.ts';
import type { TensorData } from '../../validate/tensor-data.ts';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$/i;

export interface CsvValues {
  values: number[];
  /** True when any value is written as a real number (decimal point, exponent, inf, nan). */
  real: boolean;
}

export function parseCsv(text: string): CsvValues {
  const values: number[] = [];
  let real = false;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((line, l) => {
    if (line.trimStart().startsWith('#')) return;
    for (const cell of line.split(/[,;\s]+/)) {
      if (cell === '') continue;
      if (!NUMBER.test(cell)) {
        throw new InputFileError(
          'BAD_CSV',
          `line ${l + 1}: '${cell.slice(0, 40)}' is not a number`,
        );
      }
      const lower = cell.toLowerCase();
      const v = lower.includes('nan')
        ? NaN
        : lower.includes('inf')
          ? cell.startsWith('-')
            ? -Infinity
            : Infinity
          : Number(cell);
      if (!/^[+-]?\d+$/.test(cell)) real = true;
      values.push(v);
    }
  });
  return { values, real };
}

export function csvToSets(text: string, target: InputTarget, what = 'CSV file'): TensorData[] {
  const { values, real } = parseCsv(text);
  const convert = converter(target, real, what);
  return toSets(target, values.length, what, (i) => convert(values[i] as number));
}
