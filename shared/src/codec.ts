import type { z } from 'zod';
import { alertSchema } from './alert.js';
import { telemetryBatchSchema } from './batch.js';
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
export type Payload<K extends PayloadKind> = z.infer<(typeof payloadSchemas)[K]>;

/** Default largest payload accepted, checked before anything is decoded. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;

/** Stable reasons a payload is rejected; the collector counts rejects by these. */
export type DecodeErrorCode =
  | 'too_large'
  | 'empty'
  | 'invalid_utf8'
  | 'invalid_json'
  | 'unsupported_version'
  | 'invalid_schema';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Encodes a message as UTF-8 JSON after checking it against its schema (a bug throws). */
export function encodePayload<K extends PayloadKind>(kind: K, message: z.input<(typeof payloadSchemas)[K]>): Buffer {
  const parsed = payloadSchemas[kind].parse(message);
  return Buffer.from(JSON.stringify(parsed), 'utf8');
}

/** Decodes and validates a payload: size, UTF-8, JSON, version, schema, in that order. */
export function decodePayload<K extends PayloadKind>(
  kind: K,
  payload: Uint8Array,
  maxBytes: number = DEFAULT_MAX_PAYLOAD_BYTES,
): Result<Payload<K>, DecodeErrorCode> {
  if (payload.byteLength > maxBytes) {
    return fail('too_large', `payload is ${payload.byteLength} bytes, the limit is ${maxBytes}`);
  }
  if (payload.byteLength === 0) return fail('empty', 'payload is empty');
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return fail('invalid_utf8', 'payload is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail('invalid_json', `payload is not JSON: ${(error as Error).message}`);
  }
  if (typeof json === 'object' && json !== null && 'v' in json && json.v !== PROTOCOL_VERSION) {
    return fail(
      'unsupported_version',
      `protocol version ${JSON.stringify(json.v)} is not supported (this side speaks ${PROTOCOL_VERSION})`,
    );
  }
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
