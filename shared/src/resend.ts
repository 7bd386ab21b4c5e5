import { z } from 'zod';
import { epochMsSchema, seqSchema, siteIdSchema, versionSchema } from './ids.js';

/** The most sequence numbers one resend request may span. */
export const MAX_RESEND_SPAN = 100_000;

const seqRangeSchema = z
  .object({ fromSeq: seqSchema, toSeq: seqSchema })
  .refine((r) => r.toSeq >= r.fromSeq, { message: 'toSeq must be >= fromSeq', path: ['toSeq'] });

/** Collector to agent: send the samples with these sequence numbers again (inclusive). */
export const resendRequestSchema = z
  .object({
    v: versionSchema,
    requestId: z.string().min(1).max(64),
    siteId: siteIdSchema,
    fromSeq: seqSchema,
    toSeq: seqSchema,
    requestedAtMs: epochMsSchema,
  })
  .refine((r) => r.toSeq >= r.fromSeq, { message: 'toSeq must be >= fromSeq', path: ['toSeq'] })
  .refine((r) => r.toSeq - r.fromSeq < MAX_RESEND_SPAN, {
    message: `a request spans at most ${MAX_RESEND_SPAN} sequence numbers`,
    path: ['toSeq'],
  });
export type ResendRequest = z.infer<typeof resendRequestSchema>;

/**
 * Agent to collector: what it did about a request. The samples themselves travel as ordinary
 * telemetry batches; `gone` lists the ranges the agent no longer holds, so the collector stops asking.
 */
export const resendReplySchema = z.object({
  v: versionSchema,
  requestId: z.string().min(1).max(64),
  siteId: siteIdSchema,
  resentSamples: z.int().min(0),
  gone: z.array(seqRangeSchema).max(1000).default([]),
});
export type ResendReply = z.infer<typeof resendReplySchema>;
export type ResendReplyInput = z.input<typeof resendReplySchema>;
