/**
 * A columnar payload's body (after its marker byte): varint(length of the deflated structure) |
 * the structure, raw DEFLATE with the preset dictionary | the value bits (docs/columnar.md).
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { fail, ok, type Result } from '../../result.js';
import { ByteReader, ByteWriter, type MalformedCode, MalformedInput } from '../bit-io.js';
import { decodeColumnar } from './decode.js';
import { COLUMNAR_DICTIONARY_V2 } from './dictionary.js';
import { type ColumnarHead, encodeColumnar } from './encode.js';
import type { SampleBuilder } from './samples.js';

const dictionary = Buffer.from(COLUMNAR_DICTIONARY_V2, 'base64');

/**
 * Inflates a structure: exactly one DEFLATE stream with the preset dictionary, expanding to at most
 * `maxBytes`, with nothing after its end. Throws MalformedInput (too_large past `maxBytes`).
 */
export function inflateStructure(deflated: Uint8Array, maxBytes: number): Uint8Array {
  let inflated: { buffer: Buffer; engine: { bytesWritten: number } };
  try {
    inflated = inflateRawSync(deflated, { dictionary, maxOutputLength: maxBytes, info: true }) as unknown as {
      buffer: Buffer;
      engine: { bytesWritten: number };
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new MalformedInput(`the structure expands beyond ${maxBytes} bytes`, 'too_large');
    }
    throw new MalformedInput(`the structure is not DEFLATE: ${(error as Error).message}`);
  }
  if (inflated.engine.bytesWritten !== deflated.byteLength) {
    throw new MalformedInput('bytes after the end of the structure stream');
  }
  return inflated.buffer;
}

/**
 * Faster ways to decode some payloads (the collector's caches and generated builders). Each must
 * give exactly what the plain path gives, and throw where it throws.
 */
export interface ColumnarAccelerators {
  readonly inflateStructure?: (deflated: Uint8Array, maxBytes: number) => Uint8Array;
  readonly buildSamples?: SampleBuilder;
}

/** A columnar body, or null when the batch is past the columnar limits (send it another way). */
export function packColumnar(head: ColumnarHead, samples: readonly unknown[]): Buffer | null {
  const encoded = encodeColumnar(head, samples);
  if (encoded === null) return null;
  const deflated = deflateRawSync(encoded.structure, { level: 9, dictionary });
  const length = new ByteWriter();
  length.varint(deflated.byteLength);
  return Buffer.concat([length.toBuffer(), deflated, encoded.values]);
}

/**
 * The plain form of a columnar body, or why it is not one. Never throws on hostile input. `siteId`
 * is the site its topic names (without it the batch has none, and fails its schema check).
 */
export function unpackColumnar(
  body: Uint8Array,
  maxStructureBytes: number,
  siteId: string | undefined,
  accelerators: ColumnarAccelerators = {},
): Result<unknown, MalformedCode> {
  try {
    const reader = new ByteReader(body);
    const length = reader.varint();
    const rest = reader.rest();
    if (length > rest.byteLength) return fail('invalid_compression', 'columnar structure ends early');
    const inflate = accelerators.inflateStructure ?? inflateStructure;
    const structure = inflate(rest.subarray(0, length), maxStructureBytes);
    return ok(decodeColumnar(structure, rest.subarray(length), siteId, accelerators.buildSamples));
  } catch (error) {
    if (error instanceof MalformedInput) {
      const what = error.code === 'limit_exceeded' ? 'declares more than the protocol allows' : 'is malformed';
      return fail(error.code, `columnar payload ${what}: ${error.message}`);
    }
    throw error;
  }
}
