// A transport wrapper that damages the link, for robustness tests: drops or
// corrupts bytes with given probabilities, in both directions, from a seed
// (so a failing run can be replayed).
import { createRng } from '../validate/prng.ts';
import type { Transport } from './transport.ts';

export interface LossyOptions {
  seed: number;
  /** Probability that a byte is lost. */
  drop: number;
  /** Probability that a byte is replaced by a different value. */
  corrupt: number;
}

export interface LossyStats {
  bytes: number;
  dropped: number;
  corrupted: number;
}

export interface LossyTransport extends Transport {
  readonly stats: LossyStats;
}

export function lossy(inner: Transport, options: LossyOptions): LossyTransport {
  const rng = createRng(options.seed);
  const stats: LossyStats = { bytes: 0, dropped: 0, corrupted: 0 };
  const damage = (bytes: Uint8Array): Uint8Array => {
    const out: number[] = [];
    for (const b of bytes) {
      stats.bytes++;
      if (rng.chance(options.drop)) {
        stats.dropped++;
        continue;
      }
      if (rng.chance(options.corrupt)) {
        stats.corrupted++;
        out.push(b ^ rng.int(1, 255));
        continue;
      }
      out.push(b);
    }
    return Uint8Array.from(out);
  };
  return {
    stats,
    write: (bytes) => inner.write(damage(bytes)),
    onData: (cb) => inner.onData((bytes) => cb(damage(bytes))),
    onClose: (cb) => inner.onClose(cb),
    close: () => inner.close(),
  };
}
