import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AccessConfig,
  type AlertRecord,
  type HttpServer,
  hashPassword,
  listenHttp,
  newAlertRecord,
  newNocState,
  newSiteHealth,
  openSqliteStore,
  type SiteRecord,
  type Store,
  type Transition,
} from '@pantau/collector';
import { type AlertCause, type AlertKind, MS_PER_DAY, MS_PER_HOUR, telemetryBatchSchema } from '@pantau/shared';
import { dashboardApp } from './dashboard-app.js';
import { planFleet } from './fleet/index.js';
import { seeded } from './seeded.js';
import { syntheticSample } from './synthetic-samples.js';

/** The simulator's site plans (real kecamatan of East Kalimantan) as registry records. */
export function demoFleetRecords(count: number, seed: number): SiteRecord[] {
  return planFleet(count, seed).map((p) => ({
    siteId: p.siteId,
    name: p.name,
    kabupatenCode: p.kabupatenCode,
    kabupaten: p.kabupaten,
    kecamatanCode: p.kecamatanCode,
    kecamatan: p.kecamatan,
    desaCode: p.desaCode,
    desa: p.desa,
    group: p.group,
    latitude: p.latitude,
    longitude: p.longitude,
    lowVoltageDisconnectVolts: p.lowVoltageDisconnectVolts,
    sampleIntervalSec: null,
    deliveryIntervalSec: null,
  }));
}

/** Which alert a site of the demo fleet has, by its place in the fleet (every other site is online). */
const STATES: readonly { kind: AlertKind; cause: AlertCause; detail: string; acked: boolean }[] = [
  { kind: 'offline', cause: 'power', detail: 'battery ran flat', acked: false },
  { kind: 'power_at_risk', cause: 'battery_low', detail: 'battery below its disconnect voltage', acked: true },
  { kind: 'degraded', cause: 'loss', detail: 'loss_share', acked: false },
  { kind: 'underused', cause: 'adoption', detail: 'few devices for a week', acked: false },
  { kind: 'offline', cause: 'link', detail: 'terminal reachable, internet not', acked: false },
];

export interface DemoFleet {
  readonly records: readonly SiteRecord[];
  /** Heard but not in the registry (no coordinates). */
  readonly strayId: string;
  /** Each site's alert kind, or null for a site that is online. */
  readonly kindOf: ReadonlyMap<string, AlertKind | null>;
  /** The first and last hour the samples cover. */
  readonly fromMs: number;
  readonly toMs: number;
}

const defaults = { deliveryMs: 300_000, sampleMs: 60_000 };

function began(alert: AlertRecord): Transition {
  return {
    siteId: alert.siteId,
    kind: alert.kind,
    event: 'began',
    atMs: alert.sinceMs,
    sinceMs: alert.sinceMs,
    cause: alert.cause,
    detail: alert.detail,
    previousCause: null,
    previousDetail: null,
    episodeId: null,
  };
}

function firing(siteId: string, kind: AlertKind, cause: AlertCause, detail: string, sinceMs: number): AlertRecord {
  return { ...newAlertRecord(siteId, kind, sinceMs), phase: 'firing', active: true, cause, detail };
}

/**
 * Fills a store as the collector would hold it after `days` of a demo fleet: the registry, hourly
 * samples of every site (and of one unregistered stray) up to `nowMs` (an offline site's stop when
 * it went down), their hourly roll-ups, and health state with one site in five carrying a firing
 * alert (offline, power at risk, degraded, underused), each with its history line.
 */
