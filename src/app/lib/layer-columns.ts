// The layer table's columns: how each one displays a layer and how it sorts.
// Kept apart from the component so sorting is a pure, testable function.
import type { Layer } from '../../core/analysis/types.ts';
import { formatCount, formatPair, formatShape, formatShapes } from './format.ts';

export type ColumnKey =
  | 'index'
  | 'op'
  | 'inputs'
  | 'outputs'
  | 'filter'
  | 'stride'
  | 'dilation'
  | 'padding'
  | 'activation'
  | 'macs'
  | 'paramBytes'
  | 'outputBytes';

export interface Column {
  key: ColumnKey;
  label: string;
  numeric: boolean;
  text: (layer: Layer) => string;
  /** Sort key; null sorts after every value whatever the direction. */
  sortValue: (layer: Layer) => number | string | null;
}

const elements = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const totalElements = (shapes: readonly (readonly number[])[]): number | null =>
  shapes.length === 0 ? null : shapes.reduce((a, s) => a + elements(s), 0);
const pairValue = (p: readonly [number, number] | null): number | null =>
  p ? p[0] * 1000 + p[1] : null;

export const COLUMNS: readonly Column[] = [
  {
    key: 'index',
    label: '#',
    numeric: true,
    text: (l) => String(l.index),
    sortValue: (l) => l.index,
  },
  { key: 'op', label: 'Op', numeric: false, text: (l) => l.op, sortValue: (l) => l.op },
  {
    key: 'inputs',
    label: 'Input shapes',
    numeric: false,
    text: (l) => formatShapes(l.inputShapes),
    sortValue: (l) => totalElements(l.inputShapes),
  },
  {
    key: 'outputs',
    label: 'Output shapes',
    numeric: false,
    text: (l) => formatShapes(l.outputShapes),
    sortValue: (l) => totalElements(l.outputShapes),
  },
  {
    key: 'filter',
    label: 'Filter',
    numeric: false,
    text: (l) => (l.filterShape ? formatShape(l.filterShape) : ''),
    sortValue: (l) => (l.filterShape ? elements(l.filterShape) : null),
  },
  {
    key: 'stride',
    label: 'Stride',
    numeric: false,
    text: (l) => formatPair(l.stride),
    sortValue: (l) => pairValue(l.stride),
  },
  {
    key: 'dilation',
    label: 'Dilation',
    numeric: false,
    text: (l) => formatPair(l.dilation),
    sortValue: (l) => pairValue(l.dilation),
  },
  {
    key: 'padding',
    label: 'Padding',
    numeric: false,
    text: (l) => l.padding ?? '',
    sortValue: (l) => l.padding,
  },
  {
    key: 'activation',
    label: 'Activation',
    numeric: false,
    text: (l) => (l.activation && l.activation !== 'NONE' ? l.activation : ''),
    sortValue: (l) => l.activation,
  },
  {
    key: 'macs',
    label: 'MACs',
    numeric: true,
    text: (l) => formatCount(l.macs),
    sortValue: (l) => l.macs,
  },
  {
    key: 'paramBytes',
    label: 'Param bytes',
    numeric: true,
    text: (l) => formatCount(l.paramBytes),
    sortValue: (l) => l.paramBytes,
  },
  {
    key: 'outputBytes',
    label: 'Output bytes',
    numeric: true,
    text: (l) => formatCount(l.outputBytes),
    sortValue: (l) => l.outputBytes,
  },
];

export type SortDirection = 'ascending' | 'descending';

export interface SortState {
  key: ColumnKey;
  direction: SortDirection;
}

export const DEFAULT_SORT: SortState = { key: 'index', direction: 'ascending' };

/**
 * Clicking the sorted column flips it; a new column starts descending when
 * numeric (the biggest layers are what one looks for) and ascending otherwise.
 */
export function nextSort(current: SortState, key: ColumnKey): SortState {
  if (current.key === key) {
    return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  }
  const column = COLUMNS.find((c) => c.key === key);
  return { key, direction: column?.numeric ? 'descending' : 'ascending' };
}

function compareValues(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/** A sorted copy; ties keep execution order so the result is stable and predictable. */
export function sortLayers(layers: readonly Layer[], sort: SortState): Layer[] {
  const column = COLUMNS.find((c) => c.key === sort.key) ?? COLUMNS[0]!;
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return [...layers].sort((x, y) => {
    const a = column.sortValue(x);
    const b = column.sortValue(y);
    if (a === null || b === null) {
      if (a !== b) return a === null ? 1 : -1;
      return x.index - y.index;
    }
    return sign * compareValues(a, b) || x.index - y.index;
  });
}
