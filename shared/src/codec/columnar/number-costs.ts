/**
 * What a column of integers costs in each coding numbers.ts can write, worked out from a
 * few figures of the integers (their first value, minimum and maximum, and their differences'),
 * never by writing the coding out: the encoder weighs up to 30 codings a column, and on the agent
 * (node --lite-mode, no JIT) building each one took 9-14 ms a batch, with blocks of 20-30 ms.
 * Every figure here is the exact number of bits the writer (numbers.ts) would produce.
 */
import { bitLength, zigzag } from '../bit-io.js';

/**
 * A column's integers at one scale and the figures their packed cost follows from: their minimum,
 * maximum and first value, and the minimum and maximum of their differences from one sample to
 * the next.
 */
export interface Spread {
  readonly ints: readonly number[];
  readonly first: number;
  readonly min: number;
  readonly range: number;
  readonly dMin: number;
  readonly dRange: number;
}

export function spreadOf(ints: readonly number[]): Spread {
  const first = ints[0] ?? 0;
  let min = first;
  let max = first;
  let dMin = 0;
  let dMax = 0;
  for (let j = 1; j < ints.length; j++) {
    const k = ints[j] as number;
    const d = k - (ints[j - 1] as number);
    if (k < min) min = k;
    else if (k > max) max = k;
    if (j === 1 || d < dMin) dMin = d;
    if (j === 1 || d > dMax) dMax = d;
  }
  return { ints, first, min, range: max - min, dMin, dRange: dMax - dMin };
}

/** The bits `count` integers from `min` to `max` take packed (writeInts), without writing them. */
function packedBits(count: number, min: number, max: number): number {
  return count === 0 ? 0 : 6 + bitLength(zigzag(min)) + 6 + bitLength(max - min) * count;
}

/**
 * The cheapest coding offered so far. Codings are offered in the format's order of preference and
 * a later one wins only when strictly cheaper, so the choice (and so every byte) is the same as
 * listing every coding and taking the first cheapest.
 */
export class Cheapest {
  bits = Number.POSITIVE_INFINITY;
  delta = false;
  reference = 0;
  divisor = 1;
  drop = 0;

  /** Prices a coding's integers packed as they are and as differences, from their figures. */
  offer(s: Spread, header: number, reference: number, divisor: number, drop: number): void {
    const { first, min, dMin } = s;
    this.offerFigures(
      s.ints.length,
      first,
      min,
      min + s.range,
      dMin,
      dMin + s.dRange,
      header,
      reference,
      divisor,
      drop,
    );
  }

  /**
   * The sums the written bits would add up to, exactly, with nothing written: from the figures of
   * `count` integers (their first, minimum and maximum; their differences' minimum and maximum).
   */
  offerFigures(
    count: number,
    first: number,
    min: number,
    max: number,
    dMin: number,
    dMax: number,
    header: number,
    reference: number,
    divisor: number,
    drop: number,
  ): void {
    const plain = header + packedBits(count, min, max);
    const delta = header + 6 + bitLength(zigzag(first)) + packedBits(count - 1, dMin, dMax);
    if (plain < this.bits) this.take(plain, false, reference, divisor, drop);
    if (delta < this.bits) this.take(delta, true, reference, divisor, drop);
  }

  private take(bits: number, delta: boolean, reference: number, divisor: number, drop: number): void {
    this.bits = bits;
    this.delta = delta;
    this.reference = reference;
    this.divisor = divisor;
    this.drop = drop;
  }
}

/**
 * The largest range (max - min) of `count` packed integers that could still cost fewer than
 * `budget` bits, given `fixed` bits spent regardless: packing costs at least
 * fixed + bitLength(range) * count. -1 when nothing fits.
 */
export function rangeLimit(budget: number, fixed: number, count: number): number {
  if (count === 0) return Number.POSITIVE_INFINITY;
  const spare = budget - fixed - 1;
  // Bit counts are small integers: `| 0` floors the (non-negative) quotient.
  return spare < 0 ? -1 : 2 ** ((spare / count) | 0) - 1;
}

/**
 * Offers `own` minus the same samples' integers in an earlier column (`refInts`, at this column's
 * scale: a reference coding at `distance`), unless it cannot beat the cheapest so far. The scan
 * stops once neither the integers' range (past `plainLimit`, rangeLimit) nor their differences'
 * range leaves room to beat it, which for two unrelated columns is within a few values. Nothing is
 * allocated: the chosen coding's integers are worked out again when written.
 */
export function offerReference(
  best: Cheapest,
  own: readonly number[],
  refInts: readonly number[],
  distance: number,
  plainLimit: number,
): void {
  const count = own.length;
  let first = 0;
  let previous = 0;
  let min = 0;
  let max = 0;
  let dMin = 0;
  let dMax = 0;
  let deltaLimit = Number.POSITIVE_INFINITY;
  for (let j = 0; j < count; j++) {
    const k = (own[j] as number) - (refInts[j] as number);
    if (j === 0) {
      first = k;
      min = k;
      max = k;
      // The first value's own bits count too: a large offset leaves less room for differences.
      deltaLimit = rangeLimit(best.bits, REFERENCE_DELTA_FIXED_BITS + bitLength(zigzag(k)), count - 1);
    } else {
      const d = k - previous;
      if (k < min) min = k;
      else if (k > max) max = k;
      if (j === 1 || d < dMin) dMin = d;
      if (j === 1 || d > dMax) dMax = d;
      // Neither packing can win.
      if (max - min > plainLimit && dMax - dMin > deltaLimit) return;
    }
    previous = k;
  }
  best.offerFigures(count, first, min, max, dMin, dMax, 6, distance, 1, 0);
}

/**
 * Bits a reference coding spends whatever its values: 1 + 1 + 4 parameter bits, then packed plain
 * the minimum's 6-bit length and the 6-bit width; as differences the first value's 6-bit length
 * and the differences' minimum length and width (the values' own bits counted as 0: lower bounds).
 */
export const REFERENCE_PLAIN_FIXED_BITS = 6 + 12;
export const REFERENCE_DELTA_FIXED_BITS = 6 + 6 + 12;
