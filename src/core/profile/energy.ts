// Energy per inference from a cycle count and a part's published run
// current. A first-order estimate, labelled as such everywhere it appears:
//
//   current  I = uaPerMhz * f + baseUa          (µA)
//   time     t = cycles / f                     (µs, f in MHz)
//   energy   E = V * I * t                      (µA * µs * V = pJ)
//   power    P = V * I                          (µA * V = µW)
//
// It assumes the same cycle count at every clock (true of the virtual board;
// on silicon, memory wait states change with the clock) and the datasheet's
// typical current for the code being run (the datasheet figure is for a
// benchmark loop, not for these kernels).
import type { BoardPower, ClockSetting, EnergyEstimate, PowerMode } from './types.ts';

export function currentUa(setting: ClockSetting): number {
  return setting.uaPerMhz * setting.mhz + (setting.baseUa ?? 0);
}

export function estimateEnergy(
  cycles: number,
  setting: ClockSetting,
  supplyVolts: number,
  mode: PowerMode,
): EnergyEstimate {
  if (!(setting.mhz > 0)) throw new Error(`clock must be positive, got ${setting.mhz} MHz`);
  if (!(cycles >= 0)) throw new Error(`cycles must be non-negative, got ${cycles}`);
  const i = currentUa(setting);
  const us = cycles / setting.mhz;
  return {
    mode,
    mhz: setting.mhz,
    timeMs: us / 1000,
    energyUj: (supplyVolts * i * us) / 1e6,
    powerMw: (supplyVolts * i) / 1000,
    currentUa: i,
    estimated: true,
  };
}

/** Estimates at the part's low-power then high-performance setting. */
export function estimateBoardEnergy(cycles: number, power: BoardPower): EnergyEstimate[] {
  return [
    estimateEnergy(cycles, power.lowPower, power.supplyVolts, 'low-power'),
    estimateEnergy(cycles, power.highPerformance, power.supplyVolts, 'high-performance'),
  ];
}
