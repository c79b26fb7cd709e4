import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/io.ts';
import { sampleConvNet } from '../../src/core/tflite/samples.ts';
import { writeModel } from '../../src/core/tflite/write.ts';
import { sharedModelsDir } from '../support/models.ts';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/tinydeploy.mjs');
const dir = mkdtempSync(join(tmpdir(), 'tinydeploy-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const modelPath = join(dir, 'net.tflite');
writeFileSync(modelPath, writeModel(sampleConvNet()));
const corruptPath = join(dir, 'corrupt.tflite');
writeFileSync(corruptPath, readFileSync(modelPath).subarray(0, 40));

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: dir });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function inProcess(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
  const code = await main(args, io);
  return { code, out, err };
}

describe('tinydeploy analyze (spawned)', () => {
  it('prints the analysis as JSON', () => {
    const r = cli('analyze', modelPath, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.model.ops).toEqual([
      'AVERAGE_POOL_2D',
      'CONV_2D',
      'DEPTHWISE_CONV_2D',
      'FULLY_CONNECTED',
      'RESHAPE',
      'SOFTMAX',
    ]);
    expect(a.layers[0]).toMatchObject({
      index: 0,
      op: 'CONV_2D',
      inputShapes: [[1, 8, 8, 1], [4, 3, 3, 1], [4]],
    });
    for (const l of a.layers) {
      for (const key of ['macs', 'paramBytes', 'outputBytes']) expect(typeof l[key]).toBe('number');
      expect(Array.isArray(l.outputShapes)).toBe(true);
    }
    expect(a.totals.macs).toBe(a.layers.reduce((s: number, l: { macs: number }) => s + l.macs, 0));
    expect(a.totals.paramBytes).toBeGreaterThan(0);
    expect(a.memory.arenaBytes).toBeGreaterThanOrEqual(a.memory.peakLiveBytes);
    expect(a.memory.noReuseBytes).toBeGreaterThanOrEqual(a.memory.peakLiveBytes);
    expect(a.unsupportedOps).toEqual([]);
  });

  it('prints a readable report', () => {
    const r = cli('analyze', modelPath);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^net\.tflite: /);
    expect(r.stdout).toMatch(/DEPTHWISE_CONV_2D/);
    expect(r.stdout).toMatch(/op set:/);
    expect(r.stdout).toMatch(/arena +[\d,]+ B/);
  });

  it('exits 2 with a one-line reason on a corrupt model', () => {
    const r = cli('analyze', corruptPath);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/corrupt\.tflite is not a readable TFLite model/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it.skipIf(!sharedModelsDir())('analyses a shared model', () => {
    const r = cli(
      'analyze',
      join(sharedModelsDir() as string, 'tflm/person_detect.tflite'),
      '--json',
    );
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.layers).toHaveLength(31);
    expect(a.model.ops).toContain('AVERAGE_POOL_2D');
  });
});

describe('tinydeploy command line (in process)', () => {
  it('exits 2 on a missing file', async () => {
    const r = await inProcess('analyze', join(dir, 'absent.tflite'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no such file/);
  });

  it('exits 64 with a usage line on bad command lines', async () => {
    for (const args of [
      [],
      ['analyze'],
      ['analyze', 'a', 'b'],
      ['analyze', modelPath, '--jsno'],
      ['frobnicate'],
    ]) {
      const r = await inProcess(...args);
      expect(r.code, args.join(' ')).toBe(64);
      expect(r.err, args.join(' ')).toMatch(/usage: tinydeploy/);
    }
  });

  it('prints help and version', async () => {
    const help = await inProcess('--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/analyze MODEL\.tflite/);
    const version = await inProcess('--version');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(version.out.trim()).toBe(pkg.version);
    const sub = await inProcess('analyze', '--help');
    expect(sub.code).toBe(0);
    expect(sub.out).toMatch(/usage: tinydeploy analyze/);
  });
});
