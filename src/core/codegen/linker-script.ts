// Reads the memory map out of a board's GNU linker script (the MEMORY
// block, the REGION_ALIAS lines naming TD_TEXT / TD_RAM / TD_PACKAGE, and
// STACK_BYTES), so that the Arm Compiler scatter file of an export is
// derived from the one description the firmware is linked with.

export interface MemoryRegion {
  name: string;
  /** Attributes as written, e.g. "rx", "rwx". */
  attrs: string;
  origin: number;
  length: number;
}

export interface BoardMemory {
  regions: MemoryRegion[];
  /** Alias -> region name (TD_TEXT, TD_RAM, TD_PACKAGE). */
  aliases: Record<string, string>;
  stackBytes: number;
}

const SUFFIX: Record<string, number> = { '': 1, K: 1024, M: 1024 * 1024 };

function number(text: string): number {
  const m = /^(0x[0-9a-f]+|\d+)\s*([KM]?)$/i.exec(text.trim());
  if (!m) throw new Error(`linker script: cannot read the number '${text}'`);
  const base = Number(m[1]);
  return base * (SUFFIX[(m[2] ?? '').toUpperCase()] ?? 1);
}

/** Parses the subset of linker-script syntax the board scripts use. */
export function parseBoardMemory(script: string): BoardMemory {
  const text = script.replace(/\/\*[\s\S]*?\*\//g, ' ');
  const block = /MEMORY\s*\{([^}]*)\}/.exec(text);
  if (!block) throw new Error('linker script: no MEMORY block');
  const regions: MemoryRegion[] = [];
  const line = /(\w+)\s*\(([a-z!]*)\)\s*:\s*ORIGIN\s*=\s*([^,]+),\s*LENGTH\s*=\s*([^\n;]+)/gi;
  for (const m of (block[1] ?? '').matchAll(line)) {
    regions.push({
      name: m[1] as string,
      attrs: m[2] as string,
      origin: number(m[3] as string),
      length: number(m[4] as string),
    });
  }
  if (regions.length === 0) throw new Error('linker script: empty MEMORY block');
  const aliases: Record<string, string> = {};
  for (const m of text.matchAll(/REGION_ALIAS\s*\(\s*"(\w+)"\s*,\s*(\w+)\s*\)/g)) {
    const region = m[2] as string;
    if (!regions.some((r) => r.name === region)) {
      throw new Error(`linker script: alias ${m[1]} names unknown region ${region}`);
    }
    aliases[m[1] as string] = region;
  }
  const stack = /STACK_BYTES\s*=\s*([^;]+);/.exec(text);
  if (!stack) throw new Error('linker script: no STACK_BYTES');
  return { regions, aliases, stackBytes: number(stack[1] as string) };
}

/** The region an alias names, or an error naming what is missing. */
export function aliasedRegion(memory: BoardMemory, alias: string): MemoryRegion {
  const name = memory.aliases[alias];
  const region = memory.regions.find((r) => r.name === name);
  if (!region) throw new Error(`board memory has no ${alias} region`);
  return region;
}
