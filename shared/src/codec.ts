import { brotliCompressSync, brotliDecompressSync, constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import type { z } from 'zod';
import { alertSchema } from './alert.js';
import { telemetryBatchSchema } from './batch.js';
import { packColumnar, unpackColumnar } from './columnar-payload.js';
import { type CanonicalCheck, compileCanonicalCheck } from './fast-validate.js';
import { PROTOCOL_VERSION } from './ids.js';
import { resendReplySchema, resendRequestSchema } from './resend.js';
import { fail, ok, type Result } from './result.js';
import { siteStatusSchema } from './status.js';
import type { SiteTopicKind } from './topics.js';

/** The payload schema for each topic kind. */
export const payloadSchemas = {
  telemetry: telemetryBatchSchema,
  status: siteStatusSchema,
  resend: resendRequestSchema,
  'resend-reply': resendReplySchema,
  alert: alertSchema,
} as const;
export type PayloadKind = Exclude<SiteTopicKind, 'check'> | 'alert';

/** Compiled fast paths in front of `payloadSchemas` (fast-validate.ts): zod still decides every reject. */
const canonicalChecks: Record<PayloadKind, CanonicalCheck> = {
  telemetry: compileCanonicalCheck(telemetryBatchSchema),
  status: compileCanonicalCheck(siteStatusSchema),
  resend: compileCanonicalCheck(resendRequestSchema),
  'resend-reply': compileCanonicalCheck(resendReplySchema),
  alert: compileCanonicalCheck(alertSchema),
};
export type Payload<K extends PayloadKind> = z.infer<(typeof payloadSchemas)[K]>;

/** Default largest payload accepted, checked before anything is decoded. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;

/** Stable reasons a payload is rejected; the collector counts rejects by these. */
export type DecodeErrorCode =
  | 'too_large'
  | 'empty'
  | 'invalid_compression'
  | 'invalid_utf8'
  | 'invalid_json'
  | 'unsupported_version'
  | 'invalid_schema';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * How a payload is encoded on the wire. Plain JSON starts with `{` (or white space); any other
 * encoding starts with a marker byte that can never start JSON:
 * - `0x01`: raw DEFLATE (RFC 1951) of the UTF-8 JSON;
 * - `0x02`: Brotli (RFC 7932) of the UTF-8 JSON;
 * - `0x04`: the binary columnar form of a telemetry batch (columnar.ts, columnar-payload.ts); other
 *   kinds fall back to `0x02`.
 * (`0x03`, a JSON columnar form, was replaced by `0x04` before any site ran it; it is not accepted.)
 */
export type PayloadEncoding = 'json' | 'deflate' | 'brotli' | 'columnar';
export const ENCODING_MARKERS = { deflate: 0x01, brotli: 0x02, columnar: 0x04 } as const;

function brotli(data: Buffer): Buffer {
  return brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.byteLength,
    },
  });
}

/** The most bytes a compressed payload may expand to (a bound against decompression bombs). */
export const MAX_DECOMPRESSED_BYTES = 8 * 1024 * 1024;

/** Encodes a message after checking it against its schema (a bug throws); plain JSON by default. */
export function encodePayload<K extends PayloadKind>(
  kind: K,
  message: z.input<(typeof payloadSchemas)[K]>,
  encoding: PayloadEncoding = 'json',
): Buffer {
  const parsed = payloadSchemas[kind].parse(message);
  if (encoding === 'columnar' && kind === 'telemetry' && 'samples' in parsed) {
    const { samples, ...head } = parsed;
    return Buffer.concat([Buffer.from([ENCODING_MARKERS.columnar]), packColumnar(head, samples)]);
  }
  const json = Buffer.from(JSON.stringify(parsed), 'utf8');
  if (encoding === 'json') return json;
  const body = encoding === 'deflate' ? deflateRawSync(json, { level: 9 }) : brotli(json);
  return Buffer.concat([Buffer.from([ENCODING_MARKERS[encoding === 'deflate' ? 'deflate' : 'brotli']]), body]);
}

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

/** What the message's envelope (its topic) says, for encodings that do not repeat it. */
export interface DecodeContext {
  /** The site the topic names; a columnar batch takes its `siteId` from here. */
  readonly siteId?: string;
}

/** Decompression (when a marker byte says so), UTF-8, JSON. */
function parseJson(payload: Uint8Array): Result<unknown, DecodeErrorCode> {
  const raw = decompress(payload);
  if (!raw.ok) return raw;
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

/**
 * Decodes and validates a payload: size, decompression (when a marker byte says so), UTF-8, JSON,
 * version, schema, in that order.
 */
export function decodePayload<K extends PayloadKind>(
  kind: K,
  payload: Uint8Array,
  maxBytes: number = DEFAULT_MAX_PAYLOAD_BYTES,
  context: DecodeContext = {},
): Result<Payload<K>, DecodeErrorCode> {
  if (payload.byteLength > maxBytes) {
    return fail('too_large', `payload is ${payload.byteLength} bytes, the limit is ${maxBytes}`);
  }
  if (payload.byteLength === 0) return fail('empty', 'payload is empty');
  const plain =
    payload[0] === ENCODING_MARKERS.columnar
      ? unpackColumnar(payload.subarray(1), MAX_DECOMPRESSED_BYTES, context.siteId)
      : parseJson(payload);
  if (!plain.ok) return plain;
  const json = plain.value;
  if (typeof json === 'object' && json !== null && 'v' in json && json.v !== PROTOCOL_VERSION) {
    return fail(
      'unsupported_version',
      `protocol version ${JSON.stringify(json.v)} is not supported (this side speaks ${PROTOCOL_VERSION})`,
    );
  }
  // A canonical message (every field present, none unknown) is what zod would output unchanged.
  if (canonicalChecks[kind](json)) return ok(json as Payload<K>);
  const parsed = payloadSchemas[kind].safeParse(json);
  if (!parsed.success) return fail('invalid_schema', describeIssues(parsed.error));
  return ok(parsed.data as Payload<K>);
}

/** One line naming the first few bad fields, e.g. `samples.0.seq: expected int, got -1`. */
export function describeIssues(error: z.ZodError, limit = 3): string {
  const lines = error.issues.slice(0, limit).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length > limit ? ` (+${error.issues.length - limit} more)` : '';
  return lines.join('; ') + more;
}
