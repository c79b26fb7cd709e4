// The shape every subcommand has, so `run`, `info`, `verify` slot in beside `analyze`.
import type { Args } from './args.ts';
import type { Io } from './io.ts';

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Usage line, without the program name. */
  usage: string;
  run(args: Args, io: Io): Promise<number>;
}
