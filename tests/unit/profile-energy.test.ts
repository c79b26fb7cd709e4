import { describe, expect, it } from 'vitest';
import { APOLLO4_PLUS_POWER, boardPowerFor } from '../../src/core/profile/board-power.ts';
import { estimateBoardEnergy, estimateEnergy } from '../../src/core/profile/energy.ts';
import { buildProfile } from '../../src/core/profile/profile.ts';
import { groupThousands, summaryText } from '../../src/core/profile/summary.ts';
import type { BoardPower } from '../../src/core/profile/types.ts';
import { fakeProfileInput } from './report-fixtures.ts';

describe('energy estimate', () => {
  it('matches a hand computation: 1e6 cycles, 96 MHz, 4 µA/MHz, 1.8 V', () => {
    // I = 4 * 96 = 384 µA; t = 1e6 / 96 = 10416.67 µs;
    // E = 1.8 V * 384 µA * 10416.67 µs = 7.2e6 pJ = 7.2 µJ; P = 1.8 * 384 = 691.2 µW.
    const e = estimateEnergy(1_000_000, { mhz: 96, uaPerMhz: 4 }, 1.8, 'low-power');
    expect(e.currentUa).toBe(384);
    expect(e.timeMs).toBeCloseTo(10.41667, 5);
    expect(e.energyUj).toBeCloseTo(7.2, 12);
    expect(e.powerMw).toBeCloseTo(0.6912, 12);
    expect(e.estimated).toBe(true);
  });

  it('adds a clock-independent current: 2e6 cycles, 192 MHz, 5 µA/MHz + 100 µA, 3.3 V', () => {
    // I = 960 + 100 = 1060 µA; t = 2e6 / 192 = 10416.67 µs;
    // E = 3.3 * 1060 * 10416.67e-6 = 36.4375 µJ; P = 3.3 * 1060 µW = 3.498 mW.
    const e = estimateEnergy(
      2_000_000,
      { mhz: 192, uaPerMhz: 5, baseUa: 100 },
      3.3,
      'high-performance',
    );
    expect(e.currentUa).toBe(1060);
    expect(e.energyUj).toBeCloseTo(36.4375, 10);
    expect(e.powerMw).toBeCloseTo(3.498, 12);
  });

  it('with no base current the energy does not depend on the clock (V * µA/MHz * cycles)', () => {
    const a = estimateEnergy(123_456, { mhz: 48, uaPerMhz: 6 }, 1.9, 'low-power');
    const b = estimateEnergy(123_456, { mhz: 192, uaPerMhz: 6 }, 1.9, 'high-performance');
    expect(a.energyUj).toBeCloseTo(b.energyUj, 12);
    expect(a.energyUj).toBeCloseTo((1.9 * 6 * 123_456) / 1e6, 12);
    expect(b.timeMs * 4).toBeCloseTo(a.timeMs, 12);
  });

  it('energy equals average power times time', () => {
    for (const [cycles, mhz, ua, base, v] of [
      [1, 1, 1, 0, 1],
      [987_654, 96, 4.3, 37, 1.8],
      [5e8, 250, 12, 1000, 3.3],
    ] as const) {
      const e = estimateEnergy(cycles, { mhz, uaPerMhz: ua, baseUa: base }, v, 'low-power');
      // mW * ms = µJ
      expect(e.powerMw * e.timeMs).toBeCloseTo(e.energyUj, 9);
    }
  });

  it('estimates both clock settings in order and refuses a zero clock', () => {
    const power: BoardPower = {
      part: 'p',
      supplyVolts: 2,
      lowPower: { mhz: 10, uaPerMhz: 1 },
      highPerformance: { mhz: 20, uaPerMhz: 2 },
      source: 's',
    };
    const [lp, hp] = estimateBoardEnergy(1000, power);
    expect(lp!.mode).toBe('low-power');
    expect(hp!.mode).toBe('high-performance');
    expect(lp!.energyUj).toBeCloseTo((2 * 10 * 100) / 1e6, 15); // 2 V * 10 µA * 100 µs
    expect(hp!.energyUj).toBeCloseTo((2 * 40 * 50) / 1e6, 15); // 2 V * 40 µA * 50 µs
    expect(() => estimateEnergy(1, { mhz: 0, uaPerMhz: 1 }, 1, 'low-power')).toThrow(/clock/);
  });

  it('uses an average power figure as given: E = P × t, no current without a voltage', () => {
    // 1.92e6 cycles at 192 MHz = 10 ms; 15 mW × 10 ms = 150 µJ.
    const e = estimateEnergy(1_920_000, { mhz: 192, averagePowerMw: 15 }, undefined, 'low-power');
    expect(e.timeMs).toBeCloseTo(10, 12);
    expect(e.energyUj).toBeCloseTo(150, 10);
    expect(e.powerMw).toBe(15);
    expect(e.currentUa).toBeNull();
    expect(e.basis).toBe('power');
    // A voltage turns it into a current (15 mW / 3 V = 5000 µA) and changes nothing else.
    const v = estimateEnergy(1_920_000, { mhz: 192, averagePowerMw: 15 }, 3, 'low-power');
    expect(v.currentUa).toBeCloseTo(5000, 9);
    expect(v.energyUj).toBeCloseTo(150, 10);
    // The power figure wins over a current figure.
    const both = estimateEnergy(1000, { mhz: 1, averagePowerMw: 1, uaPerMhz: 999 }, 1, 'low-power');
    expect(both.powerMw).toBe(1);
  });

  it('refuses a current figure without a voltage and a setting without figures', () => {
    expect(() => estimateEnergy(1, { mhz: 96, uaPerMhz: 4 }, undefined, 'low-power')).toThrow(
      /supply voltage/,
    );
    expect(() => estimateEnergy(1, { mhz: 96 }, 1.8, 'low-power')).toThrow(/neither/);
    expect(() => estimateEnergy(1, { mhz: 96, uaPerMhz: -1 }, 1.8, 'low-power')).toThrow(
      /negative/,
    );
  });

  it('reproduces the published Apollo4 measurement it is built from', () => {
    // The cycles of the measured runs: time × clock.
    const lpCycles = 20.11e-3 * 96e6;
    const hpCycles = 10.249e-3 * 192e6;
    const [lp] = estimateBoardEnergy(lpCycles, APOLLO4_PLUS_POWER);
    const [, hp] = estimateBoardEnergy(hpCycles, APOLLO4_PLUS_POWER);
    expect(lp!.timeMs).toBeCloseTo(20.11, 9);
    expect(lp!.energyUj).toBeCloseTo(190.665, 6);
    expect(lp!.powerMw).toBeCloseTo(9.481, 3);
    expect(hp!.timeMs).toBeCloseTo(10.249, 9);
    expect(hp!.energyUj).toBeCloseTo(159.257, 6);
    expect(hp!.powerMw).toBeCloseTo(15.539, 3);
    expect(APOLLO4_PLUS_POWER.source).toMatch(/not a datasheet figure/);
    expect(boardPowerFor('virtual-apollo4p')).toBe(APOLLO4_PLUS_POWER);
    expect(boardPowerFor('qemu-an386')).toBeNull();
  });

  it('uses the profile total cycles', () => {
    const p = buildProfile(fakeProfileInput(10));
    const lp = p.energy[0]!;
    expect(lp.energyUj).toBeCloseTo((1.8 * 4 * p.summary.totalCycles) / 1e6, 9);
    expect(p.power?.source).toMatch(/test figures/);
  });
});

