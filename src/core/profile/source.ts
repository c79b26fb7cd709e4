// What a profile's timing figures are, in words. Every output that shows a
// timing figure (the CSV's comment lines, summary.txt, the HTML report, the
// CLI's summary line) takes its wording from here, so a figure never claims
// more than its source can give.
import type { FigureSource } from './types.ts';

/** QEMU boards (qemu-*): timed by instruction count (-icount), not by a cycle model. */
export const isQemuBoard = (board: string): boolean => board.startsWith('qemu-');

/**
 * The origin of a profile's timing figures in one phrase, the source first:
 * "emulated (virtual board: ...)", "emulated by QEMU (...)", "measured (...)",
 * "host (...)". `board` is the board id (a profile's `board`, a report's
 * provenance.board.name).
 */
export function sourceLabel(source: FigureSource, board: string): string {
  switch (source) {
    case 'emulated':
      return isQemuBoard(board)
        ? 'emulated by QEMU (instruction-count timing, not cycle-accurate)'
        : 'emulated (virtual board: cycle model, not measured on silicon)';
    case 'measured':
      return 'measured (on the board)';
    case 'host':
      return 'host (host build, timing not representative: no cycle counters)';
  }
}
