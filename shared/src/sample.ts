import { z } from 'zod';
import { bootIdSchema, epochMsSchema, seqSchema } from './ids.js';
import { probeSectionsSchema } from './probes/index.js';

/**
 * One sample: its identity within the batch's site (boot id, sequence number), its time, and one
 * section per probe that ran. Identity is (siteId, bootId, seq); the collector stores each once.
 */
export const sampleSchema = z.object({
  seq: seqSchema,
  bootId: bootIdSchema,
  /** Wall-clock time the sample was taken; trust it only when `clockSynced` is true. */
  wallMs: epochMsSchema,
  clockSynced: z.boolean(),
  /** Time since boot when the sample was taken; with `bootId` it lets the collector re-base time. */
  uptimeMs: z.int().min(0),
  /** Slots of the sample cycle since the previous sample that took no sample; absent when none. */
  skippedCycles: z.int().min(0).optional(),
  /** How long after its slot this sample was started, when later than the agent's tolerance. */
  lateMs: z.int().min(0).optional(),
  probes: probeSectionsSchema.default({}),
});
export type Sample = z.infer<typeof sampleSchema>;
export type SampleInput = z.input<typeof sampleSchema>;
