/**
 * How the binary columnar encoding (columnar.ts) codes one column of numbers. Every value becomes an
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
import { type BitReader, type BitWriter, bitLength, MalformedInput, unzigzag, zigzag } from './bit-io.js';

export const MAX_SCALE = 9;
/** Integers kept well inside 2^53 so differences and offsets from a minimum stay exact. */
const MAX_INT = 2 ** 50;
const DIVISORS = [1, 2, 3, 6] as const;
/** How many earlier number columns a column may refer to (4 bits). */
const MAX_REFERENCE_DISTANCE = 16;

/** A number column already coded in this batch, as a later column may refer to it. */
export interface NumberColumn {
  /** Which samples have a (non-null) value, e.g. `0,1,2,4`. */
  readonly rowsKey: string;
  readonly values: readonly number[];
}

/** The smallest decimal scale at which every value is an exact integer, or null. */
export function scaleOf(values: readonly number[]): number | null {
  for (let s = 0; s <= MAX_SCALE; s++) {
    const f = 10 ** s;
    if (values.every((v) => Math.abs(Math.round(v * f)) <= MAX_INT && Math.round(v * f) / f === v)) return s;
  }
  return null;
}

/** The value integer `k` stands for at scale `scale`, divisor `d`, `drop` fewer decimals in `k`. */
function fromInteger(k: number, scale: number, d: number, drop: number): number {
  if (d === 1) return k / 10 ** scale;
  return Math.round((k * 10 ** drop) / d) / 10 ** scale;
}

function integersAt(values: readonly number[], scale: number, d: number, drop: number): number[] | null {
  const ints: number[] = [];
  for (const v of values) {
    const k = Math.round(((v * d) / 10 ** drop) * 10 ** scale);
    if (Math.abs(k) > MAX_INT || fromInteger(k, scale, d, drop) !== v) return null;
    ints.push(k);
  }
  return ints;
}

function packedBits(ints: readonly number[]): number {
  if (ints.length === 0) return 0;
  const min = Math.min(...ints);
  return 6 + bitLength(zigzag(min)) + 6 + bitLength(Math.max(...ints) - min) * ints.length;
}

function writePacked(out: BitWriter, ints: readonly number[]): void {
  if (ints.length === 0) return;
  const min = Math.min(...ints);
  const width = bitLength(Math.max(...ints) - min);
  out.long(zigzag(min));
  out.bits(width, 6);
  for (const v of ints) out.bits(v - min, width);
}

function readPacked(input: BitReader, count: number): number[] {
  if (count === 0) return [];
  const min = unzigzag(input.long());
  const width = input.bits(6);
  return Array.from({ length: count }, () => checked(min + input.bits(width)));
}

function checked(value: number): number {
  if (!Number.isSafeInteger(value)) throw new MalformedInput('number out of range');
  return value;
}

function differences(ints: readonly number[]): number[] {
  return ints.slice(1).map((v, j) => v - (ints[j] as number));
}

interface Coding {
  readonly bits: number;
  readonly delta: boolean;
  readonly reference: number;
  readonly divisor: number;
  readonly drop: number;
  readonly ints: number[];
}

function costed(ints: number[], base: Omit<Coding, 'bits' | 'delta' | 'ints'>, header: number): Coding[] {
  const plain = header + packedBits(ints);
  const delta = header + 6 + bitLength(zigzag(ints[0] ?? 0)) + packedBits(differences(ints));
  return [
    { ...base, ints, delta: false, bits: plain },
    { ...base, ints, delta: true, bits: delta },
  ];
}

/** Picks the cheapest coding of a column's values (numbers at `scale`) and writes its bits. */
export function writeNumbers(
  out: BitWriter,
  values: readonly number[],
  scale: number,
  rowsKey: string,
  earlier: readonly NumberColumn[],
): void {
  const own = integersAt(values, scale, 1, 0) as number[];
  const candidates: Coding[] = costed(own, { reference: 0, divisor: 1, drop: 0 }, 4);
  for (const d of DIVISORS.slice(1)) {
    for (let drop = 0; drop <= Math.min(3, scale); drop++) {
      const ints = integersAt(values, scale, d, drop);
      if (ints !== null) candidates.push(...costed(ints, { reference: 0, divisor: d, drop }, 6));
    }
  }
  for (let distance = 1; distance <= Math.min(MAX_REFERENCE_DISTANCE, earlier.length); distance++) {
    const ref = earlier[earlier.length - distance] as NumberColumn;
    if (ref.rowsKey !== rowsKey) continue;
    const refInts = ref.values.map((v) => Math.round(v * 10 ** scale));
    if (refInts.some((k) => Math.abs(k) > MAX_INT)) continue;
    const ints = own.map((k, j) => k - (refInts[j] as number));
    candidates.push(...costed(ints, { reference: distance, divisor: 1, drop: 0 }, 6));
  }
  const best = candidates.reduce((a, b) => (b.bits < a.bits ? b : a));
  out.bits(best.delta ? 1 : 0, 1);
  out.bits(best.reference > 0 ? 1 : 0, 1);
  if (best.reference > 0) out.bits(best.reference - 1, 4);
  else {
    out.bits(DIVISORS.indexOf(best.divisor as (typeof DIVISORS)[number]), 2);
    if (best.divisor !== 1) out.bits(best.drop, 2);
  }
  if (best.delta) {
    out.long(zigzag(best.ints[0] ?? 0));
    writePacked(out, differences(best.ints));
  } else writePacked(out, best.ints);
}

/** Reads `count` numbers written by writeNumbers. */
export function readNumbers(
  input: BitReader,
  count: number,
  scale: number,
  rowsKey: string,
  earlier: readonly NumberColumn[],
): number[] {
  const delta = input.bits(1) === 1;
  const hasReference = input.bits(1) === 1;
  let ref: NumberColumn | undefined;
  let divisor = 1;
  let drop = 0;
  if (hasReference) {
    ref = earlier[earlier.length - 1 - input.bits(4)];
    if (ref === undefined || ref.rowsKey !== rowsKey) throw new MalformedInput('bad column reference');
  } else {
    divisor = DIVISORS[input.bits(2)] as number;
    if (divisor !== 1) drop = input.bits(2);
    if (drop > scale) throw new MalformedInput('bad scale drop');
  }
  let ints: number[];
  if (delta && count > 0) {
    ints = [unzigzag(input.long())];
    for (const d of readPacked(input, count - 1)) ints.push(checked((ints[ints.length - 1] as number) + d));
  } else ints = readPacked(input, count);
  if (ref !== undefined) {
    const refValues = ref.values;
    ints = ints.map((k, j) => checked(k + Math.round((refValues[j] as number) * 10 ** scale)));
  }
  return ints.map((k) => fromInteger(k, scale, divisor, drop));
}
