import { describe, expect, it } from 'vitest';
import type { Layer } from '../../../src/core/analysis/types.ts';
import { COLUMNS, DEFAULT_SORT, nextSort, sortLayers } from '../../../src/app/lib/layer-columns.ts';

function layer(index: number, over: Partial<Layer>): Layer {
  return {
    index,
    op: 'ADD',
    supported: true,
    inputShapes: [[1, 4]],
    outputShapes: [[1, 4]],
    inputs: [],
    outputs: [],
    filterShape: null,
    stride: null,
    dilation: null,
    padding: null,
    activation: null,
    macs: 0,
    paramBytes: 0,
    outputBytes: 4,
    warnings: [],
    ...over,
  };
}

const layers = [
  layer(0, { op: 'CONV_2D', macs: 500, filterShape: [8, 3, 3, 1], stride: [2, 2] }),
  layer(1, { op: 'DEPTHWISE_CONV_2D', macs: 900, filterShape: [1, 3, 3, 8], stride: [1, 1] }),
  layer(2, { op: 'RESHAPE', macs: 0 }),
  layer(3, { op: 'FULLY_CONNECTED', macs: 900, outputShapes: [[1, 10]] }),
  layer(4, { op: 'SOFTMAX', macs: 0, outputShapes: [[1, 10]] }),
];

const indices = (ls: Layer[]): number[] => ls.map((l) => l.index);

describe('layer table sorting', () => {
  it('sorts by MACs descending with ties kept in execution order', () => {
    expect(indices(sortLayers(layers, { key: 'macs', direction: 'descending' }))).toEqual([
      1, 3, 0, 2, 4,
    ]);
  });

  it('sorts by MACs ascending with ties kept in execution order', () => {
    expect(indices(sortLayers(layers, { key: 'macs', direction: 'ascending' }))).toEqual([
      2, 4, 0, 1, 3,
    ]);
  });

  it('sorts op names alphabetically', () => {
    const ops = sortLayers(layers, { key: 'op', direction: 'ascending' }).map((l) => l.op);
    expect(ops).toEqual([...ops].sort());
    expect(ops[0]).toBe('CONV_2D');
  });

  it('puts layers without a value last in both directions', () => {
    for (const direction of ['ascending', 'descending'] as const) {
      const sorted = sortLayers(layers, { key: 'stride', direction });
      expect(indices(sorted).slice(2)).toEqual([2, 3, 4]);
    }
  });

  it('does not mutate its input', () => {
    const copy = [...layers];
    sortLayers(layers, { key: 'macs', direction: 'descending' });
    expect(layers).toEqual(copy);
  });

  it('flips the direction on the sorted column and starts numbers descending', () => {
    expect(nextSort(DEFAULT_SORT, 'index')).toEqual({ key: 'index', direction: 'descending' });
    expect(nextSort(DEFAULT_SORT, 'macs')).toEqual({ key: 'macs', direction: 'descending' });
    expect(nextSort(DEFAULT_SORT, 'op')).toEqual({ key: 'op', direction: 'ascending' });
  });

  it('shows a quiet cell for the NONE activation and shapes with ×', () => {
    const act = COLUMNS.find((c) => c.key === 'activation')!;
    const out = COLUMNS.find((c) => c.key === 'outputs')!;
    expect(act.text(layer(0, { activation: 'NONE' }))).toBe('');
    expect(act.text(layer(0, { activation: 'RELU6' }))).toBe('RELU6');
    expect(out.text(layer(0, { outputShapes: [[1, 96, 96, 1]] }))).toBe('1×96×96×1');
  });
});
