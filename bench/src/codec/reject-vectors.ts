/**
 * Columnar payloads every decoder must reject (tests/interop/vectors/reject-*.json), one per rule
 * of docs/columnar.md, with the reason Pantau's decoder gives. Built by hand from their parts.
 */
import { deflateRawSync } from 'node:zlib';
import { bitBytes, columnarPayload, DICTIONARY, text, varint } from './payload-parts.js';

export interface RejectVector {
  readonly name: string;
  readonly description: string;
  readonly reason: string;
  readonly payload: Buffer;
}

/** v 1, agentVersion "x", `n` samples, `columns` columns. */
const head = (n: number, columns: number) => [1, ...text('x'), ...varint(n), ...varint(columns)];
/** A full constant column of wallMs (field 3) holding the integer 1. */
const WALL = [3, 0, 3, 1];
/** The value bits of sentAtMs = wallMs: a zero-length long. */
const SENT = bitBytes('000000');
const path = (segments: unknown[]) => [0, ...text(JSON.stringify(segments))];
const spelled = (raw: string) => [0, ...text(raw)];
/** A full number column of a spelled-out field `name` at `scale`, no nulls. */
const numberColumn = (name: string, scale = 0) => [...path([name]), 1, scale];

const repeat = (times: number, bytes: readonly number[]) => Array.from({ length: times }, () => bytes).flat();

