import { z } from 'zod';
import { nullable, sectionError } from './section.js';

/**
 * An active throughput test (HTTP download then upload against the configured endpoint). It runs
 * rarely, so this section appears only in the sample taken when a test finished or was skipped;
 * a skipped test says why in `error` (e.g. `skipped_budget`, `skipped_battery_low`).
 */
export const throughputSectionSchema = z.object({
  /** The endpoint's host, for telling test servers apart. */
  endpointHost: nullable(z.string().max(253)),
  downBytes: nullable(z.int().min(0)),
  downMs: nullable(z.int().min(0)),
  downBitsPerSec: nullable(z.number().min(0)),
  upBytes: nullable(z.int().min(0)),
  upMs: nullable(z.int().min(0)),
  upBitsPerSec: nullable(z.number().min(0)),
  error: sectionError,
});
export type ThroughputSection = z.infer<typeof throughputSectionSchema>;
