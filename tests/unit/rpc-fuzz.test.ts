// The C server under AddressSanitizer + UBSan fed hostile input by rpc-fuzz
// (firmware/host/rpc_fuzz.c): garbage, random and damaged frames, requests
// with edge-case fields, repeats, frames arriving while busy. The fuzzer
// also checks that everything the server writes is a valid frame and that
// repeats are answered from the cache.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildExample } from '../../src/core/examples/index.ts';
import { packageOf } from '../support/package-fixtures.ts';
import { rpcBinaries } from './rpc-support.ts';

interface FuzzReport {
  cases: number;
  sent: number;
  responses: number;
  naks: number;
  replays: number;
  uploads: number;
  invokesOk: number;
  /** Responses by td_rpc_status value. */
  status: number[];
}

function fuzz(seed: number, cases: number, pkg?: Uint8Array): FuzzReport {
  const dir = mkdtempSync(join(tmpdir(), 'rpc-fuzz-'));
  try {
    const args = [String(seed), String(cases)];
    if (pkg) {
      writeFileSync(join(dir, 'model.tdpk'), pkg);
      args.push(join(dir, 'model.tdpk'));
    }
    const r = spawnSync(rpcBinaries().fuzz, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
    if (r.status !== 0)
      throw new Error(`rpc-fuzz ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
    return JSON.parse(r.stdout) as FuzzReport;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('RPC server fuzzing (sanitizers)', () => {
  it('survives hostile input with a model loaded, answering only in valid frames', () => {
    const r = fuzz(11, 1500, packageOf(buildExample('cnn-int8')!).bytes);
    expect(r.cases).toBe(1500);
    // Every path was reached: uploads, successful invokes, NAKs, replays,
    // and a spread of statuses (OK, BAD_REQUEST, BAD_STATE, OUT_OF_RANGE, ...).
    expect(r.uploads).toBeGreaterThan(800);
    expect(r.invokesOk).toBeGreaterThan(100);
    expect(r.naks).toBeGreaterThan(10000);
    expect(r.replays).toBeGreaterThan(1000);
    for (const s of [0, 3, 4, 5, 6, 7, 8]) expect(r.status[s], `status ${s}`).toBeGreaterThan(0);
  });

  it('survives hostile input with no package at all', () => {
    const r = fuzz(12, 1500);
    expect(r.uploads).toBe(0);
    expect(r.responses).toBeGreaterThan(10000);
  });
});
