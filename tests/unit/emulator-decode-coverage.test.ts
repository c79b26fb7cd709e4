// Decode coverage: every instruction in tests/emulator/coverage.s, as
// objdump disassembles it, decodes to a defined instruction of the same name.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decode } from '../../src/emulator/decode.ts';
import { parseElf } from '../../src/emulator/elf.ts';
import { FIXTURES, SKIP_REASON, armToolchain, assemble } from '../emulator/toolchain.ts';

interface Line {
  addr: number;
  hw1: number;
  hw2: number;
  mnemonic: string;
  text: string;
}

function parseObjdump(text: string): Line[] {
  const out: Line[] = [];
  for (const l of text.split('\n')) {
    const m = /^\s*([0-9a-f]+):\s+([0-9a-f]{4})(?: ([0-9a-f]{4}))?\s+(\S+)\s*(.*)$/.exec(l);
    if (!m) continue;
    out.push({
      addr: parseInt(m[1]!, 16),
      hw1: parseInt(m[2]!, 16),
      hw2: m[3] ? parseInt(m[3], 16) : 0,
      mnemonic: m[4]!,
      text: `${m[4]} ${m[5]}`.trim(),
    });
  }
  return out;
}

const CONDS = 'eq|ne|cs|cc|hs|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le';
const ALIASES: Record<string, string[]> = {
  neg: ['rsb'],
  adr: ['add', 'addw', 'subw'],
  ldm: ['ldmia'],
  stm: ['stmia'],
  stmdb: ['push'],
  ldmia: ['pop'],
  // MOV with a shifted register is the shift instruction.
  mov: ['lsl', 'lsr', 'asr', 'ror', 'rrx'],
};

/** objdump's mnemonic reduced to our naming: no width, type or condition suffixes. */
function normalise(mnemonic: string): string[] {
  let m = mnemonic.toLowerCase();
  if (m.startsWith('v')) m = m.split('.')[0]!;
  else m = m.replace(/\.(w|n)$/, '');
  if (/^it[te]*$/.test(m)) m = 'it';
  if (new RegExp(`^b(${CONDS})$`).test(m)) m = 'b';
  const bases = [m];
  if (m.endsWith('s')) bases.push(m.slice(0, -1));
  // Inside IT blocks objdump appends the condition.
  const cond = new RegExp(`(${CONDS})$`);
  for (const b of [...bases]) if (cond.test(b) && b.length > 3) bases.push(b.replace(cond, ''));
  return bases.flatMap((b) => [b, ...(ALIASES[b] ?? [])]);
}

describe.skipIf(!armToolchain)('decoder coverage (objdump as reference)', () => {
  test('every assembled instruction decodes to the name objdump gives it', () => {
    const src = readFileSync(join(FIXTURES, 'coverage.s'), 'utf8');
    const { disasm } = assemble(src);
    const lines = parseObjdump(disasm);
    expect(lines.length).toBeGreaterThan(300);
    const bad: string[] = [];
    for (const l of lines) {
      const insn = decode(l.hw1, l.hw2, l.addr);
      const ok = insn.name !== 'undefined' || l.mnemonic.startsWith('udf');
      if (!ok || !normalise(l.mnemonic).includes(insn.name)) {
        bad.push(`${l.addr.toString(16)}: ${l.text} -> ${insn.name}`);
      }
    }
    expect(bad).toEqual([]);
  });

  test('an encoding outside the architecture decodes as undefined', () => {
    // 0xde00 is UDF; 0xee00 0x0b10 is a double-precision VMLA (not in FPv4-SP).
    expect(decode(0xde00, 0, 0).name).toBe('udf');
    expect(decode(0xee00, 0x0b00, 0).name).toBe('undefined');
  });

  test('the ELF reader sees the fixture symbol', () => {
    const { elf } = assemble('.global cov\ncov: nop\n', 0x100);
    expect(parseElf(elf).symbols.address('cov')).toBe(0x100);
  });
});

if (!armToolchain) test.skip(`decoder coverage: ${SKIP_REASON}`, () => {});
