// Differential test against QEMU's Cortex-M4 (mps2-an386): one image prints,
// over semihosting, the results and status flags of ~100 integer/DSP and ~30
// VFP instructions across edge-case operand grids and seven FPSCR modes. Both
// machines must print exactly the same lines.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Machine } from '../../src/emulator/board.ts';
import {
  FIXTURES,
  SKIP_REASON,
  armToolchain,
  compileBare,
  qemu,
  semihosting,
} from '../emulator/toolchain.ts';

/** The lines between BEGIN and END, as a map op -> values. */
function parse(text: string): Map<string, string> {
  const body = text.slice(text.indexOf('BEGIN\n') + 6, text.indexOf('END\n'));
  const out = new Map<string, string>();
  let n = 0;
  for (const line of body.split('\n')) {
    const k = line.indexOf(': ');
    if (k > 0) out.set(`${n++}:${line.slice(0, k)}`, line.slice(k + 2));
  }
  return out;
}

function runQemu(elf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'td-qemu-'));
  try {
    const file = join(dir, 'diff.elf');
    writeFileSync(file, elf);
    const r = spawnSync(
      'qemu-system-arm',
      [
        '-M',
        'mps2-an386',
        '-nographic',
        '-monitor',
        'none',
        '-semihosting-config',
        'enable=on,target=native',
        '-kernel',
        file,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    return `${r.stdout}${r.stderr}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!armToolchain || !qemu)('emulator against QEMU mps2-an386', () => {
  test('integer, DSP and VFP instructions leave identical results and status', () => {
    const elf = compileBare([join(FIXTURES, 'qemu-diff.c')], '-O1', join(FIXTURES, 'an386.ld'));
    const reference = parse(runQemu(elf));
    const out = { text: '' };
    const m = new Machine(
      [
        { name: 'flash', base: 0, size: 4 << 20, perms: 'rx' },
        { name: 'ram', base: 0x20000000, size: 4 << 20, perms: 'rwx' },
      ],
      { onBkpt: semihosting(out) },
    );
    m.load(elf);
    const r = m.run(1e9);
    expect(r.reason).toBe('bkpt');
    const ours = parse(out.text);
    expect(reference.size).toBeGreaterThan(250);
    expect([...ours.keys()]).toEqual([...reference.keys()]);
    const mismatches: string[] = [];
    for (const [op, want] of reference) {
      const got = ours.get(op)!;
      if (got === want) continue;
      const w = want.split(' ');
      const g = got.split(' ');
      const k = w.findIndex((v, idx) => v !== g[idx]);
      mismatches.push(`${op} value #${k}: qemu ${w[k]} emulator ${g[k]}`);
    }
    expect(mismatches).toEqual([]);
  });
});

if (!armToolchain || !qemu)
  test.skip(`QEMU differential: ${SKIP_REASON} / qemu-system-arm missing`, () => {});
