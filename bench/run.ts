// `npm run bench [-- NAME...]`: runs every section in bench/sections (or the
// named ones) and prints its lines. A section is a module exporting
// `bench(): Promise<string[]>` and optionally a `title`; add a file to add one.
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Section {
  bench: () => Promise<string[]>;
  title?: string;
}

const dir = join(import.meta.dirname, 'sections');
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .sort()
  .filter((f) => wanted.length === 0 || wanted.includes(basename(f, '.ts')));

if (files.length === 0) {
  console.error(`no bench sections match ${wanted.join(', ')}`);
  process.exitCode = 64;
}

for (const file of files) {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as Partial<Section>;
  if (typeof mod.bench !== 'function') {
    console.error(`${file}: exports no bench() function, skipped`);
    continue;
  }
  console.log(mod.title ?? basename(file, '.ts'));
  try {
    for (const line of await mod.bench()) console.log(line);
  } catch (e) {
    console.error(`  failed: ${(e as Error).message}`);
    process.exitCode = 1;
  }
  console.log('');
}
