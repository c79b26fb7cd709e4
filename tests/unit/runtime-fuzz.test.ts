// Sanitizer fuzzing of td_load/td_invoke (firmware/host/fuzz_load.c): valid
// packages, mutated (bit flips, truncation, field overwrites with the CRC
// recomputed so the checks behind it are reached), must only ever produce
// known statuses, with no AddressSanitizer or UBSan report.
import { describe, expect, it } from 'vitest';
import { fuzzLoad, hostBinaries } from '../support/host-runtime.ts';
import { packageOf, representativePackages, reshapeChain } from '../support/package-fixtures.ts';

const SANITIZER_REPORT = /AddressSanitizer|LeakSanitizer|runtime error:/;

function fuzz(packages: Uint8Array[], seed: number, cases: number) {
  const r = fuzzLoad(packages, seed, cases);
  // The sanitizer's own report is the useful failure message.
  if (!r.ok) {
    const replay = `replay: ${hostBinaries().tdRunSan} --fill 0xA5 ${r.crashFile} ${r.crashFile}.in /dev/null`;
    expect.fail(`fuzz-load exited ${r.exitCode}:\n${r.stderr.slice(0, 3000)}\n${replay}`);
  }
  expect(r.stderr).not.toMatch(SANITIZER_REPORT);
  return r.report;
}

describe('td_load under ASan + UBSan', () => {
  it('survives 20,000 mutations of a package, reaching every check', () => {
    const report = fuzz([packageOf(reshapeChain()).bytes], 20260101, 20_000);
    expect(report.cases).toBe(20_000);
    const sum = Object.values(report.status).reduce((a, b) => a + b, 0);
    expect(sum).toBe(20_000);
    // Mutations got past the CRC to the checks behind it, and some still loaded and ran.
    for (const s of [
      'TD_OK',
      'TD_ERR_BAD_MAGIC',
      'TD_ERR_BAD_VERSION',
      'TD_ERR_BAD_CRC',
      'TD_ERR_TRUNCATED',
      'TD_ERR_OUT_OF_BOUNDS',
      'TD_ERR_BAD_TENSOR',
      'TD_ERR_BAD_OP',
      'TD_ERR_UNKNOWN_KERNEL',
      'TD_ERR_BAD_PARAMS',
      'TD_ERR_ARENA_TOO_SMALL',
      'TD_ERR_BAD_INDEX',
      'TD_ERR_ALIGNMENT',
    ]) {
      expect(report.status[s] ?? 0, s).toBeGreaterThan(0);
    }
    expect(report.invoked).toBe(report.status.TD_OK);
  });

  it('survives 20,000 mutations spread over one package per kernel combination', () => {
    const seeds = representativePackages(256 * 1024)
      .map((p) => p.build.bytes)
      .filter((b) => b.length <= 32 * 1024)
      .slice(0, 64);
    expect(seeds.length).toBeGreaterThan(0);
    const report = fuzz(seeds, 77, 20_000);
    expect(report.invoked).toBeGreaterThan(0);
    expect(report.status.TD_ERR_BAD_PARAMS ?? 0).toBeGreaterThan(0);
  });
});
