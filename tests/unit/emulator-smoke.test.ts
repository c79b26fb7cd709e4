import { test, expect } from 'vitest';
import { Snippets } from '../emulator/toolchain.ts';
test('smoke', () => {
  const s = new Snippets(`
.global start
start:
  movs r0, #5
  movs r1, #7
  adds r2, r0, r1
  mul r3, r2, r1
  bkpt 1
`);
  const r = s.run('start');
  expect(r.bkpt).toBe(1);
  expect(s.reg(2)).toBe(12);
  expect(s.reg(3)).toBe(84);
});
