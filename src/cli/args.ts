// A tiny argument splitter: positional words, --flags and --key=value.
export interface Args {
  positional: string[];
  flags: Map<string, string | true>;
}

export function parseArgs(argv: readonly string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  let onlyPositional = false;
  for (const a of argv) {
    if (onlyPositional || !a.startsWith('-') || a === '-') positional.push(a);
    else if (a === '--') onlyPositional = true;
    else {
      const body = a.replace(/^--?/, '');
      const eq = body.indexOf('=');
      if (eq >= 0) flags.set(body.slice(0, eq), body.slice(eq + 1));
      else flags.set(body, true);
    }
  }
  return { positional, flags };
}

/** Flags not in `known`, for a usage error. */
export function unknownFlags(args: Args, known: readonly string[]): string[] {
  return [...args.flags.keys()].filter((f) => !known.includes(f));
}
