import type { z } from 'zod';
import { alertSchema } from '../alert.js';
import { telemetryBatchSchema } from '../batch.js';
import { resendReplySchema, resendRequestSchema } from '../resend.js';
import { siteStatusSchema } from '../status.js';
import type { SiteTopicKind } from '../topics.js';

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

/**
 * How a payload is encoded on the wire. Plain JSON starts with `{` (or white space); any other
 * encoding starts with a marker byte that can never start JSON:
 * - `0x01`: raw DEFLATE (RFC 1951) of the UTF-8 JSON;
 * - `0x02`: Brotli (RFC 7932) of the UTF-8 JSON;
 * - `0x04`: the binary columnar form of a telemetry batch (docs/columnar.md); other kinds, and a
 *   batch past the columnar limits, fall back to `0x02`.
 * (`0x03`, a JSON columnar form, was replaced by `0x04` before any site ran it; it is not accepted.)
 */
export type PayloadEncoding = 'json' | 'deflate' | 'brotli' | 'columnar';
export const ENCODING_MARKERS = { deflate: 0x01, brotli: 0x02, columnar: 0x04 } as const;
