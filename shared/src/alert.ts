import { z } from 'zod';
import { epochMsSchema, siteIdSchema, versionSchema } from './ids.js';

/**
 * What an alert about one site is about: `offline`, `degraded` (latency, loss, link down),
 * `power_at_risk`, `underused` (for planners) and `data_problem` (clock unsynchronised, samples
 * missing, site not registered).
 */
export const alertKindSchema = z.enum(['offline', 'degraded', 'power_at_risk', 'underused', 'data_problem']);
export type AlertKind = z.infer<typeof alertKindSchema>;

/**
 * The likely cause of an outage; data arriving after the outage may revise it. `planned` is a
 * clean shutdown or a maintenance window. Other kinds use `cause` for their own reason
 * (e.g. `adoption` or `availability` for underused).
 */
export const alertCauseSchema = z.enum([
  'power',
  'link',
  'terminal',
  'agent',
  'planned',
  'unknown',
  'latency',
  'loss',
  'link_down',
  'battery_low',
  'night_discharge',
  'adoption',
  'availability',
  'clock_unsynced',
  'samples_missing',
  'unregistered',
]);
export type AlertCause = z.infer<typeof alertCauseSchema>;

export const alertSeveritySchema = z.enum(['critical', 'warning', 'info']);
export type AlertSeverity = z.infer<typeof alertSeveritySchema>;

/** Where a registered site is (Kemendagri region codes), so a NOC tool can route and group. */
export const alertRegionSchema = z.object({
  kabupatenCode: z.string().max(16),
  kabupaten: z.string().max(100),
  kecamatanCode: z.string().max(16),
  kecamatan: z.string().max(100),
});

/** An alert about one site, published retained by the collector, one topic per site and kind. */
export const alertSchema = z.object({
  v: versionSchema,
  siteId: siteIdSchema,
  kind: alertKindSchema,
  state: z.enum(['firing', 'resolved']),
  severity: alertSeveritySchema,
  cause: alertCauseSchema.nullable().default(null),
  summary: z.string().min(1).max(500),
  startsAtMs: epochMsSchema,
  endsAtMs: epochMsSchema.nullable().default(null),
  /** Collector clock when this message was made. */
  atMs: epochMsSchema,
  /** The cause as first judged, before data that arrived later revised it (null: never revised). */
  firstCause: alertCauseSchema.nullable().default(null),
  /** A short stable code that says more than the cause (e.g. `battery_low_before`, `agent_hung`). */
  detail: z.string().max(48).nullable().default(null),
  /** The site belongs to an area incident (many sites down at once) with this id. */
  incidentId: z.string().max(128).nullable().default(null),
  /** Changing state too often: notifications are held until it settles. */
  flapping: z.boolean().default(false),
  /** An operator acknowledged it (who, when). */
  acknowledgedBy: z.string().max(64).nullable().default(null),
  /** Notifications are held by a silence or a maintenance window; the state is still published. */
  suppressed: z.enum(['silence', 'maintenance']).nullable().default(null),
  region: alertRegionSchema.nullable().default(null),
});
export type Alert = z.infer<typeof alertSchema>;
export type AlertInput = z.input<typeof alertSchema>;

/**
 * An incident: many sites of one kecamatan or kabupaten down within minutes (`area_offline`), or a
 * fault at the NOC itself (`noc`: broker or collector restart, the collector's broker connection
 * lost, every site disconnected at once). Delivered to the webhook and to Alertmanager, never as one
 * alert per site.
 */
export const incidentSchema = z.object({
  v: versionSchema,
  id: z.string().min(1).max(128),
  kind: z.enum(['area_offline', 'noc']),
  /** Area incidents: the area's level and code; NOC incidents: `noc`. */
  scope: z.enum(['kecamatan', 'kabupaten', 'noc']),
  areaCode: z.string().max(16).nullable(),
  areaName: z.string().max(100).nullable(),
  state: z.enum(['firing', 'resolved']),
  severity: alertSeveritySchema,
  /** Area incidents: the sites' likely cause; NOC incidents: what happened at the NOC. */
  cause: z.string().max(48),
  sites: z
    .array(
      z.object({
        siteId: siteIdSchema,
        sinceMs: epochMsSchema,
        recoveredAtMs: epochMsSchema.nullable(),
      }),
    )
    .max(100_000),
  summary: z.string().min(1).max(2000),
  startsAtMs: epochMsSchema,
  endsAtMs: epochMsSchema.nullable(),
  atMs: epochMsSchema,
});
export type Incident = z.infer<typeof incidentSchema>;