describe('summary text', () => {
  it('labels timing as emulated and every energy line as estimated, with the citation', () => {
    const p = buildProfile(fakeProfileInput(31));
    const text = summaryText(p, { title: 'synthetic.tflite' });
    expect(text).toContain('TinyDeploy profile: synthetic.tflite');
    expect(text).toMatch(/Inference time\s+[\d.]+ ms \(emulated\)/);
    expect(text).toMatch(/Total cycles\s+[\d,]+ \(emulated\)/);
    expect(text).toContain(`Total est. MACs   ${groupThousands(p.summary.totalMacs)}`);
    expect(text).toMatch(/Layers\s+31\n/);
    const energy = text.split('\n').filter((l) => /uJ/.test(l));
    expect(energy).toHaveLength(2);
    for (const l of energy) expect(l).toMatch(/\(estimated\)$/);
    expect(text).toMatch(/low-power @ 96 MHz/);
    expect(text).toMatch(/high-performance @ 192 MHz/);
    expect(text).toContain('test figures, not from a datasheet');
    expect(text).toMatch(/Arena\s+[\d,]+ bytes/);
    expect(text).toContain('conv_2d_s8');
  });

  it('names the power basis and its source for the Apollo4 Plus figures', () => {
    const p = buildProfile(fakeProfileInput(5, { power: APOLLO4_PLUS_POWER }));
    const text = summaryText(p);
    expect(text).toContain("the part's published average power per clock mode");
    expect(text).toMatch(/Source: Ambiq neuralSPOT AutoDeploy/);
    expect(text).not.toMatch(/Supply/);
    for (const l of text.split('\n').filter((x) => /uJ/.test(x))) {
      expect(l).toMatch(/\(estimated\)$/);
    }
  });

  it('says measured for a real board and when there is no energy estimate', () => {
    const p = buildProfile(fakeProfileInput(3, { source: 'measured', power: null }));
    const text = summaryText(p);
    expect(text).toContain('(measured)');
    expect(text).not.toContain('emulated');
    expect(text).toContain('not estimated');
  });

  it('names QEMU timing as instruction counts and host timing as not representative', () => {
    const qemu = summaryText(buildProfile(fakeProfileInput(3, { board: 'qemu-an386' })));
    expect(qemu).toMatch(
      /^Board: qemu-an386 at 96 MHz; figures emulated by QEMU \(instruction-count timing, not cycle-accurate\)$/m,
    );
    expect(qemu).not.toContain('cycle model');
    expect(qemu).toMatch(/Total cycles\s+[\d,]+ \(emulated\)/);
    const host = summaryText(
      buildProfile(fakeProfileInput(3, { source: 'host', board: 'host', power: null })),
    );
    expect(host).toMatch(
      /^Board: host at 96 MHz; figures host \(host build, timing not representative/m,
    );
    expect(host).toMatch(/Inference time\s+[\d.]+ ms \(host\)/);
    expect(host).toMatch(/Cycles per MAC\s+[\d.]+ \(host\)/);
    expect(host).not.toMatch(/emulated|measured/);
  });

  it('groups thousands', () => {
    expect(groupThousands(0)).toBe('0');
    expect(groupThousands(999)).toBe('999');
    expect(groupThousands(1000)).toBe('1,000');
    expect(groupThousands(-1234567)).toBe('-1,234,567');
    expect(groupThousands(1234.5678, 2)).toBe('1,234.57');
  });
});
