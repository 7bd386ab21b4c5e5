import type { z } from 'zod';
import { PROTOCOL_VERSION } from '../ids.js';
import { fail, ok, type Result } from '../result.js';
import { type ColumnarAccelerators, unpackColumnar } from './columnar/payload.js';
import { parseJsonPayload } from './json-text.js';
import { ENCODING_MARKERS, type Payload, type PayloadKind, payloadSchemas } from './kinds.js';
import { DEFAULT_MAX_PAYLOAD_BYTES, MAX_COLUMNAR_STRUCTURE_BYTES } from './limits.js';

/** Stable reasons a payload is rejected; the collector counts rejects by these (docs/errors.md). */
export type DecodeErrorCode =
  | 'too_large'
  | 'empty'
  | 'invalid_compression'
  | 'invalid_utf8'
  | 'invalid_json'
  | 'limit_exceeded'
  | 'unsupported_version'
  | 'invalid_schema';

/** What the message's envelope (its topic) says, for encodings that do not repeat it. */
export interface DecodeContext {
  /** The site the topic names; a columnar batch takes its `siteId` from here. */
  readonly siteId?: string;
}

/**
 * Faster ways through the decoder for a process that decodes a lot (the collector). Each must
 * give exactly what the plain path gives: they make decoding faster, never different.
 */
export interface DecodeAccelerators extends ColumnarAccelerators {
  /** True only for a value the kind's schema would output unchanged (zod is then skipped). */
  readonly isCanonical?: (kind: PayloadKind, value: unknown) => boolean;
}

/**
 * The plain JSON value of a payload in any encoding, before its version and schema are checked:
 * size, decompression or the columnar form (when a marker byte says so), UTF-8, JSON.
 */
export function unpackPayload(
  kind: PayloadKind,
  payload: Uint8Array,
  maxBytes: number = DEFAULT_MAX_PAYLOAD_BYTES,
  context: DecodeContext = {},
  accelerators: ColumnarAccelerators = {},
): Result<unknown, DecodeErrorCode> {
  if (payload.byteLength > maxBytes) {
    return fail('too_large', `payload is ${payload.byteLength} bytes, the limit is ${maxBytes}`);
  }
  if (payload.byteLength === 0) return fail('empty', 'payload is empty');
  if (payload[0] !== ENCODING_MARKERS.columnar) return parseJsonPayload(payload);
  if (kind !== 'telemetry') return fail('invalid_compression', 'the columnar form carries telemetry only');
  return unpackColumnar(payload.subarray(1), MAX_COLUMNAR_STRUCTURE_BYTES, context.siteId, accelerators);
}

export type PayloadDecoder = <K extends PayloadKind>(
  kind: K,
  payload: Uint8Array,
  maxBytes?: number,
  context?: DecodeContext,
) => Result<Payload<K>, DecodeErrorCode>;

/** A payload decoder: unpackPayload, then the version, then the kind's schema. */
export function createPayloadDecoder(accelerators: DecodeAccelerators = {}): PayloadDecoder {
  const isCanonical = accelerators.isCanonical;
  return (kind, payload, maxBytes = DEFAULT_MAX_PAYLOAD_BYTES, context = {}) => {
    const plain = unpackPayload(kind, payload, maxBytes, context, accelerators);
    if (!plain.ok) return plain;
    const json = plain.value;
    if (typeof json === 'object' && json !== null && 'v' in json && json.v !== PROTOCOL_VERSION) {
      return fail(
        'unsupported_version',
        `protocol version ${JSON.stringify(json.v)} is not supported (this side speaks ${PROTOCOL_VERSION})`,
      );
    }
    if (isCanonical?.(kind, json) === true) return ok(json as Payload<typeof kind>);
    const parsed = payloadSchemas[kind].safeParse(json);
    if (!parsed.success) return fail('invalid_schema', describeIssues(parsed.error));
    return ok(parsed.data as Payload<typeof kind>);
  };
}

/** Decodes and validates a payload with the plain, spec-following path (docs/protocol.md). */
export const decodePayload: PayloadDecoder = createPayloadDecoder();

/** One line naming the first few bad fields, e.g. `samples.0.seq: expected int, got -1`. */
export function describeIssues(error: z.ZodError, limit = 3): string {
  const lines = error.issues.slice(0, limit).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length > limit ? ` (+${error.issues.length - limit} more)` : '';
  return lines.join('; ') + more;
}
