// Per-layer profile data: what a board reports for each layer, and what the
// profile builder makes of it (table rows, summary, memory, energy).
//
// For the RPC client (src/core/rpc/): map each GET_PROFILE record to one
// LayerCounters. Record i of a chunk is layer `first + i`; counter slots in
// COUNTER_NAMES order map as cyc -> cycles, cpi, exc, sleep, lsu, fold; the
// cache-monitor slots, when the board has them, map by name to daccess ...
// ihitsline. Leave a field out when the board does not report it (it is
// printed as an empty cell, never as 0). Board-defined slots with no field
// here go to `extra` under their counter name.

/**
 * Where a figure comes from: an emulator (the virtual board's cycle model, or
 * QEMU's instruction count), a real board's counters (measured), or the
 * runtime built for the host computer (no cycle counters). Words for each:
 * sourceLabel (source.ts).
 */
export type FigureSource = 'emulated' | 'measured' | 'host';

/** The cache-monitor counters (Apollo-class parts), in CSV order. */
export const CACHE_COUNTERS = [
  'daccess',
  'dtaglookup',
  'dhitslookup',
  'dhitsline',
  'iaccess',
  'itaglookup',
  'ihitslookup',
  'ihitsline',
] as const;
export type CacheCounter = (typeof CACHE_COUNTERS)[number];

/** The DWT event counters beside CYCCNT, in CSV order. */
export const DWT_COUNTERS = ['cpi', 'exc', 'sleep', 'lsu', 'fold'] as const;
export type DwtCounter = (typeof DWT_COUNTERS)[number];

/** Every counter column after `cycles`, in CSV order. */
export const COUNTER_COLUMNS = [...DWT_COUNTERS, ...CACHE_COUNTERS] as const;
export type CounterColumn = (typeof COUNTER_COLUMNS)[number];

/** One layer's counters as the board reports them (differences across the layer). */
export type LayerCounters = {
  /** Layer index: the op record's position in the model package. */
  layer: number;
  /** Core clock cycles spent in the layer (DWT CYCCNT difference). */
  cycles: number;
  /** Board-defined counters with no column of their own, by name. */
  extra?: Record<string, number>;
} & Partial<Record<CounterColumn, number>>;

/** One row of the per-layer table (the CSV columns, plus the kernel when known). */
export type ProfileRow = {
  /** Layer index (CSV "Event"). */
  event: number;
  /** Op name (CSV "Tag"), e.g. CONV_2D. */
  tag: string;
  /** Kernel the runtime ran for the layer (e.g. CONV_2D_S8), when known. */
  kernel: string | null;
  /** cycles / clock MHz. */
  us: number;
  /** MACs the analysis estimates for the layer. */
  macs: number;
  cycles: number;
  extra: Record<string, number>;
} & Record<CounterColumn, number | null>;

/**
 * One clock setting of a part and what it draws while running. Give either
 * the datasheet style (uaPerMhz, and baseUa if the part has a fixed share)
 * or a measured average power (averagePowerMw), which then wins.
 */
export interface ClockSetting {
  /** Clock the core runs at. */
  mhz: number;
  /** Active run current per MHz (µA/MHz) at this setting. */
  uaPerMhz?: number;
  /** Current drawn regardless of clock (µA) while running; 0 when the figure is all per-MHz. */
  baseUa?: number;
  /** Average power while running at this setting (mW), e.g. a published measurement. */
  averagePowerMw?: number;
  /** Free-text note on the operating point (e.g. "TurboSPOT", "LP mode"). */
  note?: string;
}

/** The figures an energy estimate needs for one part, and where they come from. */
export interface BoardPower {
  /** Part name, e.g. "Apollo4 Plus". */
  part: string;
  /**
   * Supply voltage (V) the µA figures refer to; required when a setting gives
   * a current. With power figures it only turns power into a current shown.
   */
  supplyVolts?: number;
  lowPower: ClockSetting;
  highPerformance: ClockSetting;
  /** Citation of the figures (datasheet, table, revision; or the published measurement). */
  source: string;
}

export type PowerMode = 'low-power' | 'high-performance';

/** Energy for one inference at one clock setting. Always an estimate. */
export interface EnergyEstimate {
  mode: PowerMode;
  mhz: number;
  /** Inference time at this clock (cycles / MHz), ms. */
  timeMs: number;
  /** Energy per inference, µJ. */
  energyUj: number;
  /** Average power while inferring, mW. */
  powerMw: number;
  /** Current while running at this clock, µA; null when only a power figure is known. */
  currentUa: number | null;
  /** What the figure rests on: a current per MHz (datasheet style) or an average power. */
  basis: 'current' | 'power';
  estimated: true;
}

export interface ProfileSummary {
  /** Total cycles / clock MHz, ms. */
  inferenceMs: number;
  totalMacs: number;
  totalCycles: number;
  layers: number;
  /** null when the inference took no time. */
  macsPerSecond: number | null;
  /** null when the model has no MACs. */
  cyclesPerMac: number | null;
}

export interface MemorySummary {
  /** Activation arena (planned arena plus kernel scratch), bytes. */
  arenaBytes: number;
  /** Constant data: weights, biases, tables, bytes. */
  weightBytes: number;
  /** Code and read-only data per kernel (from the firmware manifest). */
  codeBytesPerKernel: Record<string, number>;
  /** Sum of codeBytesPerKernel. */
  codeBytes: number;
  /** Arena bytes live after each layer (the plan's), for the occupancy chart; may be empty. */
  liveBytesPerStep: number[];
}

export interface Profile {
  source: FigureSource;
  /** Board name (e.g. virtual-apollo4p). */
  board: string;
  /** Clock the cycles were counted at, MHz. */
  clockMhz: number;
  rows: ProfileRow[];
  summary: ProfileSummary;
  memory: MemorySummary;
  /** Estimates at the part's low-power and high-performance settings; empty without BoardPower. */
  energy: EnergyEstimate[];
  /** The figures the energy estimates use (with their citation); null: no estimates. */
  power: BoardPower | null;
  /** Problems found while building (missing layers, counters that wrapped, ...). */
  warnings: string[];
}
