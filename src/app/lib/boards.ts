// The boards the app can run a model on, and what it knows about each.
import type { BoardPower } from '../../core/profile/types.ts';
import type { BoardKind } from '../worker/flow-protocol.ts';

export interface BoardOption {
  /** Board id in reports ('virtual-apollo4p'); for a real board, what INFO reports replaces it. */
  id: string;
  kind: BoardKind;
  label: string;
  description: string;
}

export const VIRTUAL_APOLLO4P: BoardOption = {
  id: 'virtual-apollo4p',
  kind: 'virtual',
  label: 'Virtual Apollo4 Plus (emulated)',
  description:
    'Cortex-M4F emulator in your browser running the TinyDeploy firmware: timings are emulated.',
};

export const WEBSERIAL_BOARD: BoardOption = {
  id: 'webserial',
  kind: 'webserial',
  label: 'Real board (WebSerial)',
  description: 'A board running the TinyDeploy firmware on a serial port: timings are measured.',
};

export const BOARD_OPTIONS: readonly BoardOption[] = [VIRTUAL_APOLLO4P, WEBSERIAL_BOARD];

/**
 * Apollo4 Plus energy figures. No per-MHz datasheet figure could be verified
 * (docs/boards.md, "Clocks and energy"); what is published is Ambiq's own
 * measurement of average power per clock mode on an Apollo4 Plus EVB. It is
 * expressed here as a clock-independent current at a nominal supply: the
 * voltage cancels out of energy (E = P · t), only the current shown depends on it.
 */
const NOMINAL_VOLTS = 1.8;
const uaFor = (mw: number): number => (mw * 1000) / NOMINAL_VOLTS;

export const APOLLO4P_POWER: BoardPower = {
  part: 'Apollo4 Plus',
  supplyVolts: NOMINAL_VOLTS,
  lowPower: { mhz: 96, uaPerMhz: 0, baseUa: uaFor(9.481), note: 'low-power mode, 96 MHz' },
  highPerformance: {
    mhz: 192,
    uaPerMhz: 0,
    baseUa: uaFor(9.346),
    note: 'high-performance mode (TurboSPOT), 192 MHz',
  },
  source:
    'average power per mode measured by Ambiq on an Apollo4 Plus EVB (neuralSPOT, ' +
    '"From TF to EVB": 9.481 mW at 96 MHz, 9.346 mW at 192 MHz, one model, whole rail), ' +
    `as a current at a nominal ${NOMINAL_VOLTS} V; not a datasheet figure`,
};

/** Energy figures for a board's part, when the app has them. */
export function boardPower(boardId: string): BoardPower | null {
  return boardId === VIRTUAL_APOLLO4P.id ? APOLLO4P_POWER : null;
}
