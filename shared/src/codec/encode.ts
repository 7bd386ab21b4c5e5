import { brotliCompressSync, constants, deflateRawSync } from 'node:zlib';
import type { z } from 'zod';
import { packColumnar } from './columnar/payload.js';
import { ENCODING_MARKERS, type PayloadEncoding, type PayloadKind, payloadSchemas } from './kinds.js';

function brotli(data: Buffer): Buffer {
  return brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.byteLength,
    },
  });
}

const marked = (marker: number, body: Buffer) => Buffer.concat([Buffer.from([marker]), body]);

/**
 * Encodes a message after checking it against its schema (a bug throws); plain JSON by default.
 * `columnar` applies to telemetry batches within the columnar limits; anything else goes as Brotli.
 */
export function encodePayload<K extends PayloadKind>(
  kind: K,
  message: z.input<(typeof payloadSchemas)[K]>,
  encoding: PayloadEncoding = 'json',
): Buffer {
  const parsed = payloadSchemas[kind].parse(message);
  if (encoding === 'columnar' && kind === 'telemetry' && 'samples' in parsed) {
    const { samples, ...head } = parsed;
    const body = packColumnar(head, samples);
    if (body !== null) return marked(ENCODING_MARKERS.columnar, body);
  }
  const json = Buffer.from(JSON.stringify(parsed), 'utf8');
  if (encoding === 'json') return json;
  if (encoding === 'deflate') return marked(ENCODING_MARKERS.deflate, deflateRawSync(json, { level: 9 }));
  return marked(ENCODING_MARKERS.brotli, brotli(json));
}
