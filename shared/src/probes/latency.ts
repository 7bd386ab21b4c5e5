import { z } from 'zod';
import { nullable, sectionError } from './section.js';

/** Why a target is probed: it decides how a failure is read (LAN, terminal or internet). */
export const latencyRoleSchema = z.enum(['gateway', 'terminal', 'internet', 'noc']);
export type LatencyRole = z.infer<typeof latencyRoleSchema>;
/** Targets past the site's LAN: reaching them proves the link, and their probes cost data. */
export const ROLES_BEYOND_LAN: ReadonlySet<LatencyRole> = new Set(['internet', 'noc']);

export const latencyMethodSchema = z.enum(['icmp', 'tcp']);

export const latencyTargetSchema = z.object({
  role: latencyRoleSchema,
  /** Host name or address as configured; addresses of client devices are never sent. */
  host: z.string().min(1).max(253),
  method: latencyMethodSchema.default('icmp'),
  sent: nullable(z.int().min(0)),
  received: nullable(z.int().min(0)),
  lossPct: nullable(z.number().min(0).max(100)),
  rttMinMs: nullable(z.number().min(0)),
  rttAvgMs: nullable(z.number().min(0)),
  rttMaxMs: nullable(z.number().min(0)),
  /** Mean absolute difference between consecutive round trips (RFC 3550 style, unsmoothed). */
  jitterMs: nullable(z.number().min(0)),
  error: sectionError,
});
export type LatencyTarget = z.infer<typeof latencyTargetSchema>;

export const latencySectionSchema = z.object({
  targets: z.array(latencyTargetSchema).max(32).default([]),
  error: sectionError,
});
export type LatencySection = z.infer<typeof latencySectionSchema>;
