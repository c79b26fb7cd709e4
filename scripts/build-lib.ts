// npm run firmware:lib [-- --out DIR]
// Builds the export kit: the runtime and every kernel as Cortex-M4F objects
// plus the sources an exported project ships, into
// firmware-prebuilt/lib/cortex-m4f/ with its manifest.json. Reproducible:
// commit the result; tests/unit/codegen-kit.test.ts rebuilds and compares.
import { parseArgs } from 'node:util';
import { buildKit, kitDir } from './lib-kit.ts';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = values.out ?? kitDir;
const m = buildKit(out);
const code = (kind: string): number =>
  m.objects.filter((o) => o.kind === kind).reduce((n, o) => n + o.sizes.text + o.sizes.rodata, 0);
console.log(
  `${m.core}: ${m.objects.length} objects (core ${code('core')} B, all kernels ${code('kernel')} B of code+rodata), ` +
    `${m.files.length} files, boards ${m.boards.map((b) => b.name).join(', ')} -> ${out}`,
);
