// Builds the per-layer profile from a board's counter records, the model's
// analysis (op names, MACs, memory plan) and the board's clock.
import type { Analysis } from '../analysis/types.ts';
import { estimateBoardEnergy } from './energy.ts';
import {
  COUNTER_COLUMNS,
  type BoardPower,
  type FigureSource,
  type LayerCounters,
  type MemorySummary,
  type Profile,
  type ProfileRow,
  type ProfileSummary,
} from './types.ts';

export interface ProfileInput {
  /** One record per profiled layer, in any order. */
  records: readonly LayerCounters[];
  analysis: Pick<Analysis, 'layers' | 'memory' | 'totals'>;
  /** Clock the cycles were counted at (the board's INFO clock), MHz. */
  clockMhz: number;
  source: FigureSource;
  board: string;
  /** Current-per-MHz figures for the energy estimate; none: no energy figures. */
  power?: BoardPower | null;
  /** Kernel run for each package layer (e.g. CONV_2D_S8), when known. */
  kernels?: readonly (string | null)[];
  /**
   * The analysis layer (TFLite operator) each package layer comes from (the
   * op record's sourceOp). Default: the same index.
   */
  sourceOps?: readonly number[];
  /** Overrides for the memory figures the analysis would give. */
  memory?: {
    /** Arena the runtime needs (planned arena plus scratch); default: the plan's arena. */
    arenaBytes?: number;
    /** Constant bytes (e.g. the package's constant region); default: the analysis total. */
    weightBytes?: number;
    /** Code bytes per kernel, as the firmware manifest's `kernels`. */
    kernelCodeBytes?: Record<string, number>;
  };
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function checkRecord(r: LayerCounters): void {
  if (!Number.isInteger(r.layer) || r.layer < 0) {
    throw new Error(`profile record has layer ${String(r.layer)}; expected an index >= 0`);
  }
  if (!isCount(r.cycles)) {
    throw new Error(`layer ${r.layer}: cycles ${String(r.cycles)} is not a count`);
  }
  for (const c of COUNTER_COLUMNS) {
    const v = r[c];
    if (v !== undefined && !isCount(v)) {
      throw new Error(`layer ${r.layer}: counter ${c} = ${String(v)} is not a count`);
    }
  }
  for (const [name, v] of Object.entries(r.extra ?? {})) {
    if (!isCount(v)) throw new Error(`layer ${r.layer}: counter ${name} = ${v} is not a count`);
  }
}

/** "3, 5..9, 12" for a sorted list of integers. */
export function describeRanges(xs: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < xs.length;) {
    let j = i;
    while (j + 1 < xs.length && (xs[j + 1] as number) === (xs[j] as number) + 1) j++;
    parts.push(i === j ? `${xs[i]}` : `${xs[i]}..${xs[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

function summarize(rows: readonly ProfileRow[], clockMhz: number): ProfileSummary {
  const totalCycles = rows.reduce((s, r) => s + r.cycles, 0);
  const totalMacs = rows.reduce((s, r) => s + r.macs, 0);
  const seconds = totalCycles / clockMhz / 1e6;
  return {
    inferenceMs: totalCycles / clockMhz / 1000,
    totalMacs,
    totalCycles,
    layers: rows.length,
    macsPerSecond: seconds > 0 ? totalMacs / seconds : null,
    cyclesPerMac: totalMacs > 0 ? totalCycles / totalMacs : null,
  };
}

function memorySummary(
  input: ProfileInput,
  rows: readonly ProfileRow[],
  warnings: string[],
): MemorySummary {
  const all = input.memory?.kernelCodeBytes ?? {};
  const used = rows.map((r) => r.kernel).filter((k): k is string => k !== null);
  let perKernel: Record<string, number>;
  if (used.length === 0) {
    perKernel = { ...all };
  } else {
    // Manifest names are the object files' (conv_2d_s8), kernel names the ids' (CONV_2D_S8).
    const byLower = new Map(
      Object.entries(all).map(([k, v]) => [k.toLowerCase(), [k, v] as const]),
    );
    perKernel = {};
    const missing: string[] = [];
    for (const k of [...new Set(used)].sort()) {
      const hit = byLower.get(k.toLowerCase());
      if (hit) perKernel[hit[0]] = hit[1];
      else missing.push(k);
    }
    if (missing.length > 0 && Object.keys(all).length > 0) {
      warnings.push(`no code size for kernel(s) ${missing.join(', ')} in the firmware manifest`);
    }
  }
  return {
    arenaBytes: input.memory?.arenaBytes ?? input.analysis.memory.arenaBytes,
    weightBytes: input.memory?.weightBytes ?? input.analysis.totals.paramBytes,
    codeBytesPerKernel: perKernel,
    codeBytes: Object.values(perKernel).reduce((s, v) => s + v, 0),
    liveBytesPerStep: [...input.analysis.memory.liveBytesPerStep],
  };
}

export function buildProfile(input: ProfileInput): Profile {
  const { clockMhz, analysis } = input;
  if (!(clockMhz > 0) || !Number.isFinite(clockMhz)) {
    throw new Error(`clock must be a positive number of MHz, got ${clockMhz}`);
  }
  const warnings: string[] = [];
  const byLayer = new Map<number, LayerCounters>();
  const duplicates: number[] = [];
  for (const r of input.records) {
    checkRecord(r);
    if (byLayer.has(r.layer)) duplicates.push(r.layer);
    else byLayer.set(r.layer, r);
  }
  if (duplicates.length > 0) {
    warnings.push(`duplicate records for layer(s) ${describeRanges(duplicates)}; kept the first`);
  }
  const layerCount = input.sourceOps?.length ?? analysis.layers.length;
  const rows: ProfileRow[] = [...byLayer.values()]
    .sort((a, b) => a.layer - b.layer)
    .map((r) => {
      const src = input.sourceOps?.[r.layer] ?? r.layer;
      const layer = analysis.layers[src];
      const row = {
        event: r.layer,
        tag: layer?.op ?? 'UNKNOWN',
        kernel: input.kernels?.[r.layer] ?? null,
        us: r.cycles / clockMhz,
        macs: layer?.macs ?? 0,
        cycles: r.cycles,
        extra: { ...(r.extra ?? {}) },
      } as ProfileRow;
      for (const c of COUNTER_COLUMNS) row[c] = r[c] ?? null;
      return row;
    });
  const unknown = rows.filter((r) => r.event >= layerCount).map((r) => r.event);
  if (unknown.length > 0) {
    warnings.push(
      `record(s) for layer(s) ${describeRanges(unknown)} beyond the model's ${layerCount} layers`,
    );
  }
  const missing: number[] = [];
  for (let i = 0; i < layerCount; i++) if (!byLayer.has(i)) missing.push(i);
  if (missing.length > 0) {
    warnings.push(
      `no profile record for layer(s) ${describeRanges(missing)}: totals cover ${rows.length} of ${layerCount} layers`,
    );
  }
  const summary = summarize(rows, clockMhz);
  const power = input.power ?? null;
  return {
    source: input.source,
    board: input.board,
    clockMhz,
    rows,
    summary,
    memory: memorySummary(input, rows, warnings),
    energy: power ? estimateBoardEnergy(summary.totalCycles, power) : [],
    power,
    warnings,
  };
}
