import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { ByteReader, ByteWriter, MalformedInput } from './bit-io.js';
import { type ColumnarHead, decodeColumnar, encodeColumnar } from './columnar.js';
import { COLUMNAR_DICTIONARY_V2 } from './columnar-dictionary.js';
import { fail, ok, type Result } from './result.js';

const dictionary = Buffer.from(COLUMNAR_DICTIONARY_V2, 'base64');

/**
 * Inflated structures by their deflated bytes. A site's batches mostly share one structure (the
 * same probes, hosts and sources), and a zlib stream costs more to set up than the rest of a
 * 10-sample batch to decode. Same bytes in, same bytes out, so a hit changes nothing but the time.
 */
const STRUCTURE_CACHE_ENTRIES = 4096;
/**
 * Larger ones are inflated each time: an agent's structure is a few hundred bytes, and a hostile
 * payload's may inflate to MAX_DECOMPRESSED_BYTES; so the cache holds at most ~16 MB.
 */
const CACHED_STRUCTURE_BYTES = 4096;
const CACHED_DEFLATED_BYTES = 1024;
const structures = new Map<string, Buffer>();

function inflateStructure(deflated: Uint8Array, maxStructureBytes: number): Buffer {
  if (deflated.byteLength > CACHED_DEFLATED_BYTES) {
    return inflateRawSync(deflated, { dictionary, maxOutputLength: maxStructureBytes });
  }
  const key = Buffer.from(deflated.buffer, deflated.byteOffset, deflated.byteLength).toString('latin1');
  const known = structures.get(key);
  if (known !== undefined && known.byteLength <= maxStructureBytes) return known;
  const structure = inflateRawSync(deflated, { dictionary, maxOutputLength: maxStructureBytes });
  if (structure.byteLength > CACHED_STRUCTURE_BYTES) return structure;
  // Bounded: when full, start again rather than track ages (a fleet's structures are few).
  if (structures.size >= STRUCTURE_CACHE_ENTRIES) structures.clear();
  structures.set(key, structure);
  return structure;
}

/** A columnar payload's body (after its marker byte): the deflated structure, then the value bits. */
export function packColumnar(head: ColumnarHead, samples: readonly unknown[]): Buffer {
  const { structure, values } = encodeColumnar(head, samples);
  const deflated = deflateRawSync(structure, { level: 9, dictionary });
  const length = new ByteWriter();
  length.varint(deflated.byteLength);
  return Buffer.concat([length.toBuffer(), deflated, values]);
}

export type UnpackError = 'invalid_compression' | 'too_large';

/**
 * The plain form of a columnar body, or why it is not one. Never throws on hostile input. `siteId`
 * is the site its topic names (without it the batch has none, and fails its schema check).
 */
export function unpackColumnar(
  body: Uint8Array,
  maxStructureBytes: number,
  siteId: string | undefined,
): Result<unknown, UnpackError> {
  try {
    const reader = new ByteReader(body);
    const length = reader.varint();
    const rest = reader.rest();
    if (length > rest.byteLength) return fail('invalid_compression', 'columnar structure ends early');
    const structure = inflateStructure(rest.subarray(0, length), maxStructureBytes);
    return ok(decodeColumnar(structure, rest.subarray(length), siteId));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      return fail('too_large', `columnar structure expands beyond ${maxStructureBytes} bytes`);
    }
    // Anything else thrown while reading untrusted bytes (zlib, a bad path's JSON) means malformed.
    const reason = error instanceof MalformedInput ? error.message : (error as Error).message;
    return fail('invalid_compression', `columnar payload is malformed: ${reason}`);
  }
}
