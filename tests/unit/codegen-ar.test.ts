// The ar writer: the layout GNU ld and armlink read (symbol index "/",
// long names "//", even padding), checked against GNU ar itself.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readArchive, writeArchive } from '../../src/core/codegen/ar.ts';
import { definedGlobals, parseElfObject } from '../../src/core/codegen/elf-object.ts';
import { kit, run, tools } from './codegen-helpers.ts';

const objects = kit()
  .manifest.objects.slice(0, 12)
  .map((o) => ({ name: `${o.name}.o`, bytes: kit().contents.get(o.file) as Uint8Array }));

describe('writeArchive', () => {
  test('indexes every defined global of every member, and reads back', () => {
    const ar = writeArchive(objects);
    const back = readArchive(ar);
    expect(back.members.map((m) => m.name)).toEqual(objects.map((o) => o.name));
    back.members.forEach((m, i) => expect(m.bytes).toEqual(objects[i]?.bytes));
    const expected = objects.flatMap((o) =>
      definedGlobals(parseElfObject(o.bytes)).map((symbol) => ({ symbol, member: o.name })),
    );
    expect(back.index).toEqual(expected);
    expect(expected.length).toBeGreaterThan(objects.length);
  });

  test('keeps names over 15 bytes in the long-name table and pads odd members', () => {
    const members = [
      { name: 'a_rather_long_member_name.o', bytes: new Uint8Array([1, 2, 3]), symbols: ['x'] },
      { name: 'short.o', bytes: new Uint8Array([4]), symbols: ['y', 'z'] },
      { name: 'another_long_name_here.o', bytes: new Uint8Array([5, 6]), symbols: [] },
    ];
    const ar = writeArchive(members);
    expect(ar.length % 2).toBe(0);
    const text = new TextDecoder('latin1').decode(ar);
    expect(text).toContain('a_rather_long_member_name.o/\nanother_long_name_here.o/\n');
    expect(text).toContain('short.o/');
    const back = readArchive(ar);
    expect(back.members.map((m) => [m.name, [...m.bytes]])).toEqual([
      ['a_rather_long_member_name.o', [1, 2, 3]],
      ['short.o', [4]],
      ['another_long_name_here.o', [5, 6]],
    ]);
    expect(back.index).toEqual([
      { symbol: 'x', member: 'a_rather_long_member_name.o' },
      { symbol: 'y', member: 'short.o' },
      { symbol: 'z', member: 'short.o' },
    ]);
  });

  test('refuses duplicate and unsafe member names', () => {
    const b = new Uint8Array(1);
    expect(() =>
      writeArchive([
        { name: 'a.o', bytes: b, symbols: [] },
        { name: 'a.o', bytes: b, symbols: [] },
      ]),
    ).toThrow(/duplicate/);
    expect(() => writeArchive([{ name: 'dir/a.o', bytes: b, symbols: [] }])).toThrow(/name/);
  });
});

describe.skipIf(!tools.arm)('against GNU ar', () => {
  test('is byte for byte what `arm-none-eabi-ar rcsD` writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-ar-'));
    try {
      for (const o of objects) writeFileSync(join(dir, o.name), o.bytes);
      run('arm-none-eabi-ar', ['rcsD', 'gnu.a', ...objects.map((o) => o.name)], dir);
      expect(writeArchive(objects)).toEqual(new Uint8Array(readFileSync(join(dir, 'gnu.a'))));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GNU ld links against it, pulling members through the index', () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-ar-'));
    try {
      const lib = kit()
        .manifest.objects.filter((o) => o.kind === 'core' || o.name === 'reshape')
        .map((o) => ({ name: `${o.name}.o`, bytes: kit().contents.get(o.file) as Uint8Array }));
      writeFileSync(join(dir, 'libt.a'), writeArchive(lib));
      writeFileSync(
        join(dir, 'main.c'),
        `#include <stddef.h>
#include <stdint.h>
struct k;
extern const struct k td_kernel_reshape;
const struct k *const td_kernel_table[] = {&td_kernel_reshape, NULL};
const uint32_t td_kernel_table_count = 1u;
int td_load(const void *, size_t, void *, size_t, void *);
void _start(void) { (void)td_load(0, 0, 0, 0, 0); for (;;) {} }
`,
      );
      const arch = ['-mcpu=cortex-m4', '-mfpu=fpv4-sp-d16', '-mfloat-abi=hard', '-mthumb'];
      run(
        'arm-none-eabi-gcc',
        [
          ...arch,
          '-O2',
          '-nostartfiles',
          '-nostdlib',
          '-Wl,--no-warn-rwx-segments',
          'main.c',
          'libt.a',
          '-lc',
          '-lgcc',
          '-o',
          'a.elf',
        ],
        dir,
      );
      const nm = run('arm-none-eabi-nm', ['a.elf'], dir);
      expect(nm).toMatch(/ td_load$/m);
      expect(nm).toMatch(/ td_kernel_reshape$/m);
      expect(nm).toMatch(/ td_find_kernel$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
