import { siteIdSchema } from '@pantau/shared';
import { z } from 'zod';
import { overviewRowSchema } from '../overview/overview-row.js';

/** The read routes' answers and parameters, as zod schemas (they also make /openapi.json). */
const DAY_MS = 86_400_000;
const num = z.coerce.number().int().min(0);

export const countsSchema = z.record(z.string(), z.number());
export const areaSchema = z.object({
  kabupatenCode: z.string(),
  kabupaten: z.string(),
  kecamatan: z.array(z.object({ code: z.string(), name: z.string() })),
});
export const overviewSchema = z.object({
  generatedAtMs: z.number(),
  counts: countsSchema,
  areas: z.array(areaSchema),
  sites: z.array(overviewRowSchema),
});

export const alertSchema = z.object({
  key: z.string(),
  siteId: z.string(),
  siteName: z.string().nullable(),
  kind: z.string(),
  phase: z.string(),
  cause: z.string(),
  firstCause: z.string().nullable(),
  detail: z.string(),
  sinceMs: z.number(),
  flapping: z.boolean(),
  incidentId: z.string().nullable(),
  ackBy: z.string().nullable(),
  ackMs: z.number().nullable(),
  ackNote: z.string().nullable(),
});
export const transitionSchema = z.object({
  kind: z.string(),
  event: z.enum(['began', 'ended', 'cause_revised']),
  atMs: z.number(),
  sinceMs: z.number(),
  cause: z.string(),
  detail: z.string(),
  previousCause: z.string().nullable(),
  previousDetail: z.string().nullable(),
});
export const siteDetailSchema = z.object({
  site: overviewRowSchema,
  health: z
    .object({
      offline: z
        .object({
          onsetMs: z.number(),
          cause: z.string(),
          detail: z.string(),
          firstCause: z.string(),
          firstDetail: z.string(),
          source: z.string(),
        })
        .nullable(),
      conditions: z.record(z.string(), z.unknown()),
    })
    .nullable(),
  status: z
    .object({
      state: z.string(),
      reason: z.string(),
      epoch: z.number(),
      agentVersion: z.string(),
      receivedMs: z.number(),
    })
    .nullable(),
  last: z.record(z.string(), z.unknown()).nullable(),
  alerts: z.array(alertSchema),
  history: z.array(transitionSchema),
});
export const incidentSchema = z.object({
  id: z.string(),
  kind: z.string(),
  scope: z.string(),
  areaCode: z.string().nullable(),
  areaName: z.string().nullable(),
  cause: z.string(),
  startsAtMs: z.number(),
  endsAtMs: z.number().nullable(),
  members: z.array(z.object({ siteId: z.string(), sinceMs: z.number(), recoveredAtMs: z.number().nullable() })),
});

export const siteParams = z.object({ siteId: siteIdSchema });
export const rangeQuery = z
  .object({ fromMs: num.optional(), toMs: num.optional(), grain: z.enum(['hour', 'day']).default('hour') })
  .refine((q) => q.fromMs === undefined || q.toMs === undefined || q.fromMs < q.toMs, 'fromMs must be before toMs')
  .refine(
    (q) => q.fromMs === undefined || q.toMs === undefined || q.toMs - q.fromMs <= 400 * DAY_MS,
    'at most 400 days at once',
  );
