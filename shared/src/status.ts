import { z } from 'zod';
import { bootIdSchema, epochMsSchema, siteIdSchema, versionSchema } from './ids.js';
import { hostInventorySchema } from './probes/host.js';

/**
 * Why a site's status changed:
 * - `connected`: birth message, published by the agent when its connection is up;
 * - `connection_lost`: the last will, published by the broker when the connection died uncleanly;
 * - `shutdown`: published by the agent itself on a clean stop.
 */
export const statusReasonSchema = z.enum(['connected', 'connection_lost', 'shutdown']);

/** The retained status of a site. */
export const siteStatusSchema = z.object({
  v: versionSchema,
  siteId: siteIdSchema,
  state: z.enum(['online', 'offline']),
  reason: statusReasonSchema,
  /**
   * Counts the agent's connections; it only grows. A will carries the epoch of the connection that
   * registered it, so a will older than the current connection can be told apart and ignored.
   */
  epoch: z.int().min(0),
  /** Agent clock when the message was made (for a will: when its connection began). */
  atMs: epochMsSchema,
  bootId: bootIdSchema,
  agentVersion: z.string().min(1).max(32),
  /** Short hash of the agent's effective config, to spot a site running an unexpected config. */
  configHash: z.string().max(64).nullable().default(null),
  /** Samples taken but not yet acknowledged by the broker. */
  spoolDepth: z.int().min(0).nullable().default(null),
  /** Samples the agent had to drop (spool full, disk full) since it was installed. */
  droppedSamples: z.int().min(0).nullable().default(null),
  /**
   * A storage fault the agent is living with now (`disk_full`, `io_error`): samples taken meanwhile
   * are dropped and counted in `droppedSamples`. Null when the spool is healthy or unknown.
   */
  spoolFault: z.enum(['disk_full', 'io_error']).nullable().default(null),
  /** What the host is (model, OS, serial, card size); null until the agent has looked, or an older agent. */
  inventory: hostInventorySchema.nullable().default(null),
});
export type SiteStatus = z.infer<typeof siteStatusSchema>;
export type SiteStatusInput = z.input<typeof siteStatusSchema>;
