/**
 * The columnar form's constants (docs/columnar.md): a column's kind, its header bits, and the tags
 * of values stored in the structure. FROZEN with the format: a change needs a new marker byte.
 */
import { type ByteReader, type ByteWriter, MalformedInput } from '../bit-io.js';
import type { Json } from './columns.js';

/** A column header's low two bits. */
export const KIND = { constant: 0, number: 1, boolean: 2, tagged: 3 } as const;
/** A column header's bit 2: some samples lack the field, so a presence bit per sample comes first. */
export const PARTIAL = 4;
/** A number column's parameter byte: the decimal scale in bits 0-3, "some values are null" in bit 5. */
export const SCALE_MASK = 0x0f;
export const NUMBER_NULLS = 0x20;
/** Bits of a number column's parameter byte that must be zero. */
export const NUMBER_RESERVED = 0xd0;

/** Number columns: the largest decimal scale, the divisors (by their 2-bit code), how far back a reference reaches. */
export const MAX_SCALE = 9;
export const DIVISORS = [1, 2, 3, 6] as const;
export const MAX_REFERENCE_DISTANCE = 16;

export const TAG = {
  null: 0,
  false: 1,
  true: 2,
  int: 3,
  negInt: 4,
  float: 5,
  string: 6,
  emptyArray: 7,
  emptyObject: 8,
} as const;

export function writeTagged(out: ByteWriter, value: Json): void {
  if (value === null) out.byte(TAG.null);
  else if (typeof value === 'boolean') out.byte(value ? TAG.true : TAG.false);
  else if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) {
      out.byte(value >= 0 ? TAG.int : TAG.negInt);
      out.varint(Math.abs(value));
    } else {
      out.byte(TAG.float);
      out.float64(value);
    }
  } else if (typeof value === 'string') {
    out.byte(TAG.string);
    out.string(value);
  } else out.byte(Array.isArray(value) ? TAG.emptyArray : TAG.emptyObject);
}

export function readTagged(input: ByteReader): Json {
  const tag = input.byte();
  switch (tag) {
    case TAG.null:
      return null;
    case TAG.false:
      return false;
    case TAG.true:
      return true;
    case TAG.int:
      return input.varint();
    case TAG.negInt:
      return -input.varint();
    case TAG.float: {
      const value = input.float64();
      // JSON has no NaN or Infinity: nothing valid ever encodes them.
      if (!Number.isFinite(value)) throw new MalformedInput('not a finite number');
      return value;
    }
    case TAG.string:
      return input.string();
    case TAG.emptyArray:
      return [];
    case TAG.emptyObject:
      return {};
    default:
      throw new MalformedInput(`unknown value tag ${tag}`);
  }
}
