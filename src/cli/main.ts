// The tinydeploy command line: dispatches to one subcommand per job.
import { readFileSync } from 'node:fs';
import { parseArgs } from './args.ts';
import type { Command } from './command.ts';
import { analyzeCommand } from './commands/analyze.ts';
import { infoCommand } from './commands/info.ts';
import { runCommand } from './commands/run.ts';
import type { Io } from './io.ts';
import { EXIT, processIo } from './io.ts';

export const COMMANDS: readonly Command[] = [analyzeCommand, infoCommand, runCommand];

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? 'unknown';
}

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return [
    'usage: tinydeploy <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'options: --help, --version',
  ].join('\n');
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(usage());
    return EXIT.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.out(version());
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`tinydeploy: unknown command '${name}'`);
    io.err(usage());
    return EXIT.usage;
  }
  // The raw words ride along for commands that parse in order (repeated flags).
  const args = Object.assign(parseArgs(rest), { argv: rest });
  if (args.flags.has('help') || args.flags.has('h')) {
    io.out(`usage: tinydeploy ${command.usage}\n\n${command.summary}`);
    return EXIT.ok;
  }
  return command.run(args, io);
}
