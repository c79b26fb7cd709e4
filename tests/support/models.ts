// Where the third-party test models live. Tests read them in place (never
// copied into the repo) and must also pass when the folder is absent.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '../..');

export function sharedModelsDir(): string | null {
  const dir = process.env.TINYDEPLOY_SHARED_MODELS ?? resolve(repoRoot, '../shared/models');
  return existsSync(join(dir, 'MANIFEST.md')) ? dir : null;
}

/** All .tflite files under the shared models folder, as paths relative to it. */
export function listSharedModels(): string[] {
  const dir = sharedModelsDir();
  if (!dir) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.tflite')) out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

export interface ManifestRow {
  file: string;
  bytes: number;
  operators: number;
  macs: number;
  peakLive: number;
  noReuse: number;
  ops: string[];
}

/** Parses the MANIFEST table (the figures an independent reader computed). */
export function readManifest(text: string): ManifestRow[] {
  const rows: ManifestRow[] = [];
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const file = cells[1];
    if (!file || !file.endsWith('.tflite')) continue;
    const num = (s: string | undefined): number => Number((s ?? '').replace(/,/g, ''));
    rows.push({
      file,
      bytes: num(cells[2]),
      operators: num(cells[3]),
      macs: num(cells[4]),
      peakLive: num(cells[5]),
      noReuse: num(cells[6]),
      ops: (cells[7] ?? '').split(',').map((s) => s.trim()),
    });
  }
  return rows;
}
