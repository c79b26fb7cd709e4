// Where the CLI writes, so tests can capture output without spawning.
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** Exit codes: sysexits' EX_USAGE for bad command lines, 2 for unreadable input. */
export const EXIT = { ok: 0, badInput: 2, usage: 64 } as const;
