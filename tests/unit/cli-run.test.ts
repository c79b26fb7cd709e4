// `tinydeploy run`: exit codes (0 pass, 1 fail or regression, 2 error, 64
// usage), the files it writes, --json, --input and --baseline. One headless
// Chromium for the file; the host board unless QEMU is asked for.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunArgv, runCommandWith } from '../../src/cli/commands/run.ts';
import type { Io } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { exampleBytes } from '../../src/core/examples/index.ts';
import { parseReport } from '../../src/core/report/parse-report.ts';
import { sha256Hex } from '../../src/core/report/sha256.ts';
import type { Report } from '../../src/core/report/types.ts';
import { hasQemu, prebuiltElf } from '../../src/node/qemu.ts';
import { launchReference, type ReferenceSession } from '../../src/node/reference-chromium.ts';
import { rpcBinaries } from './rpc-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'tinydeploy-run-'));
const cnnPath = join(dir, 'cnn.tflite');
const mlpPath = join(dir, 'mlp.tflite');
const kwsPath = join(dir, 'kws.tflite');
const junkPath = join(dir, 'junk.tflite');
writeFileSync(cnnPath, exampleBytes('cnn-int8') as Uint8Array);
writeFileSync(mlpPath, exampleBytes('mlp-float') as Uint8Array);
writeFileSync(kwsPath, exampleBytes('kws-int8') as Uint8Array);
writeFileSync(junkPath, new Uint8Array(200).fill(7));

let session: ReferenceSession;
beforeAll(async () => {
  session = await launchReference();
});
afterAll(async () => {
  await session.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Ran {
  code: number;
  out: string;
  err: string;
}

async function run(...args: string[]): Promise<Ran> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
  const code = await runCommandWith(args, io, {
    reference: session,
    boardOptions: { hostServer: rpcBinaries().server },
  });
  return { code, out, err };
}

const readReport = (path: string): Report => {
  const r = parseReport(readFileSync(path, 'utf8'));
  if (!r.ok) throw r.error;
  return r.value;
};

describe('tinydeploy run on the host board', () => {
  it('exits 0 on a passing model and writes the run files', async () => {
    const out = join(dir, 'pass');
    const r = await run(cnnPath, '--board', 'host', '--inputs', '3', '--seed', '5', '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^verdict: PASS/);
    expect(r.err).toContain('[package]');
    const files = readdirSync(out).sort();
    expect(files).toEqual(
      expect.arrayContaining(['profile.csv', 'report.html', 'report.json', 'summary.txt']),
    );
    if (
      existsSync(join(import.meta.dirname, '../../firmware-prebuilt/lib/cortex-m4f/manifest.json'))
    ) {
      expect(files.some((f) => f.endsWith('.zip'))).toBe(true);
    }
    const report = readReport(join(out, 'report.json'));
    expect(report.verdict).toBe('pass');
    expect(report.provenance).toMatchObject({ seed: 5, inputSets: 3, board: { name: 'host' } });
    expect(report.summary.source).toBe('host');
    expect(r.out).toMatch(/^profile: .*figures host \(host build, timing not representative/m);
    expect(readFileSync(join(out, 'summary.txt'), 'utf8')).toContain(
      'host build, timing not representative',
    );
    expect(report.provenance.firmware.sha256).toBe(
      sha256Hex(new Uint8Array(readFileSync(rpcBinaries().server))),
    );
    expect(
      readFileSync(join(out, 'profile.csv'), 'utf8')
        .split('\n')
        .filter((l) => /^\d/.test(l)),
    ).toHaveLength(report.layers.length);
  });

  it('prints the report with --json and takes --input files', async () => {
    const npy = join(dir, 'features.csv');
    writeFileSync(npy, Array.from({ length: 64 }, (_, i) => (i / 64).toFixed(3)).join(','));
    const r = await run(
      mlpPath,
      '--board=host',
      '--json',
      '--quiet',
      `--input=${npy}`,
      '--out',
      join(dir, 'json'),
    );
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as Report;
    expect(report.provenance.inputSets).toBe(1);
    expect(r.err).toBe('');
  });

  it('exits 1 when the run regresses against --baseline', async () => {
    const first = join(dir, 'base');
    expect(
      (await run(mlpPath, '--board', 'host', '--inputs', '2', '--out', first, '--quiet')).code,
    ).toBe(0);
    const baseline = readReport(join(first, 'report.json'));
    // A baseline whose arena was smaller: this run's arena "grew".
    baseline.summary.arenaBytes -= 64;
    baseline.memory.arenaBytes -= 64;
    const basePath = join(dir, 'baseline.json');
    writeFileSync(basePath, JSON.stringify(baseline));
    const r = await run(
      mlpPath,
      '--board',
      'host',
      '--inputs',
      '2',
      '--out',
      join(dir, 'again'),
      '--baseline',
      basePath,
      '--quiet',
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/regression against .*baseline\.json: .*arena/i);
  });

  it('exits 2 naming the stage for a file that is not a model, without starting a board', async () => {
    let err = '';
    const code = await main(['run', junkPath, '--board', 'host', '--out', join(dir, 'junk')], {
      out: () => {},
      err: (t) => (err += t),
    });
    expect(code).toBe(2);
    expect(err).toMatch(/stage 'package' \(BAD_MODEL\)/);
    expect(existsSync(join(dir, 'junk'))).toBe(false);
  });

  it('exits 2 naming the operators a model needs', async () => {
    const r = await run(kwsPath, '--board', 'host', '--out', join(dir, 'kws'), '--quiet');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /stage 'package' \(UNSUPPORTED_OPS\).*CUSTOM:AudioSpectrogram, CUSTOM:Mfcc/,
    );
  });

  it('exits 2 for a bad --input file, naming the input', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, '1,2,3');
    const r = await run(cnnPath, '--board', 'host', '--input', `image=${bad}`);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /stage 'validate' \(BAD_INPUT\): input 'image' .*holds 3 value\(s\); input 'image' takes 3072/,
    );
  });
});

