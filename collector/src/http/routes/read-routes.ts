import { z } from 'zod';
import type { AlertRecord } from '../../alerts/alert-record.js';
import { maintenanceSchema, silenceSchema } from '../../alerts/controls.js';
import type { Store } from '../../store/store.js';
import { sendError } from '../api-error.js';
import { countRows, filterRows, isUnfiltered, overviewQuerySchema } from '../overview/overview-filter.js';
import { jsonOfRow } from '../overview/overview-row.js';
import type { OverviewCache, OverviewSnapshot } from '../overview/overview-snapshot.js';
import { type RouteDef, route } from '../route.js';
import {
  alertSchema,
  incidentSchema,
  overviewSchema,
  rangeQuery,
  siteDetailSchema,
  siteParams,
} from './read-schemas.js';
import { seriesOf, seriesSchema } from './series.js';

const DAY_MS = 86_400_000;
const openFlag = z.enum(['true', 'false']).optional();

export interface ReadRouteDeps {
  readonly store: Store;
  readonly overview: OverviewCache;
  readonly nowMs: () => number;
}

type Alert = z.infer<typeof alertSchema>;

/** The viewer's reads: the fleet overview, one site, its series, alerts, incidents, silences. */
export function readRoutes(deps: ReadRouteDeps): RouteDef[] {
  const wholeFleet = new WeakMap<OverviewSnapshot, string>();
  const alertView =
    (names: ReadonlyMap<string, { name: string }>) =>
    (a: AlertRecord): Alert => ({
      key: a.key,
      siteId: a.siteId,
      siteName: names.get(a.siteId)?.name ?? null,
      kind: a.kind,
      phase: a.phase,
      cause: a.cause,
      firstCause: a.firstCause,
      detail: a.detail,
      sinceMs: a.sinceMs,
      flapping: a.flapping,
      incidentId: a.incidentId,
      ackBy: a.ackBy,
      ackMs: a.ackMs,
      ackNote: a.ackNote,
    });

  return [
    route({
      method: 'GET',
      url: '/api/overview',
      tag: 'fleet',
      summary: 'Every site with its state, worst first; filters narrow sites and counts alike',
      access: 'viewer',
      query: overviewQuerySchema,
      response: { status: 200, schema: overviewSchema },
      async handler({ query, reply }) {
        const snap = await deps.overview.snapshot();
        const whole = isUnfiltered(query);
        // The whole fleet's answer is the same for every viewer until the next snapshot: kept as text.
        let body = whole ? wholeFleet.get(snap) : undefined;
        if (body === undefined) {
          const rows = whole ? snap.rows : filterRows(snap.rows, query);
          const head = JSON.stringify({
            generatedAtMs: snap.generatedAtMs,
            counts: countRows(rows),
            areas: snap.areas,
          });
          body = `${head.slice(0, -1)},"sites":[${rows.map(jsonOfRow).join(',')}]}`;
          if (whole) wholeFleet.set(snap, body);
        }
        return reply.code(200).header('content-type', 'application/json; charset=utf-8').send(body);
      },
    }),
    route({
      method: 'GET',
      url: '/api/sites/:siteId',
      tag: 'fleet',
      summary: "One site: its overview row, health, status, latest figures, alerts and 30 days' history",
      access: 'viewer',
      params: siteParams,
      response: { status: 200, schema: siteDetailSchema },
      async handler({ params, reply }) {
        const snap = await deps.overview.snapshot();
        const site = snap.byId.get(params.siteId);
        if (site === undefined) return sendError(reply, 404, 'not_found', `no site ${params.siteId}: check the id`);
        const nowMs = deps.nowMs();
        const [view, history] = await Promise.all([
          deps.store.siteView(params.siteId),
          deps.store.history(params.siteId, nowMs - 30 * DAY_MS, nowMs + 1),
        ]);
        const { health, summary } = view;
        const offline = health?.offline ?? null;
        const last = summary?.lastSample ?? null;
        return {
          site,
          health:
            health === null
              ? null
              : {
                  offline:
                    offline === null
                      ? null
                      : {
                          onsetMs: offline.onsetMs,
                          cause: offline.cause,
                          detail: offline.detail,
                          firstCause: offline.firstCause,
                          firstDetail: offline.firstDetail,
                          source: offline.source,
                        },
                  conditions: health.conditions,
                },
          status: summary?.status ?? null,
          last: last === null ? null : { atMs: last.effectiveMs, seq: last.seq, bootId: last.bootId, ...last.figures },
          alerts: view.alerts.map(alertView(snap.records)),
          history: history
            .reverse()
            .map(({ kind, event, atMs, sinceMs, cause, detail, previousCause, previousDetail }) => ({
              kind,
              event,
              atMs,
              sinceMs,
              cause,
              detail,
              previousCause,
              previousDetail,
            })),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/sites/:siteId/series',
      tag: 'fleet',
      summary: "A site's hourly or daily series from its roll-ups (default: the last 7 days, hourly)",
      access: 'viewer',
      params: siteParams,
      query: rangeQuery,
      response: { status: 200, schema: seriesSchema },
      async handler({ params, query }) {
        const toMs = query.toMs ?? deps.nowMs();
        const fromMs = query.fromMs ?? toMs - 7 * DAY_MS;
        return seriesOf(query.grain, await deps.store.rollups(params.siteId, query.grain, fromMs, toMs));
      },
    }),
    route({
      method: 'GET',
      url: '/api/sites/:siteId/completeness',
      tag: 'fleet',
      summary: 'Samples expected, received and missing per UTC day (default: the last 7 days)',
      access: 'viewer',
      params: siteParams,
      query: rangeQuery,
      response: {
        status: 200,
        schema: z.object({
          days: z.array(z.object({ day: z.string(), expected: z.number(), received: z.number(), missing: z.number() })),
        }),
      },
      async handler({ params, query }) {
        const toMs = query.toMs ?? deps.nowMs();
        const fromMs = query.fromMs ?? Math.floor(toMs / DAY_MS) * DAY_MS - 6 * DAY_MS;
        const days = await deps.store.completeness(params.siteId, fromMs, toMs);
        return {
          days: days.map((d) => ({
            day: new Date(d.dayMs).toISOString().slice(0, 10),
            expected: d.expected,
            received: d.received,
            missing: Math.max(0, d.expected - d.received),
          })),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/alerts',
      tag: 'alerts',
      summary: 'Alerts, newest first (open=true: those not resolved)',
      access: 'viewer',
      query: z.object({ open: openFlag }),
      response: { status: 200, schema: z.object({ alerts: z.array(alertSchema) }) },
      async handler({ query }) {
        const snap = await deps.overview.snapshot();
        const list = query.open === 'true' ? snap.alerts : await deps.store.fleetAlerts(true);
        const alerts = [...list].sort((a, b) => b.sinceMs - a.sinceMs);
        return { alerts: alerts.map(alertView(snap.records)) };
      },
    }),
    route({
      method: 'GET',
      url: '/api/incidents',
      tag: 'alerts',
      summary: 'Open area and NOC incidents (ended ones are in the history)',
      access: 'viewer',
      query: z.object({ open: openFlag }),
      response: { status: 200, schema: z.object({ incidents: z.array(incidentSchema) }) },
      async handler() {
        return {
          incidents: (await deps.store.openIncidentList()).map((i) => ({
            id: i.id,
            kind: i.kind,
            scope: i.scope,
            areaCode: i.areaCode,
            areaName: i.areaName,
            cause: i.cause,
            startsAtMs: i.startsAtMs,
            endsAtMs: i.endsAtMs,
            members: i.members.map((m) => ({ siteId: m.siteId, sinceMs: m.sinceMs, recoveredAtMs: m.recoveredAtMs })),
          })),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/silences',
      tag: 'alerts',
      summary: 'Silences and maintenance windows',
      access: 'viewer',
      response: {
        status: 200,
        schema: z.object({ silences: z.array(silenceSchema), maintenance: z.array(maintenanceSchema) }),
      },
      async handler() {
        const [silences, maintenance] = await Promise.all([deps.store.silences(), deps.store.maintenance()]);
        return { silences, maintenance };
      },
    }),
  ];
}
