// `tinydeploy info --board NAME`: boots the board's prebuilt validator and
// prints what it says over RPC.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { prebuiltDir, readManifest } from '../../src/node/firmware-build.ts';
import { hasQemu } from '../../src/node/qemu.ts';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
  const code = await main(args, io);
  return { code, out, err };
}

const boards = [
  ['qemu-an386', hasQemu()],
  ['virtual-apollo4p', true],
] as const;

describe('tinydeploy info', () => {
  for (const [board, available] of boards) {
    it.skipIf(!available)(
      `--board ${board} --json reports the prebuilt image`,
      async () => {
        const r = await cli('info', '--board', board, '--json');
        expect(r.err).toBe('');
        expect(r.code).toBe(0);
        const report = JSON.parse(r.out);
        const m = readManifest(join(prebuiltDir, board, 'manifest.json'));
        expect(report.info.name).toBe(board);
        expect(report.info.buildId).toBe(m.sourceId);
        expect(report.image.sourceId).toBe(m.sourceId);
        expect(report.kernelIds).toHaveLength(Object.keys(m.kernels).length);
        expect(report.kernelIds).toHaveLength(report.info.kernelCount);
      },
      30_000,
    );
  }

  it('prints a readable summary by default', async () => {
    const r = await cli('info', '--board=virtual-apollo4p');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^board\s+virtual-apollo4p on TinyDeploy emulator/m);
    expect(r.out).toMatch(/^core\s+cortex-m4f, cycle counts at 96 MHz$/m);
    expect(r.out).toMatch(
      /^profiling\s+512 layers x cyc, cpi, exc, sleep, lsu, fold, daccess, dtaglookup, dhitslookup, dhitsline, iaccess, itaglookup, ihitslookup, ihitsline$/m,
    );
    expect(r.out).toMatch(/^model\s+none loaded$/m);
    expect(r.out).not.toMatch(/NOT the build/);
  }, 30_000);

  it('rejects an unknown board and a missing --board with usage errors', async () => {
    const unknown = await cli('info', '--board', 'apollo9');
    expect(unknown.code).toBe(64);
    expect(unknown.err).toMatch(/unknown board 'apollo9' \(boards: qemu-an386, virtual-apollo4p\)/);
    const missing = await cli('info');
    expect(missing.code).toBe(64);
    expect(missing.err).toMatch(/usage: tinydeploy info --board/);
  });
});
