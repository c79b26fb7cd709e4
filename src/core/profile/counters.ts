// From a board's counter table (counter names + one row of values per layer,
// as GET_PROFILE delivers them) to LayerCounters records. Kept free of any
// RPC import: any source of named per-layer counters can use it.
import { COUNTER_COLUMNS, type CounterColumn, type LayerCounters } from './types.ts';

const CYCLE_NAMES = new Set(['cyc', 'cycles', 'cyccnt']);
const COLUMN_NAMES = new Set<string>(COUNTER_COLUMNS);

export interface CounterTable {
  /** Counter names in value order, e.g. ['cyc', 'cpi', 'exc', 'sleep', 'lsu', 'fold']. */
  counters: readonly string[];
  layers: readonly { layer: number; values: readonly number[] }[];
}

/**
 * Names match case-insensitively: 'cyc' (or 'cycles') is the cycle count,
 * the CSV's counter names fill their columns, anything else goes to `extra`.
 */
export function recordsFromCounterTable(table: CounterTable): LayerCounters[] {
  const names = table.counters.map((n) => n.toLowerCase());
  const cycleSlot = names.findIndex((n) => CYCLE_NAMES.has(n));
  if (cycleSlot < 0) {
    throw new Error(`the board reports no cycle counter (counters: ${names.join(', ') || 'none'})`);
  }
  return table.layers.map(({ layer, values }) => {
    if (values.length !== names.length) {
      throw new Error(`layer ${layer}: ${values.length} values for ${names.length} counters`);
    }
    const rec: LayerCounters = { layer, cycles: values[cycleSlot] as number };
    names.forEach((n, i) => {
      if (i === cycleSlot) return;
      const v = values[i] as number;
      if (COLUMN_NAMES.has(n)) rec[n as CounterColumn] = v;
      else (rec.extra ??= {})[table.counters[i] as string] = v;
    });
    return rec;
  });
}
