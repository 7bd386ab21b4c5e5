/**
 * Columnar payloads taken apart and put together by hand: the test vectors show each part, and the
 * hostile payloads (rejects, the fuzzer's mutations) are built from parts no encoder would write.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { COLUMNAR_DICTIONARY_V2 } from '@pantau/shared';

export const DICTIONARY = Buffer.from(COLUMNAR_DICTIONARY_V2, 'base64');

export function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

/** A string as the structure holds it: varint byte length, then UTF-8. */
export function text(value: string): number[] {
  const bytes = [...Buffer.from(value, 'utf8')];
  return [...varint(bytes.length), ...bytes];
}

/** Bits, most significant first, to bytes padded with zeros. */
export function bitBytes(bits: string): number[] {
  const clean = bits.replace(/[^01]/g, '');
  const out: number[] = [];
  for (let i = 0; i < clean.length; i += 8) out.push(Number.parseInt(clean.slice(i, i + 8).padEnd(8, '0'), 2));
  return out;
}

/** A columnar payload (marker included) from its inflated structure and its value bits. */
export function columnarPayload(structure: Uint8Array | readonly number[], values: Uint8Array | readonly number[]) {
  const deflated = deflateRawSync(Buffer.from(structure), { level: 9, dictionary: DICTIONARY });
  return Buffer.concat([Buffer.from([0x04, ...varint(deflated.byteLength)]), deflated, Buffer.from(values)]);
}

export interface ColumnarParts {
  readonly structure: Buffer;
  readonly values: Buffer;
}

/** The inflated structure and the value bits of a well-formed columnar payload (marker included). */
export function columnarParts(payload: Uint8Array): ColumnarParts {
  let at = 1;
  let length = 0;
  for (let shift = 1; ; shift *= 0x80) {
    const b = payload[at++] as number;
    length += (b & 0x7f) * shift;
    if (b < 0x80) break;
  }
  const deflated = payload.subarray(at, at + length);
  return {
    structure: inflateRawSync(deflated, { dictionary: DICTIONARY }),
    values: Buffer.from(payload.subarray(at + length)),
  };
}
