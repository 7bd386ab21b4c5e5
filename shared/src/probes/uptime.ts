import { z } from 'zod';
import { nullable, sectionError } from './section.js';

export const uptimeSectionSchema = z.object({
  /** Time since the Pi booted, from /proc/uptime. */
  systemUptimeMs: nullable(z.int().min(0)),
  /** Time since the agent process started. */
  agentUptimeMs: nullable(z.int().min(0)),
  error: sectionError,
});
export type UptimeSection = z.infer<typeof uptimeSectionSchema>;
