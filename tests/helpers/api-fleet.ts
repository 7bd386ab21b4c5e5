import { randomBytes } from 'node:crypto';
import { demoFleetRecords } from '@pantau/bench/dashboard-demo';
import {
  type AccessConfig,
  type AlertRecord,
  accessConfigSchema,
  buildHttpApp,
  collectorConfigSchema,
  newAlertRecord,
  newNocState,
  newSiteHealth,
  type SiteRecord,
  type Store,
} from '@pantau/collector';
import { MS_PER_HOUR } from '@pantau/shared';
import { batch, DAY0, MIN, synced } from '../contract/store-fixtures.js';
import { silentLogger } from './fakes.js';

/** The API tests' "now": two hours into DAY0's morning, so the last 24 hours hold the fixture's samples. */
export const API_NOW_MS = DAY0 + 20 * MS_PER_HOUR;

function alert(
  siteId: string,
  kind: AlertRecord['kind'],
  sinceMs: number,
  extra: Partial<AlertRecord> = {},
): AlertRecord {
  return {
    ...newAlertRecord(siteId, kind, sinceMs),
    phase: 'firing',
    active: true,
    cause: 'power',
    detail: 'battery ran flat',
    ...extra,
  };
}

export interface ApiFleet {
  readonly records: SiteRecord[];
  /** Heard but not in the registry. */
  readonly strayId: string;
  /** offline (not acknowledged), power_at_risk (acknowledged), pending degraded (not shown). */
  readonly offlineId: string;
  readonly ackedId: string;
  readonly pendingId: string;
}

/**
 * Fills a store: the registry, samples of every site but the last (never heard) for the 19 hours
 * up to `API_NOW_MS`, their roll-ups, a stray site, and health state with alerts.
 */
export async function fillApiFleet(store: Store, count = 12): Promise<ApiFleet> {
  // The simulator's site plans (real kecamatan of Paser and Kutai Timur), as the dashboard's demo fleet.
  const records = demoFleetRecords(count, 7);
  await store.upsert(records);
  const strayId = 'xx-stray-01';
  const heard = [...records.slice(0, -1).map((r) => r.siteId), strayId];
  for (const [i, siteId] of heard.entries()) {
    const samples = Array.from({ length: 19 }, (_, h) =>
      synced(h, h * 60, {
        probes: {
          uptime: { systemUptimeMs: MS_PER_HOUR + h * 60 * MIN, agentUptimeMs: 1 },
          // One sample an hour: hour h's mean solar power is 10 h W.
          power: { batteryVolts: 12 + i / 10, solarWatts: 10 * h },
          clients: { clientsInterval: 3 + (i % 5) },
          usage: { rxBytes: 1_000_000, txBytes: 100_000, agentRxBytes: 1000, agentTxBytes: 1000 },
          latency: { targets: [{ role: 'internet', host: 'i', rttAvgMs: 40 + i }] },
        },
      }),
    );
    await store.insertBatches([{ batch: batch(siteId, samples), receivedMs: DAY0 + 19 * MS_PER_HOUR }]);
  }
  while ((await store.refreshRollups(1000)) > 0) {}
  const [offline, acked, pending] = records;
  if (offline === undefined || acked === undefined || pending === undefined) throw new Error('fleet too small');
  const defaults = { deliveryMs: 300_000, sampleMs: 60_000 };
  await store.commit({
    sites: heard.map((siteId) => ({ ...newSiteHealth(siteId, defaults), lastHeardMs: DAY0 + 19 * MS_PER_HOUR })),
    noc: newNocState(API_NOW_MS),
    alerts: [
      alert(offline.siteId, 'offline', DAY0 + 18 * MS_PER_HOUR),
      alert(acked.siteId, 'power_at_risk', DAY0 + 17 * MS_PER_HOUR, {
        ackBy: 'dewi',
        ackMs: DAY0 + 18 * MS_PER_HOUR,
        ackNote: 'on it',
      }),
      alert(pending.siteId, 'degraded', DAY0 + 19 * MS_PER_HOUR, { phase: 'pending' }),
    ],
    incidents: [],
    transitions: [
      {
        siteId: offline.siteId,
        kind: 'offline',
        event: 'began',
        atMs: DAY0 + 18 * MS_PER_HOUR,
        sinceMs: DAY0 + 18 * MS_PER_HOUR,
        cause: 'power',
        detail: 'battery ran flat',
        previousCause: null,
        previousDetail: null,
        episodeId: null,
      },
    ],
    outbox: [],
    savedAtMs: API_NOW_MS,
  });
  return { records, strayId, offlineId: offline.siteId, ackedId: acked.siteId, pendingId: pending.siteId };
}

/** The API over `store`, with a fixed clock at `API_NOW_MS` and real timers for the event stream. */
export function apiApp(
  store: Store,
  access: Partial<AccessConfig> = {},
  options: { dashboardDir?: string | null } = {},
) {
  const config = collectorConfigSchema.parse({});
  return buildHttpApp({
    store,
    access: accessConfigSchema.parse(access),
    speedtest: config.http.speedtest,
    config,
    live: {
      ingestCounters: () => ({
        messages: 5,
        samplesStored: 40,
        duplicates: 1,
        staleStatuses: 0,
        resendReplies: 0,
        rejected: 2,
        rejectsByReason: { unknown_topic: 2 },
        quarantineWriteFailures: 0,
      }),
      inputCounters: () => ({ reconnects: 1 }),
      evaluator: () => null,
      inputConnected: () => true,
      storeBytes: async () => 4096,
    },
    dashboardDir: options.dashboardDir ?? null,
    overview: { maxAgeMs: 0, maxStaleMs: 0, registryMaxAgeMs: 0, usageMaxAgeMs: 0, usageSliceSites: 5 },
    events: { pollMs: 50, heartbeatMs: 1000, maxClients: 5 },
    randomBytes,
    monotonicMs: () => performance.now(),
    nowMs: () => API_NOW_MS,
    every: (ms, fn) => {
      const timer = setInterval(fn, ms);
      return () => clearInterval(timer);
    },
    log: silentLogger(),
  });
}
