/**
 * Reads a number column's bits (docs/columnar.md, "Number columns"), as numbers.ts writes them:
 * delta (1) | reference (1) [distance - 1 (4)] | divisor code (2) [scale drop (2)] | integers.
 */
import { type BitReader, MalformedInput, unzigzag } from '../bit-io.js';
import { DIVISORS } from './format.js';
import { fromInteger } from './numbers.js';

/** A number column decoded earlier in the batch, as a later one may refer to it. */
export interface DecodedNumbers {
  /** The samples with a non-null value, in order. */
  readonly rows: readonly number[];
  readonly values: readonly number[];
}

function checked(value: number): number {
  if (!Number.isSafeInteger(value)) throw new MalformedInput('number out of range');
  return value;
}

/** minimum (zigzag, as `long`) | width (6) | each value minus the minimum in `width` bits. */
function readPacked(input: BitReader, count: number): number[] {
  if (count === 0) return [];
  const min = unzigzag(input.long());
  const width = input.bits(6);
  // A plain loop: Array.from over an array-like is slow in V8, and the collector reads every column here.
  const values = new Array<number>(count);
  for (let j = 0; j < count; j++) values[j] = checked(min + input.bits(width));
  return values;
}

function sameRows(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
  return true;
}

/** Reads the non-null values of a number column at `scale`; `rows` are the samples that have them. */
export function readNumbers(
  input: BitReader,
  rows: readonly number[],
  scale: number,
  earlier: readonly DecodedNumbers[],
): number[] {
  const count = rows.length;
  const delta = input.bits(1) === 1;
  const hasReference = input.bits(1) === 1;
  let ref: DecodedNumbers | undefined;
  let divisor = 1;
  let drop = 0;
  if (hasReference) {
    ref = earlier[earlier.length - 1 - input.bits(4)];
    if (ref === undefined || !sameRows(ref.rows, rows)) throw new MalformedInput('bad column reference');
  } else {
    divisor = DIVISORS[input.bits(2)] as number;
    if (divisor !== 1) drop = input.bits(2);
    if (drop > scale) throw new MalformedInput('bad scale drop');
  }
  let ints: number[];
  if (delta && count > 0) {
    const first = unzigzag(input.long());
    ints = readPacked(input, count - 1);
    // Differences to running values, in place, shifted one along behind the first value.
    let previous = first;
    for (let j = 0; j < ints.length; j++) {
      const d = ints[j] as number;
      ints[j] = previous;
      previous = checked(previous + d);
    }
    ints.push(previous);
  } else ints = readPacked(input, count);
  const f = 10 ** scale;
  for (let j = 0; j < ints.length; j++) {
    let k = ints[j] as number;
    if (ref !== undefined) k = checked(k + Math.round((ref.values[j] as number) * f));
    ints[j] = fromInteger(k, scale, divisor, drop);
  }
  return ints;
}
