// The boards the app can run a model on, and what it knows about each.
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