function build(): RejectVector[] {
  const v = (name: string, reason: string, description: string, payload: Buffer): RejectVector => ({
    name,
    reason,
    description,
    payload,
  });
  const c = (structure: readonly number[], bits: readonly number[] = SENT) => columnarPayload(structure, bits);
  const deflated = deflateRawSync(Buffer.from([...head(1, 1), ...WALL]), { dictionary: DICTIONARY });
  return [
    v('samples-over-limit', 'limit_exceeded', '1441 samples', c([...head(1441, 1), ...WALL])),
    v(
      'declares-a-billion-cells',
      'limit_exceeded',
      '100,000 samples and 10,000 constant columns in 61 bytes (4 GB of cells to a decoder that trusts them)',
      c([...head(100_000, 10_000), ...repeat(10_000, [6, 0, 0])], []),
    ),
    v('columns-over-limit', 'limit_exceeded', '513 columns', c([...head(1, 513), ...repeat(513, [6, 0, 0])])),
    v(
      'cells-over-limit',
      'limit_exceeded',
      '1440 samples and 183 constant columns: 263,520 cells',
      c([...head(1440, 183), ...WALL, ...repeat(182, [6, 0, 0])]),
    ),
    v(
      'string-over-limit',
      'limit_exceeded',
      'an agentVersion of 1025 bytes',
      c([1, ...text('v'.repeat(1025)), 1, 1, ...WALL]),
    ),
    v(
      'path-over-limit',
      'limit_exceeded',
      'a spelled-out path of 9 segments',
      c([...head(1, 2), ...WALL, ...path(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']), 0, 0]),
    ),
    v(
      'path-not-canonical',
      'invalid_compression',
      'a spelled-out path with white space',
      c([...head(1, 2), ...WALL, ...spelled('[ "a"]'), 0, 0]),
    ),
    v(
      'path-prototype',
      'invalid_compression',
      'a path through __proto__',
      c([...head(1, 2), ...WALL, ...path(['__proto__', 'x']), 0, 0]),
    ),
    v(
      'path-index-over-limit',
      'invalid_compression',
      'an array index of 512',
      c([...head(1, 2), ...WALL, ...path(['a', 512]), 0, 0]),
    ),
    v(
      'array-hole',
      'invalid_compression',
      'element 1 of an array without element 0',
      c([...head(1, 2), ...WALL, ...path(['probes', 'latency', 'targets', 1, 'role']), 0, 6, ...text('noc')]),
    ),
    v('given-twice', 'invalid_compression', 'two wallMs columns', c([...head(1, 2), ...WALL, ...WALL])),
    v(
      'inside-a-plain-value',
      'invalid_compression',
      'a field inside wallMs, which is a number',
      c([...head(1, 2), ...WALL, ...path(['wallMs', 'x']), 0, 0]),
    ),
    v(
      'index-where-a-name-goes',
      'invalid_compression',
      'an array index inside an object',
      c([...head(1, 3), ...WALL, ...path(['p', 'x']), 0, 0, ...path(['p', 0]), 0, 0]),
    ),
    v(
      'bytes-after-the-stream',
      'invalid_compression',
      'a byte after the end of the DEFLATE stream, inside its declared length',
      Buffer.concat([Buffer.from([4, ...varint(deflated.byteLength + 1)]), deflated, Buffer.from([0, ...SENT])]),
    ),
    v(
      'not-deflate',
      'invalid_compression',
      'a structure that is not DEFLATE',
      Buffer.from([4, 3, 0xff, 0xff, 0xff, 0]),
    ),
    v('length-past-the-end', 'invalid_compression', 'a structure length past the payload', Buffer.from([4, 0x7f, 0])),
    v(
      'structure-bomb',
      'too_large',
      'a structure that inflates past 2 MiB',
      c([...head(1, 1), ...WALL, ...repeat(2 * 1024 * 1024, [0])]),
    ),
    v('unknown-tag', 'invalid_compression', 'a constant tagged 9', c([...head(1, 2), ...WALL, 6, 0, 9])),
    v(
      'unknown-field',
      'invalid_compression',
      'field 16383 (past the list, which only grows at its end)',
      c([...head(1, 2), ...WALL, 0xff, 0x7f, 1, 0, 0]),
    ),
    v('bad-header', 'invalid_compression', 'a column header of 8', c([...head(1, 2), ...WALL, 6, 8, 0])),
    v(
      'bad-scale',
      'invalid_compression',
      'a number column at scale 10',
      c([...head(1, 2), ...WALL, ...numberColumn('a', 10)]),
    ),
    v(
      'reserved-number-bits',
      'invalid_compression',
      'a number column with parameter bit 4 set',
      c([...head(1, 2), ...WALL, ...path(['a']), 1, 0x10]),
    ),
    v(
      'bad-boolean-parameter',
      'invalid_compression',
      'a boolean column with parameter 2',
      c([...head(1, 2), ...WALL, ...path(['a']), 2, 2], bitBytes('0 000000')),
    ),
    v(
      'reference-to-nothing',
      'invalid_compression',
      'a number column referring to an earlier one when there is none',
      c([...head(1, 2), ...WALL, ...numberColumn('a')], bitBytes('0 1 0000 000000 000000 000000')),
    ),
    v(
      'reference-other-rows',
      'invalid_compression',
      'a reference to a column that other samples have',
      c(
        [...head(2, 3), 3, 1, 0, ...numberColumn('a'), ...path(['b']), 1 | 4, 0],
        // wallMs: plain, divisor 1, min 1, width 0; a: the same; b: present in sample 0 only, refers to a.
        bitBytes('00 00 000001 1 000000 00 00 000001 1 000000 10 0 1 0000 000001 1 000000 000000'),
      ),
    ),
    v(
      'drop-over-scale',
      'invalid_compression',
      'a divisor 2 with a scale drop of 1 at scale 0',
      c([...head(1, 2), ...WALL, ...numberColumn('a')], bitBytes('0 0 01 01 000000 000000 000000')),
    ),
    v(
      'width-over-53',
      'invalid_compression',
      'values packed 54 bits wide',
      c([...head(1, 2), ...WALL, ...numberColumn('a')], bitBytes(`0 0 00 000000 110110 ${'0'.repeat(54)} 000000`)),
    ),
    v(
      'long-over-53',
      'invalid_compression',
      'a minimum 54 bits long',
      c([...head(1, 2), ...WALL, ...numberColumn('a')], bitBytes(`0 0 00 110110 ${'0'.repeat(54)} 000000 000000`)),
    ),
    v(
      'number-out-of-range',
      'invalid_compression',
      'a minimum of 2^52 - 1 plus a value of 2^53 - 1',
      c(
        [...head(1, 2), ...WALL, ...numberColumn('a')],
        bitBytes(`0 0 00 110101 ${'1'.repeat(52)}0 110101 ${'1'.repeat(53)} 000000`),
      ),
    ),
    v('bits-after-the-end', 'invalid_compression', 'a whole byte after sentAtMs', c([...head(1, 1), ...WALL], [0, 0])),
    v(
      'padding-not-zero',
      'invalid_compression',
      'a 1 in the padding of the last byte',
      c([...head(1, 1), ...WALL], [1]),
    ),
    v('bits-end-early', 'invalid_compression', 'no bits for sentAtMs', c([...head(1, 1), ...WALL], [])),
    v('bytes-after-the-columns', 'invalid_compression', 'a byte after the last column', c([...head(1, 1), ...WALL, 0])),
    v('structure-ends-early', 'invalid_compression', 'two columns declared, one given', c([...head(1, 2), ...WALL])),
    v('not-utf8', 'invalid_utf8', 'an agentVersion that is not UTF-8', c([1, 1, 0xff, 1, 1, ...WALL])),
    v(
      'not-finite',
      'invalid_compression',
      'a constant float that is NaN',
      c([...head(1, 2), ...WALL, 6, 0, 5, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f]),
    ),
    v(
      'varint-over-8-bytes',
      'invalid_compression',
      'a varint of 9 bytes',
      c([1, ...text('x'), 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0, 1, ...WALL]),
    ),
    v('no-wall-time', 'invalid_compression', 'a sample without wallMs', c([...head(1, 1), 1, 0, 3, 1])),
  ];
}

export function rejectVectors(): RejectVector[] {
  return build();
}
