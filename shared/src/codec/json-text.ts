/**
 * The JSON forms of a payload (plain, or decompressed from `0x01`/`0x02`): shape, UTF-8, then
 * JSON.parse. The shape is checked on the bytes first, in one pass: JSON.parse takes seconds over
 * megabytes of deep nesting, and builds every value before a schema could refuse a huge array.
 */
import { brotliDecompressSync, inflateRawSync } from 'node:zlib';
import { fail, ok, type Result } from '../result.js';
import { ENCODING_MARKERS } from './kinds.js';
import { MAX_DECOMPRESSED_BYTES, MAX_JSON_DEPTH, MAX_JSON_VALUES } from './limits.js';

export type JsonErrorCode = 'invalid_compression' | 'too_large' | 'invalid_utf8' | 'invalid_json' | 'limit_exceeded';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;

/** Undoes the compression a marker byte announces; plain JSON passes through. */
function decompress(payload: Uint8Array): Result<Uint8Array, 'invalid_compression' | 'too_large'> {
  const marker = payload[0];
  if (marker !== ENCODING_MARKERS.deflate && marker !== ENCODING_MARKERS.brotli) return ok(payload);
  const body = payload.subarray(1);
  try {
    if (marker === ENCODING_MARKERS.brotli) {
      return ok(brotliDecompressSync(body, { maxOutputLength: MAX_DECOMPRESSED_BYTES }));
    }
    return ok(inflateRawSync(body, { maxOutputLength: MAX_DECOMPRESSED_BYTES }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      return fail('too_large', `payload expands beyond ${MAX_DECOMPRESSED_BYTES} bytes`);
    }
    return fail('invalid_compression', `compressed payload does not decompress: ${(error as Error).message}`);
  }
}

/**
 * Nesting depth and number of values (opening brackets and commas outside strings), or why they
 * are past the limits. Not a syntax check: JSON.parse decides that.
 */
export function checkJsonShape(bytes: Uint8Array): Result<null, 'limit_exceeded'> {
  let depth = 0;
  let values = 1;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      if (++depth > MAX_JSON_DEPTH) return fail('limit_exceeded', `JSON nests deeper than ${MAX_JSON_DEPTH}`);
      if (++values > MAX_JSON_VALUES) return fail('limit_exceeded', `JSON holds more than ${MAX_JSON_VALUES} values`);
    } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) depth--;
    else if (b === COMMA && ++values > MAX_JSON_VALUES) {
      return fail('limit_exceeded', `JSON holds more than ${MAX_JSON_VALUES} values`);
    }
  }
  return ok(null);
}

/** Decompression (when a marker byte says so), shape, UTF-8, JSON. */
export function parseJsonPayload(payload: Uint8Array): Result<unknown, JsonErrorCode> {
  const raw = decompress(payload);
  if (!raw.ok) return raw;
  const shape = checkJsonShape(raw.value);
  if (!shape.ok) return shape;
  let text: string;
  try {
    text = utf8.decode(raw.value);
  } catch {
    return fail('invalid_utf8', 'payload is not valid UTF-8');
  }
  try {
    return ok(JSON.parse(text));
  } catch (error) {
    return fail('invalid_json', `payload is not JSON: ${(error as Error).message}`);
  }
}
