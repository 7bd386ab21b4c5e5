import { z } from 'zod';
import { epochMsSchema, siteIdSchema, versionSchema } from './ids.js';
import { sampleSchema } from './sample.js';

/** The most samples one batch may carry: a day of 1-minute samples. */
export const MAX_SAMPLES_PER_BATCH = 1440;

/** Telemetry from one site: one or more samples, sent QoS 1 and not retained. */
export const telemetryBatchSchema = z.object({
  v: versionSchema,
  siteId: siteIdSchema,
  agentVersion: z.string().min(1).max(32),
  /** When the agent sent the batch, by its own clock. */
  sentAtMs: epochMsSchema,
  samples: z.array(sampleSchema).min(1).max(MAX_SAMPLES_PER_BATCH),
});
export type TelemetryBatch = z.infer<typeof telemetryBatchSchema>;
export type TelemetryBatchInput = z.input<typeof telemetryBatchSchema>;
