/**
 * Columnar payloads built by hand that every decoder must accept, for what the decoder allows and
 * Pantau's encoder never writes (docs/columnar.md): a non-minimal varint, a partial column that
 * every sample has, a number column without values, a divisor without a scale drop, a reference
 * with differences.
 */
import { bitBytes, columnarPayload, text, varint } from './payload-parts.js';

export interface HandmadeVector {
  readonly name: string;
  readonly description: string;
  readonly payload: Buffer;
}

const bits = (value: number, width: number) => value.toString(2).padStart(width, '0');
/** A `long`: its bit length in 6 bits, then its bits. */
const long = (value: number) => (value === 0 ? '000000' : bits(value.toString(2).length, 6) + value.toString(2));
const zigzag = (value: number) => (value >= 0 ? value * 2 : -value * 2 - 1);
const path = (segments: unknown[]) => [0, ...text(JSON.stringify(segments))];

export function handmadeVectors(): HandmadeVector[] {
  const leeway = columnarPayload(
    [
      1,
      ...text('hand'),
      ...varint(2),
      ...varint(4),
      // wallMs by field 3 as a two-byte varint; a full number column at scale 0.
      0x83,
      0x00,
      1,
      0,
      // `a`: partial, yet both samples have it; at scale 0.
      ...path(['a']),
      1 | 4,
      0,
      // `b`: partial, no sample has it; at scale 3.
      ...path(['b']),
      1 | 4,
      3,
      // `c`: full, at scale 1.
      ...path(['c']),
      1,
      1,
    ],
    bitBytes(
      [
        // wallMs: delta, no reference, divisor 1; first 1000; one difference of 60000 packed 0 bits wide.
        `1 0 00 ${long(zigzag(1000))} ${long(zigzag(60000))} 000000`,
        // a: presence 11; plain, referring to wallMs (distance 1); minimum 5, width 1, values 0 and 1.
        `11 0 1 0000 ${long(zigzag(5))} 000001 0 1`,
        // b: presence 00; the number bits still come: plain, no reference, divisor 1.
        '00 0 0 00',
        // c: plain, divisor 3 (code 2) without a scale drop; minimum 10, width 2, values 0 and 3.
        `0 0 10 00 ${long(zigzag(10))} 000010 00 11`,
        // sentAtMs: one millisecond before the first wallMs.
        long(zigzag(-1)),
      ].join(' '),
    ),
  );
  const smallest = columnarPayload([1, ...text('x'), 1, 1, 3, 0, 3, 1], bitBytes('000000'));
  return [
    {
      name: 'smallest',
      description: 'The smallest batch that decodes: one sample holding only a constant wallMs.',
      payload: smallest,
    },
    {
      name: 'decoder-leeway',
      description:
        'What decoders accept and Pantau never writes: a two-byte varint for 3, a partial column every sample ' +
        'has, one no sample has, divisor 3 without a scale drop, a reference with differences in its referent.',
      payload: leeway,
    },
  ];
}