describe('tinydeploy run command line', () => {
  it('parses flags in both forms, repeated inputs and thresholds', () => {
    const p = parseRunArgv([
      '--board',
      'qemu-an386',
      'm.tflite',
      '--input=a=x.npy',
      '--input',
      'b=y.csv',
      '--steps=2',
      '--min-top1',
      '0.9',
      '--no-localize',
    ]);
    expect(p.ok && p.value).toMatchObject({
      model: 'm.tflite',
      board: 'qemu-an386',
      inputs: [
        ['a', 'x.npy'],
        ['b', 'y.csv'],
      ],
      thresholds: { steps: 2, minTop1: 0.9 },
      localize: false,
      inputSets: 20,
    });
  });

  it('exits 64 on bad usage', async () => {
    for (const argv of [
      [],
      ['a.tflite', 'b.tflite'],
      ['m.tflite', '--board', 'nope'],
      ['m.tflite', '--inputs', '0'],
      ['m.tflite', '--frobnicate'],
      ['m.tflite', '--seed'],
    ]) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(64);
      expect(r.err).toContain('usage: tinydeploy run');
    }
  });
});

describe('tinydeploy run on the virtual board', () => {
  it('validates a small model on the default board, labelled emulated, with energy', async () => {
    const out = join(dir, 'virtual');
    const r = await run(mlpPath, '--inputs', '2', '--out', out, '--quiet');
    expect(r.code, r.err).toBe(0);
    const report = readReport(join(out, 'report.json'));
    expect(report.provenance.board.name).toBe('virtual-apollo4p');
    expect(report.summary.source).toBe('emulated');
    expect(report.layers.every((l) => l.cycles > 0)).toBe(true);
    expect(report.summary.energy?.modes.length).toBe(2);
    expect(readdirSync(out)).toContain('mlp-virtual-apollo4p.zip');
  });
});

describe('tinydeploy run on QEMU', () => {
  const ready = hasQemu() && existsSync(prebuiltElf('qemu-an386'));
  it.skipIf(!ready)('validates a small model on qemu-an386', async () => {
    const out = join(dir, 'qemu');
    const r = await run(mlpPath, '--board', 'qemu-an386', '--inputs', '3', '--out', out, '--quiet');
    expect(r.code, r.err).toBe(0);
    const report = readReport(join(out, 'report.json'));
    expect(report.provenance.board.name).toBe('qemu-an386');
    expect(report.summary.source).toBe('emulated');
    for (const file of ['summary.txt', 'profile.csv']) {
      const text = readFileSync(join(out, file), 'utf8');
      expect(text, file).toContain('QEMU (instruction-count timing, not cycle-accurate)');
      expect(text, file).not.toContain('cycle model');
    }
    expect(report.summary.totalCycles).toBeGreaterThan(0);
    // The image that ran, and the source id the board reported.
    expect(report.provenance.firmware.sha256).toBe(
      sha256Hex(new Uint8Array(readFileSync(prebuiltElf('qemu-an386')))),
    );
    expect(report.provenance.firmware.sourceId).toBe(report.provenance.firmware.buildId);
  });
});
