// The virtual board end to end: the prebuilt validator firmware boots on the
// emulated Apollo4 Plus, takes the int8 image-classifier example over RPC
// and runs it. Reports emulated MIPS while the model runs (real kernels:
// loads, SMLAD, saturation; unlike the C workload of emulator-mips), the
// emulated cycles per inference, and the cache monitor's counters.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BoardClient } from '../../src/core/rpc/client.ts';
import { virtualBoard } from '../../src/core/transport/virtual-board.ts';
import { buildExample } from '../../src/core/examples/index.ts';
import { packageOf } from '../../tests/support/package-fixtures.ts';

export const title = 'Emulator: validator firmware on the virtual board (cnn-int8 example)';

const FIRMWARE = join(import.meta.dirname, '../../firmware-prebuilt/virtual-apollo4p/firmware.elf');

async function measure(jit: boolean): Promise<string> {
  const t = virtualBoard(new Uint8Array(readFileSync(FIRMWARE)), { cpu: { jit } });
  await t.settled();
  const client = new BoardClient(t, { invokeTimeoutMs: 600_000 });
  try {
    const model = buildExample('cnn-int8');
    if (!model) return 'emulator-board: example cnn-int8 missing';
    const build = packageOf(model);
    await client.loadPackage(build.bytes);
    await client.invoke(); // warm-up: decode, blocks, JIT
    const cpu = t.machine.cpu;
    const i0 = cpu.icount;
    const c0 = cpu.cycles;
    const usage0 = process.cpuUsage();
    const t0 = performance.now();
    let runs = 0;
    while (performance.now() - t0 < 2000 || runs < 2) {
      await client.invoke();
      runs++;
    }
    const wall = (performance.now() - t0) / 1000;
    const u = process.cpuUsage(usage0);
    const cpuSeconds = (u.user + u.system) / 1e6;
    const insns = cpu.icount - i0;
    const cycles = cpu.cycles - c0;
    const s = t.machine.cache?.stats();
    const cache =
      s && s.iaccess > 0
        ? `; I-cache ${(100 * (1 - (s.itaglookup - s.ihitslookup) / s.iaccess)).toFixed(2)}% hits`
        : '; cache monitor off (the firmware has not enabled it)';
    return (
      `${jit ? 'compiled' : 'interpreted'}: ${(insns / cpuSeconds / 1e6).toFixed(1)} emulated MIPS per CPU second ` +
      `(${(insns / wall / 1e6).toFixed(1)} wall-clock), ${runs} inferences x ` +
      `${(insns / runs / 1e6).toFixed(2)} M instructions, ${(cycles / runs / 1e6).toFixed(2)} M emulated cycles ` +
      `(CPI ${(cycles / insns).toFixed(2)})${cache}`
    );
  } finally {
    await client.close();
    await t.close();
  }
}

export async function run(): Promise<string[]> {
  if (!existsSync(FIRMWARE))
    return ['emulator-board: skipped (no firmware-prebuilt/virtual-apollo4p)'];
  return [await measure(true), await measure(false)];
}

/** Entry point for bench/run.ts. */
export const bench = run;

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const l of await run()) console.log(l);
}
