import { seeded } from '../seeded.js';

/** The fuzzer's randomness: every case draws from its own generator, seeded from (run seed, case number). */
export interface Rand {
  float(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function rand(seed: number): Rand {
  const next = seeded(seed);
  const int = (n: number) => Math.floor(next() * n);
  return {
    float: next,
    int,
    pick: <T>(items: readonly T[]) => items[int(items.length)] as T,
    chance: (p) => next() < p,
  };
}

/** A 32-bit seed for case `index` of the run seeded `seed` (a multiplicative hash, so neighbours differ). */
export function caseSeed(seed: number, index: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}
