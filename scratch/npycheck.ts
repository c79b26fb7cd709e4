import { readFileSync, readdirSync } from 'node:fs';
import { parseNpy } from '../src/core/flow/inputs/npy.ts';
for (const n of readdirSync('scratch/npy').sort()) {
  try {
    const a = parseNpy(new Uint8Array(readFileSync('scratch/npy/' + n)));
    console.log(n, a.descr, a.shape, Array.from(a.values).join(','));
  } catch (e) {
    console.log(n, 'ERR', (e as Error).name, (e as Error).message);
  }
}
