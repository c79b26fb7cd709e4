// Fuzzing the reader: mutated models (bit flips, byte and word overwrites,
// truncations, splices, insertions, random bytes) must give ok or a
// ModelError, never an exception, and quickly. Models that still read must
// round-trip through the writer. Seeded: the seed is printed on failure and
// can be replayed with TINYDEPLOY_FUZZ_SEED=<seed>.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/core/errors.ts';
import { readModel } from '../../src/core/tflite/read.ts';
import { writeModel } from '../../src/core/tflite/write.ts';
import { firstDifference } from '../../src/core/tflite/equal.ts';
import { sampleModels } from '../../src/core/tflite/samples.ts';
import type { Model } from '../../src/core/tflite/model.ts';
import { listSharedModels, sharedModelsDir } from '../support/models.ts';

const CASES = Number(process.env.TINYDEPLOY_FUZZ_CASES ?? 10_000);
const SEED = Number(process.env.TINYDEPLOY_FUZZ_SEED ?? Date.now() % 2 ** 31);
const MAX_CASE_MS = 200;
const MAX_SEED_BYTES = 400_000;

/** mulberry32: small, fast, good enough to drive mutations. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

interface Seed {
  name: string;
  bytes: Uint8Array;
  /** Byte positions outside constant data, where mutations hit structure. */
  structure: number[];
}

function makeSeed(name: string, bytes: Uint8Array): Seed {
  const r = readModel(bytes);
  if (!r.ok) throw new Error(`fuzz seed ${name} does not read: ${r.error.message}`);
  const inData = new Uint8Array(bytes.length);
  for (const b of r.value.buffers) {
    const start = b.data.byteOffset - bytes.byteOffset;
    if (b.data.buffer === bytes.buffer) inData.fill(1, start, start + b.data.length);
  }
  const structure: number[] = [];
  for (let i = 0; i < bytes.length; i++) if (!inData[i]) structure.push(i);
  return { name, bytes, structure };
}

function loadSeeds(): Seed[] {
  const seeds = sampleModels().map(([name, m]) => makeSeed(`built: ${name}`, writeModel(m)));
  // The large-model form, whose offset/size fields point past the flatbuffer.
  const [[name, first]] = sampleModels() as [[string, Model]];
  seeds.push(makeSeed(`built: ${name} (external)`, writeModel(first, { external: true })));
  const dir = sharedModelsDir();
  if (dir) {
    const files = listSharedModels().filter((f) => statSync(join(dir, f)).size <= MAX_SEED_BYTES);
    // All non-seanet models plus a few seanet ones (they are alike).
    const seanet = files.filter((f) => f.startsWith('seanet/'));
    const picked = [
      ...files.filter((f) => !f.startsWith('seanet/')),
      ...seanet.filter((_, i) => i % 16 === 0),
    ];
    for (const f of picked) seeds.push(makeSeed(f, new Uint8Array(readFileSync(join(dir, f)))));
  }
  return seeds;
}

const INTERESTING_U32 = [
  0, 1, 2, 3, 4, 8, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
];

type Mutator = (rand: () => number, seed: Seed, other: Seed) => Uint8Array;

const int = (rand: () => number, n: number): number => Math.floor(rand() * n);

function position(rand: () => number, s: Seed): number {
  // Mostly in structure: flips inside weights never reach the reader's logic.
  if (s.structure.length > 0 && rand() < 0.8)
    return s.structure[int(rand, s.structure.length)] as number;
  return int(rand, s.bytes.length);
}

