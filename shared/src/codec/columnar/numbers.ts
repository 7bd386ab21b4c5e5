/**
 * How the binary columnar encoding (docs/columnar.md) codes one column of numbers. Every value becomes an
 * exact integer `k` at a decimal scale, then the column is bit-packed as:
 * - `k` itself, or `k` minus the same sample's integer in an earlier column of this batch (the
 *   reference: system uptime against the sample's uptime, max RTT against min RTT), and
 * - those as they are, or as differences from the previous sample (clocks and counters),
 * whichever takes fewest bits. A value the agent computed as a mean (an RTT average of three echoes,
 * a jitter over two differences) is `k / d` rounded to the column's decimals: coding the `k`
 * (`d` of 2, 3 or 6) keeps only the information the value has.
 *
 * Bits of one column: delta (1) | reference (1) [distance back - 1 (4)] | divisor code (2)
 * [scale drop (2)] | values: delta ? first value and packed differences : packed values,
 * where packed = minimum (zigzag, 6-bit length, bits) | width (6) | each value minus the minimum.
 *
 * The encoder keeps a coding only after checking that decoding it gives every value back bit for
 * bit, so any finite number round-trips; a column no coding fits is sent tagged instead.
 */
import { type BitWriter, bitLength, zigzag } from '../bit-io.js';
import { DIVISORS, MAX_REFERENCE_DISTANCE, MAX_SCALE } from './format.js';
import {
  Cheapest,
  offerReference,
  REFERENCE_DELTA_FIXED_BITS,
  REFERENCE_PLAIN_FIXED_BITS,
  rangeLimit,
  type Spread,
  spreadOf,
} from './number-costs.js';

/** Integers kept well inside 2^53 so differences and offsets from a minimum stay exact. */
const MAX_INT = 2 ** 50;

/** A number column already coded in this batch, as a later column may refer to it. */
interface NumberColumn {
  /** Which samples have a (non-null) value, e.g. `0,1,2,4`. */
  readonly rowsKey: string;
  readonly values: readonly number[];
}

/**
 * A number column as the encoder keeps it: also its spread at each scale a later column has
 * weighed it at (null when an integer is out of range), so up to 16 later columns round its values
 * once.
 */
export interface EncodedNumberColumn extends NumberColumn {
  readonly spreads: Map<number, Spread | null>;
}

function spreadAt(column: EncodedNumberColumn, scale: number): Spread | null {
  let spread = column.spreads.get(scale);
  if (spread === undefined) {
    const f = 10 ** scale;
    const ints = column.values.map((v) => Math.round(v * f));
    spread = ints.some((k) => Math.abs(k) > MAX_INT) ? null : spreadOf(ints);
    column.spreads.set(scale, spread);
  }
  return spread;
}

/** The smallest decimal scale at which every value is an exact integer, or null. */
export function scaleOf(values: readonly number[]): number | null {
  for (let s = 0; s <= MAX_SCALE; s++) {
    const f = 10 ** s;
    let exact = true;
    for (let j = 0; exact && j < values.length; j++) {
      const v = values[j] as number;
      const k = Math.round(v * f);
      exact = k <= MAX_INT && k >= -MAX_INT && k / f === v;
    }
    if (exact) return s;
  }
  return null;
}

/** The value integer `k` stands for at scale `scale`, divisor `d`, `drop` fewer decimals in `k`. */
export function fromInteger(k: number, scale: number, d: number, drop: number): number {
  if (d === 1) return k / 10 ** scale;
  return Math.round((k * 10 ** drop) / d) / 10 ** scale;
}

function integersAt(values: readonly number[], scale: number, d: number, drop: number): number[] | null {
  const ints: number[] = [];
  const dropped = 10 ** drop;
  const f = 10 ** scale;
  for (const v of values) {
    const k = Math.round(((v * d) / dropped) * f);
    if (k > MAX_INT || k < -MAX_INT || fromInteger(k, scale, d, drop) !== v) return null;
    ints.push(k);
  }
  return ints;
}

/**
 * Writes a coding's integers: packed, or the first and then the packed differences, where packed =
 * minimum (zigzag, as `long`) | width (6) | each value minus the minimum in `width` bits.
 */
