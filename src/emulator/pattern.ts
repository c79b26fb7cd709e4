// Declarative encodings, in the spirit of QEMU's decodetree: a pattern is a
// string of 16 or 32 bit characters, MSB first; spaces are ignored.
//   '0' '1'  fixed bits
//   '-'      don't care (including the ARM ARM's "should be" bits)
//   letters  named fields; the bits of one letter concatenate in order of
//            appearance, so 'i' in `11110 i 0 ... 0 iii .... iiiiiiii` is i:imm3:imm8.

export type Fields = Record<string, number>;

export interface Pattern {
  readonly text: string;
  readonly width: 16 | 32;
  readonly mask: number;
  readonly value: number;
  /** Per field: runs of [shift, width] from most to least significant. */
  readonly runs: ReadonlyArray<readonly [string, ReadonlyArray<readonly [number, number]>]>;
}

export function compilePattern(text: string): Pattern {
  const bits = text.replace(/[\s|]/g, '');
  if (bits.length !== 16 && bits.length !== 32) {
    throw new Error(`pattern "${text}" has ${bits.length} bits, expected 16 or 32`);
  }
  let mask = 0;
  let value = 0;
  const fieldRuns = new Map<string, [number, number][]>();
  for (let i = 0; i < bits.length; i++) {
    const ch = bits[i]!;
    const pos = bits.length - 1 - i;
    if (ch === '0' || ch === '1') {
      mask |= 1 << pos;
      if (ch === '1') value |= 1 << pos;
    } else if (/[a-zA-Z]/.test(ch)) {
      const runs = fieldRuns.get(ch) ?? [];
      const last = runs[runs.length - 1];
      // Extend the current run if this bit is adjacent to it.
      if (last && last[0] === pos + 1) {
        last[0] = pos;
        last[1] += 1;
      } else runs.push([pos, 1]);
      fieldRuns.set(ch, runs);
    } else if (ch !== '-') {
      throw new Error(`pattern "${text}": bad character '${ch}'`);
    }
  }
  return {
    text,
    width: bits.length as 16 | 32,
    mask: mask >>> 0,
    value: value >>> 0,
    runs: [...fieldRuns.entries()],
  };
}

export function matches(p: Pattern, word: number): boolean {
  return (word & p.mask) >>> 0 === p.value;
}

export function extract(p: Pattern, word: number): Fields {
  const f: Fields = {};
  for (const [name, runs] of p.runs) {
    let v = 0;
    for (const [shift, width] of runs)
      v = v * (1 << width) + ((word >>> shift) & ((1 << width) - 1));
    f[name] = v;
  }
  return f;
}
