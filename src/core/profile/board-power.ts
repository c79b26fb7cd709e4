// Power figures per board, for the energy estimate. docs/boards.md ("Clocks
// and energy") records the sources. No Apollo4 Plus µA/MHz datasheet figure
// could be verified, so the part's figures are Ambiq's own published
// measurement: average power per clock mode from AutoDeploy's Joulescope
// run of one model (neuralSPOT, docs/"From TF to EVB - testing, profiling,
// and deploying AI models.md", "Result Output"; the tool measures at 96 and
// 192 MHz per tools/README.md; the document's board is an Apollo4 EVB,
// docs/boards.md reads it as the Apollo4 Plus):
//
//   [Power] Max Perf Inference Time (ms):      10.249
//   [Power] Max Perf Inference Energy (uJ):    159.257
//   [Power] Max Perf Inference Avg Power (mW): 9.346
//   [Power] Min Perf Inference Time (ms):      20.110
//   [Power] Min Perf Inference Energy (uJ):    190.665
//   [Power] Min Perf Inference Avg Power (mW): 9.481
//
// The low-power line is self-consistent (9.481 mW x 20.110 ms = 190.66 µJ);
// the high-performance line is not (9.346 mW x 10.249 ms = 95.8 µJ, not
// 159.257). We take energy / time for both modes, the figure that matches
// the energy the tool reports: 9.481 mW at 96 MHz and 15.539 mW at 192 MHz.
import type { BoardPower } from './types.ts';

const powerMw = (energyUj: number, timeMs: number): number => energyUj / timeMs;

export const APOLLO4_PLUS_POWER: BoardPower = {
  part: 'Apollo4 Plus',
  lowPower: {
    mhz: 96,
    averagePowerMw: powerMw(190.665, 20.11),
    note: 'low-power mode',
  },
  highPerformance: {
    mhz: 192,
    averagePowerMw: powerMw(159.257, 10.249),
    note: 'high-performance mode (TurboSPOT)',
  },
  source:
    'Ambiq neuralSPOT AutoDeploy, "From TF to EVB" (AmbiqAI/neuralSPOT docs): Joulescope ' +
    'measurement of one model (har) on an Apollo4 EVB, average of 100 inferences; ' +
    'power = reported energy / time per mode (190.665 µJ / 20.110 ms at 96 MHz, ' +
    '159.257 µJ / 10.249 ms at 192 MHz). Whole measured rail, one model: not a datasheet figure.',
};

/** The power figures for a board id, or null when the board has none (QEMU boards). */
export function boardPowerFor(board: string): BoardPower | null {
  if (board === 'virtual-apollo4p' || /apollo4p/i.test(board)) return APOLLO4_PLUS_POWER;
  return null;
}