const MUTATORS: Array<[string, Mutator]> = [
  [
    'bit flips',
    (rand, s) => {
      const b = s.bytes.slice();
      const n = 1 + int(rand, 8);
      for (let i = 0; i < n; i++) {
        const p = position(rand, s);
        b[p] = (b[p] as number) ^ (1 << int(rand, 8));
      }
      return b;
    },
  ],
  [
    'byte overwrites',
    (rand, s) => {
      const b = s.bytes.slice();
      const n = 1 + int(rand, 4);
      for (let i = 0; i < n; i++)
        b[position(rand, s)] = [0, 0xff, 0x7f, 0x80, int(rand, 256)][int(rand, 5)] as number;
      return b;
    },
  ],
  [
    'word overwrites',
    (rand, s) => {
      const b = s.bytes.slice();
      const dv = new DataView(b.buffer);
      const p = Math.min(position(rand, s) & ~3, b.length - 4);
      const choices = [
        ...INTERESTING_U32,
        b.length,
        b.length - 4,
        b.length + 4,
        int(rand, 2 ** 32),
      ];
      dv.setUint32(Math.max(0, p), choices[int(rand, choices.length)] as number, true);
      return b;
    },
  ],
  ['truncation', (rand, s) => s.bytes.slice(0, int(rand, s.bytes.length))],
  [
    'splice',
    (rand, s, o) => {
      const cut = int(rand, s.bytes.length);
      const from = int(rand, o.bytes.length);
      const out = new Uint8Array(cut + o.bytes.length - from);
      out.set(s.bytes.subarray(0, cut));
      out.set(o.bytes.subarray(from), cut);
      return out;
    },
  ],
  [
    'insertion',
    (rand, s) => {
      const at = position(rand, s);
      const n = 1 + int(rand, 16);
      const out = new Uint8Array(s.bytes.length + n);
      out.set(s.bytes.subarray(0, at));
      for (let i = 0; i < n; i++) out[at + i] = int(rand, 256);
      out.set(s.bytes.subarray(at), at + n);
      return out;
    },
  ],
  [
    'random bytes',
    (rand) => {
      const out = new Uint8Array(int(rand, 2048));
      for (let i = 0; i < out.length; i++) out[i] = int(rand, 256);
      if (out.length >= 8 && rand() < 0.7) out.set([0x54, 0x46, 0x4c, 0x33], 4); // "TFL3"
      return out;
    },
  ],
];

describe('fuzzing readModel', () => {
  it(`survives ${CASES} mutated models (seed ${SEED})`, () => {
    const seeds = loadSeeds();
    const rand = prng(SEED);
    const stats = new Map<string, number>();
    let worstMs = 0;
    let worstCase = '';
    let roundTrips = 0;
    for (let c = 0; c < CASES; c++) {
      const seed = seeds[int(rand, seeds.length)] as Seed;
      const other = seeds[int(rand, seeds.length)] as Seed;
      const [kind, mutate] = MUTATORS[int(rand, MUTATORS.length)] as [string, Mutator];
      const bytes = mutate(rand, seed, other);
      const where = `case ${c} (${kind} of ${seed.name}), seed ${SEED}`;
      let result: ReturnType<typeof readModel>;
      const t0 = performance.now();
      try {
        result = readModel(bytes);
      } catch (e) {
        throw new Error(`readModel threw on ${where}: ${String(e)}`, { cause: e });
      }
      let ms = performance.now() - t0;
      // A slow case is timed again: GC pauses and JIT work are not the input's cost.
      for (let retry = 0; retry < 3 && ms > 10; retry++) {
        const t1 = performance.now();
        readModel(bytes);
        ms = Math.min(ms, performance.now() - t1);
      }
      if (ms > worstMs) [worstMs, worstCase] = [ms, where];
      if (result.ok) {
        stats.set('ok', (stats.get('ok') ?? 0) + 1);
        // What reads must also write and read back the same (cheap seeds only).
        if (bytes.length < 64_000 || c % 16 === 0) {
          const back = readModel(writeModel(result.value));
          expect(back.ok && firstDifference(result.value, back.value), where).toBeNull();
          roundTrips++;
        }
      } else {
        expect(result.error, where).toBeInstanceOf(ModelError);
        expect(result.error.message, where).not.toMatch(/^internal/);
        stats.set(result.error.code, (stats.get(result.error.code) ?? 0) + 1);
      }
    }
    console.log(
      `fuzz seed ${SEED}: ${CASES} cases over ${seeds.length} seeds, worst ${worstMs.toFixed(1)} ms (${worstCase}), ` +
        `${roundTrips} round trips, outcomes ${JSON.stringify(Object.fromEntries(stats))}`,
    );
    expect(worstMs, `slowest: ${worstCase}`).toBeLessThan(MAX_CASE_MS);
    // The mutations must exercise both paths, or the test proves little.
    expect(stats.get('ok') ?? 0).toBeGreaterThan(CASES / 50);
    expect(CASES - (stats.get('ok') ?? 0)).toBeGreaterThan(CASES / 5);
  });
});
