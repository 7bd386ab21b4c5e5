import { z } from 'zod';
import { nullable, sectionError } from './section.js';

export const uptimeSectionSchema = z.object({
  /** Time since the Pi booted, from /proc/uptime. */
  systemUptimeMs: nullable(z.int().min(0)),
  /** Time since the agent process started. */
  agentUptimeMs: nullable(z.int().min(0)),
  /** Whether the internet was reachable at the last check, and for how long that has held. */
  linkUp: nullable(z.boolean()),
  linkUptimeMs: nullable(z.int().min(0)),
  /** Whether the agent's previous run ended with a clean shutdown (false: crash or power cut). */
  previousRunClean: nullable(z.boolean()),
  /** Uptime of the terminal (e.g. Starlink dish) and of the site router, where a source gives it. */
  terminalUptimeMs: nullable(z.int().min(0)),
  routerUptimeMs: nullable(z.int().min(0)),
  error: sectionError,
});
export type UptimeSection = z.infer<typeof uptimeSectionSchema>;