export async function fillDemoFleet(
  store: Store,
  options: { sites: number; seed: number; nowMs: number; days: number },
): Promise<DemoFleet> {
  const { nowMs } = options;
  const records = demoFleetRecords(options.sites, options.seed);
  await store.upsert(records);
  const strayId = 'xx-stray-01';
  const random = seeded(options.seed);
  const lastHourMs = Math.floor(nowMs / MS_PER_HOUR) * MS_PER_HOUR;
  const fromMs = lastHourMs - options.days * MS_PER_DAY;
  const kindOf = new Map<string, AlertKind | null>();
  const alerts: AlertRecord[] = [];
  const heard = [...records.map((r) => r.siteId), strayId];
  for (const [i, siteId] of heard.entries()) {
    const state = siteId === strayId || i % 5 !== 0 ? undefined : STATES[(i / 5) % STATES.length];
    kindOf.set(siteId, state?.kind ?? null);
    // Down for a few hours, so the charts and the report show the gap.
    const sinceMs = lastHourMs - (2 + (i % 7)) * MS_PER_HOUR + 17 * 60_000;
    if (state !== undefined) {
      alerts.push({
        ...firing(siteId, state.kind, state.cause, state.detail, sinceMs),
        ...(state.acked ? { ackBy: 'dewi', ackMs: sinceMs + MS_PER_HOUR, ackNote: 'genset on the way' } : {}),
      });
    }
    const untilMs = state?.kind === 'offline' ? sinceMs : nowMs;
    const samples = [];
    // Hourly, numbered one after another: the roll-ups count a gap in the numbers as samples lost.
    for (let atMs = fromMs; atMs < untilMs; atMs += MS_PER_HOUR) {
      samples.push({ ...syntheticSample((atMs - fromMs) / 60_000, fromMs, random), seq: samples.length + 1 });
    }
    for (let k = 0; k < samples.length; k += 24) {
      const part = samples.slice(k, k + 24);
      const sentAtMs = (part.at(-1)?.wallMs ?? fromMs) + 1000;
      await store.insertBatches([
        {
          batch: telemetryBatchSchema.parse({ v: 1, siteId, agentVersion: '0.1.0', sentAtMs, samples: part }),
          receivedMs: sentAtMs,
        },
      ]);
    }
  }
  while ((await store.refreshRollups(5000)) > 0) {}
  const byId = new Map(records.map((r) => [r.siteId, r]));
  await store.commit({
    sites: heard.map((siteId) => {
      const r = byId.get(siteId);
      const offline = kindOf.get(siteId) === 'offline';
      const alert = alerts.find((a) => a.siteId === siteId);
      return {
        ...newSiteHealth(siteId, defaults),
        ...(r === undefined
          ? {}
          : {
              registered: true,
              group: r.group,
              kabupatenCode: r.kabupatenCode,
              kecamatanCode: r.kecamatanCode,
              latitude: r.latitude,
              longitude: r.longitude,
            }),
        lastHeardMs: offline && alert !== undefined ? alert.sinceMs : nowMs - 60_000,
      };
    }),
    noc: newNocState(fromMs),
    alerts,
    incidents: [],
    transitions: alerts.map(began),
    outbox: [],
    savedAtMs: nowMs,
  });
  return { records, strayId, kindOf, fromMs, toMs: nowMs };
}

/** What the health evaluator commits when a site goes offline: a firing alert and its history line. */
export async function commitOffline(store: Store, siteId: string, nowMs: number): Promise<void> {
  const saved = await store.load();
  const alert = firing(siteId, 'offline', 'power', 'battery ran flat', nowMs);
  await store.commit({
    sites: [],
    noc: saved.noc ?? newNocState(nowMs),
    alerts: [alert],
    incidents: [],
    transitions: [began(alert)],
    outbox: [],
    savedAtMs: nowMs,
  });
}

/**
 * Applies the acknowledgements the API queued, as the health runner's sync pass does: each marks
 * its alert (by key) and is then done, applied or not. Returns the keys acknowledged.
 */
export async function applyPendingAcks(store: Store, nowMs: number): Promise<string[]> {
  const saved = await store.load();
  const done: AlertRecord[] = [];
  for (const ack of await store.pendingAcks()) {
    const alert = saved.alerts.find((a) => a.key === ack.key && a.phase !== 'resolved');
    if (alert !== undefined) done.push({ ...alert, ackBy: ack.by, ackMs: nowMs, ackNote: ack.note });
    await store.ackApplied(ack);
  }
  if (done.length > 0) {
    await store.commit({
      sites: [],
      noc: saved.noc ?? newNocState(nowMs),
      alerts: done,
      incidents: [],
      transitions: [],
      outbox: [],
      savedAtMs: nowMs,
    });
  }
  return done.map((a) => a.key);
}

export interface DemoUser {
  readonly name: string;
  readonly role: 'admin' | 'viewer';
  readonly password: string;
}

export interface DashboardDemo {
  readonly url: string;
  readonly store: Store;
  readonly fleet: DemoFleet;
  close(): Promise<void>;
}

/**
 * A demo fleet in a fresh SQLite file served by the collector's HTTP app on a free loopback port,
 * with the built dashboard: what the browser test and the first-load bench open.
 */
export async function startDashboardDemo(options: {
  readonly dashboardDir: string;
  readonly sites: number;
  readonly seed?: number;
  readonly days?: number;
  readonly mode: AccessConfig['mode'];
  readonly users?: readonly DemoUser[];
  readonly eventsPollMs?: number;
}): Promise<DashboardDemo> {
  const dir = mkdtempSync(join(tmpdir(), 'pantau-dashboard-demo-'));
  let store: Store | null = null;
  let server: HttpServer | null = null;
  try {
    store = openSqliteStore(join(dir, 'pantau.sqlite'));
    const fleet = await fillDemoFleet(store, {
      sites: options.sites,
      seed: options.seed ?? 7,
      nowMs: Date.now(),
      days: options.days ?? 4,
    });
    const users = await Promise.all(
      (options.users ?? []).map(async (u) => ({
        name: u.name,
        role: u.role,
        passwordHash: await hashPassword(u.password),
      })),
    );
    const app = dashboardApp(store, {
      access: { mode: options.mode, users },
      dashboardDir: options.dashboardDir,
      ...(options.eventsPollMs === undefined ? {} : { eventsPollMs: options.eventsPollMs }),
    });
    server = await listenHttp(app, '127.0.0.1', 0);
    const opened = { store, server };
    return {
      url: server.url,
      store,
      fleet,
      async close() {
        await opened.server.close();
        await opened.store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
