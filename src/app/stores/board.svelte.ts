// The board concern: which board a run goes to, whether WebSerial exists in
// this browser, and the serial link to a real board once the user picked a
// port. Components read it; only its methods change it.
import type { Transport } from '../../core/transport/transport.ts';
import { BOARD_OPTIONS, VIRTUAL_APOLLO4P, type BoardOption } from '../lib/boards.ts';
import { requestWebSerial, webSerial } from '../transport/webserial.ts';

export type LinkState = 'none' | 'connecting' | 'connected';

class BoardStore {
  readonly options: readonly BoardOption[] = BOARD_OPTIONS;
  /** navigator.serial exists (Chromium over https or localhost). */
  readonly webSerialAvailable = webSerial() !== null;
  selectedId = $state(VIRTUAL_APOLLO4P.id);
  link = $state<LinkState>('none');
  linkError = $state<string | null>(null);
  #transport: Transport | null = null;

  get selected(): BoardOption {
    return this.options.find((o) => o.id === this.selectedId) ?? VIRTUAL_APOLLO4P;
  }

  /** Whether a board can be chosen here (WebSerial only where the browser has it). */
  available(option: BoardOption): boolean {
    return option.kind !== 'webserial' || this.webSerialAvailable;
  }

  select(id: string): void {
    const option = this.options.find((o) => o.id === id);
    if (option && this.available(option)) this.selectedId = id;
  }

  /** Asks for a serial port (call from a click) and opens it. */
  async connect(): Promise<void> {
    if (this.link !== 'none') return;
    this.link = 'connecting';
    this.linkError = null;
    try {
      const transport = await requestWebSerial();
      this.#transport = transport;
      transport.onClose((reason) => {
        if (this.#transport !== transport) return;
        this.#transport = null;
        this.link = 'none';
        if (reason) this.linkError = reason.message;
      });
      this.link = 'connected';
    } catch (e) {
      this.link = 'none';
      this.linkError = e instanceof Error ? e.message : String(e);
    }
  }

  async disconnect(): Promise<void> {
    const t = this.#transport;
    this.#transport = null;
    this.link = 'none';
    await t?.close();
  }

  /** The open serial link, for a run (null when none). */
  transport(): Transport | null {
    return this.#transport;
  }
}

export const boardStore = new BoardStore();