function writeInts(out: BitWriter, spread: Spread, delta: boolean): void {
  const { ints } = spread;
  if (!delta) {
    if (ints.length === 0) return;
    const width = bitLength(spread.range);
    out.long(zigzag(spread.min));
    out.bits(width, 6);
    for (const k of ints) out.bits(k - spread.min, width);
    return;
  }
  out.long(zigzag(spread.first));
  if (ints.length < 2) return;
  const width = bitLength(spread.dRange);
  out.long(zigzag(spread.dMin));
  out.bits(width, 6);
  for (let j = 1; j < ints.length; j++) out.bits((ints[j] as number) - (ints[j - 1] as number) - spread.dMin, width);
}

/**
 * Picks the cheapest coding of a column's values (numbers at `scale`) and writes its bits. Returns
 * the column as later columns may refer to it.
 */
export function writeNumbers(
  out: BitWriter,
  values: readonly number[],
  scale: number,
  rowsKey: string,
  earlier: readonly EncodedNumberColumn[],
): EncodedNumberColumn {
  const f = 10 ** scale;
  // The column's own integers: scaleOf already checked each is exact and in range at `scale`.
  const own = values.map((v) => Math.round(v * f));
  const mine = spreadOf(own);
  const best = new Cheapest();
  best.offer(mine, 4, 0, 1, 0);
  // A divisor without a scale drop never wins, so it is not weighed. Its integers are exactly `d`
  // times the column's own: v * d * 10^scale is within 3 roundings (relative 2^-53 each) of d * k,
  // under 0.4 off while |d * k| <= MAX_INT, so Math.round gives d * k (and beyond MAX_INT the
  // coding is refused anyway). So its minimum, width and differences are all at least the own
  // coding's, and its parameters take 2 bits more: never strictly cheaper, never chosen.
  for (const d of DIVISORS.slice(1)) {
    for (let drop = 1; drop <= Math.min(3, scale); drop++) {
      const ints = integersAt(values, scale, d, drop);
      if (ints !== null) best.offer(spreadOf(ints), 6, 0, d, drop);
    }
  }
  let plainLimit = 0;
  let deltaLimit = 0;
  const setLimits = () => {
    plainLimit = rangeLimit(best.bits, REFERENCE_PLAIN_FIXED_BITS, own.length);
    deltaLimit = rangeLimit(best.bits, REFERENCE_DELTA_FIXED_BITS, own.length - 1);
  };
  setLimits();
  for (let distance = 1; distance <= Math.min(MAX_REFERENCE_DISTANCE, earlier.length); distance++) {
    const ref = earlier[earlier.length - distance] as EncodedNumberColumn;
    if (ref.rowsKey !== rowsKey) continue;
    const theirs = spreadAt(ref, scale);
    if (theirs === null) continue;
    // Ruled out without a scan: own = ints + ref, so range(own) <= range(ints) + range(ref), and
    // the same for differences; the ints vary at least as much as one column does beyond the other.
    if (Math.abs(mine.range - theirs.range) > plainLimit && Math.abs(mine.dRange - theirs.dRange) > deltaLimit) {
      continue;
    }
    const before = best.bits;
    offerReference(best, own, theirs.ints, distance, plainLimit);
    if (best.bits !== before) setLimits();
  }
  let chosen = mine;
  if (best.reference > 0) {
    const ref = spreadAt(earlier[earlier.length - best.reference] as EncodedNumberColumn, scale) as Spread;
    chosen = spreadOf(own.map((k, j) => k - (ref.ints[j] as number)));
  } else if (best.divisor !== 1) chosen = spreadOf(integersAt(values, scale, best.divisor, best.drop) as number[]);
  out.bits(best.delta ? 1 : 0, 1);
  out.bits(best.reference > 0 ? 1 : 0, 1);
  if (best.reference > 0) out.bits(best.reference - 1, 4);
  else {
    out.bits(DIVISORS.indexOf(best.divisor as (typeof DIVISORS)[number]), 2);
    if (best.divisor !== 1) out.bits(best.drop, 2);
  }
  writeInts(out, chosen, best.delta);
  return { rowsKey, values, spreads: new Map([[scale, mine]]) };
}
