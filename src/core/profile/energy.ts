// Energy per inference from a cycle count and a part's published figures.
// A first-order estimate, labelled as such everywhere it appears.
//
// Datasheet style (current per MHz):
//   current  I = uaPerMhz * f + baseUa          (µA)
//   power    P = V * I                          (µA * V = µW)
// Measured style (averagePowerMw given): P as given, I = P / V.
// Either way:
//   time     t = cycles / f                     (µs, f in MHz)
//   energy   E = P * t                          (µW * µs = pJ)
//
// It assumes the same cycle count at every clock (true of the virtual board;
// on silicon, memory wait states change with the clock) and that the
// published figure (a benchmark loop, or another model's run) holds for
// this model's kernels.
import type { BoardPower, ClockSetting, EnergyEstimate, PowerMode } from './types.ts';

function checkSetting(setting: ClockSetting): void {
  if (!(setting.mhz > 0)) throw new Error(`clock must be positive, got ${setting.mhz} MHz`);
  const figures = [setting.uaPerMhz, setting.baseUa, setting.averagePowerMw];
  if (figures.every((x) => x === undefined)) {
    throw new Error(`the ${setting.mhz} MHz setting has neither a current nor a power figure`);
  }
  if (figures.some((x) => x !== undefined && !(x >= 0 && Number.isFinite(x)))) {
    throw new Error(`the ${setting.mhz} MHz setting has a negative or non-finite figure`);
  }
}

/** Power drawn while running at this setting, µW. */
export function powerUw(setting: ClockSetting, supplyVolts: number | undefined): number {
  if (setting.averagePowerMw !== undefined) return setting.averagePowerMw * 1000;
  if (!(supplyVolts !== undefined && supplyVolts > 0)) {
    throw new Error(`a current figure needs a positive supply voltage, got ${supplyVolts} V`);
  }
  return supplyVolts * ((setting.uaPerMhz ?? 0) * setting.mhz + (setting.baseUa ?? 0));
}

export function estimateEnergy(
  cycles: number,
  setting: ClockSetting,
  supplyVolts: number | undefined,
  mode: PowerMode,
): EnergyEstimate {
  checkSetting(setting);
  if (!(cycles >= 0)) throw new Error(`cycles must be non-negative, got ${cycles}`);
  const p = powerUw(setting, supplyVolts);
  const us = cycles / setting.mhz;
  const volts = supplyVolts !== undefined && supplyVolts > 0 ? supplyVolts : null;
  return {
    mode,
    mhz: setting.mhz,
    timeMs: us / 1000,
    energyUj: (p * us) / 1e6,
    powerMw: p / 1000,
    currentUa: volts === null ? null : p / volts,
    basis: setting.averagePowerMw !== undefined ? 'power' : 'current',
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
