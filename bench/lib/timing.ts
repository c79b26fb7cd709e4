// Timing helpers shared by the bench sections.

export interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
}

/** Runs `fn` `warmup` times untimed, then `runs` times; returns the median and the range. */
export async function measure(
  fn: () => unknown,
  { runs = 15, warmup = 10 }: { runs?: number; warmup?: number } = {},
): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  const median =
    times.length % 2 ? (times[mid] ?? 0) : ((times[mid - 1] ?? 0) + (times[mid] ?? 0)) / 2;
  return { medianMs: median, minMs: times[0] ?? 0, maxMs: times[times.length - 1] ?? 0, runs };
}

/** One aligned result line: label, median, range. */
export function timingLine(label: string, t: Timing): string {
  const ms = (v: number): string => `${v.toFixed(2)} ms`;
  return `  ${label.padEnd(34)} ${ms(t.medianMs).padStart(10)}   (min ${ms(t.minMs)}, max ${ms(t.maxMs)}, ${t.runs} runs)`;
}
