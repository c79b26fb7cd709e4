// The host C runtime as an asynchronous device for verify:kernels: the same
// td-run binary runPackage uses, but spawned without blocking the event
// loop, so the TFLite reference (served from this process) runs meanwhile.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceRunner } from '../../src/node/verify-kernels.ts';
import { hostBinaries } from './host-runtime.ts';

export function hostDevice(options: { sanitize?: boolean } = {}): DeviceRunner {
  const bin = hostBinaries();
  const exe = options.sanitize ? bin.tdRunSan : bin.tdRun;
  return async (pkg, inputs) => {
    const dir = await mkdtemp(join(tmpdir(), 'td-verify-'));
    try {
      const files = [join(dir, 'model.tdpk'), join(dir, 'in.bin'), join(dir, 'out.bin')] as const;
      await writeFile(files[0], pkg);
      await writeFile(files[1], inputs);
      const failure = await new Promise<string | null>((ok) => {
        execFile(exe, [...files], { encoding: 'utf8' }, (e, _out, stderr) =>
          ok(e ? stderr.trim() || e.message : null),
        );
      });
      if (failure !== null) return { ok: false, error: failure };
      return { ok: true, outputs: new Uint8Array(await readFile(files[2])) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}
