import { z } from 'zod';
import { epochMsSchema, siteIdSchema, versionSchema } from './ids.js';

export const alertKindSchema = z.enum(['offline', 'degraded', 'power_at_risk', 'underused']);
export type AlertKind = z.infer<typeof alertKindSchema>;

/** The likely cause of an outage; data arriving after the outage may revise it. */
export const alertCauseSchema = z.enum(['power', 'link', 'terminal', 'agent', 'unknown']);

/** An alert about one site, published retained by the collector, one topic per site and kind. */
export const alertSchema = z.object({
  v: versionSchema,
  siteId: siteIdSchema,
  kind: alertKindSchema,
  state: z.enum(['firing', 'resolved']),
  severity: z.enum(['critical', 'warning', 'info']),
  cause: alertCauseSchema.nullable().default(null),
  summary: z.string().min(1).max(500),
  startsAtMs: epochMsSchema,
  endsAtMs: epochMsSchema.nullable().default(null),
  /** Collector clock when this message was made. */
  atMs: epochMsSchema,
});
export type Alert = z.infer<typeof alertSchema>;
export type AlertInput = z.input<typeof alertSchema>;
