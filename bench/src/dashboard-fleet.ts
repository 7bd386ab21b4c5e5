import {
  type AlertRecord,
  newAlertRecord,
  newNocState,
  newSiteHealth,
  type ReportRange,
  ROLLUP_COLUMNS,
  rollupValues,
  type SiteRecord,
  type Store,
} from '@pantau/collector';
import { telemetryBatchSchema } from '@pantau/shared';
import Database from 'better-sqlite3';
import pg from 'pg';
import { fleetMonths } from './report-fleet.js';
import { syntheticSample } from './synthetic-samples.js';

const COLUMNS = ROLLUP_COLUMNS.split(',').map((c) => c.trim());

/**
 * bench:dashboard's fleet in a store, as the collector would hold it after a day: the registry,
 * each site's latest sample, a day of hourly roll-ups (bench:report's generator), and the health
 * state with a few percent of sites in each alert state.
 */
export async function fillFleetState(store: Store, sites: readonly SiteRecord[], nowMs: number, random: () => number) {
  await store.upsert(sites);
  for (let i = 0; i < sites.length; i += 500) {
    const items = sites.slice(i, i + 500).map((s) => ({
      batch: telemetryBatchSchema.parse({
        v: 1,
        siteId: s.siteId,
        agentVersion: '0.1.0',
        sentAtMs: nowMs - 60_000,
        samples: [syntheticSample(1, nowMs - 120_000, random)],
      }),
      receivedMs: nowMs - 60_000,
    }));
    await store.insertBatches(items);
  }
  const alerts: AlertRecord[] = [];
  const kinds: AlertRecord['kind'][] = ['offline', 'power_at_risk', 'degraded', 'underused', 'data_problem'];
  for (const [i, s] of sites.entries()) {
    const kind = kinds[i % 40];
    if (kind === undefined) continue;
    alerts.push({
      ...newAlertRecord(s.siteId, kind, nowMs - (i % 97) * 60_000),
      phase: 'firing',
      active: true,
      cause: kind === 'offline' ? 'power' : 'unknown',
      detail: 'bench',
      ackMs: i % 3 === 0 ? nowMs : null,
      ackBy: i % 3 === 0 ? 'bench' : null,
    });
  }
  for (let i = 0; i < sites.length; i += 2000) {
    const slice = sites.slice(i, i + 2000);
    await store.commit({
      sites: slice.map((s) => ({
        ...newSiteHealth(s.siteId, { deliveryMs: 300_000, sampleMs: 60_000 }),
        registered: true,
        group: s.group,
        kabupatenCode: s.kabupatenCode,
        kecamatanCode: s.kecamatanCode,
        latitude: s.latitude,
        longitude: s.longitude,
        registryDisconnectVolts: 11.5,
        lastHeardMs: nowMs - 60_000,
        arrivalGapsMs: [300_000, 300_100, 299_900, 300_000, 300_050],
        learnedIntervalMs: 300_000,
        status: { state: 'online', reason: 'connected', epoch: 3, receivedMs: nowMs - 86_400_000 },
        // A day of readings, as the evaluator keeps them (its state is read whole by the overview).
        battery: Array.from({ length: 48 }, (_, k) => [nowMs - k * 1_800_000, 12 + random()] as [number, number]),
        quality: Array.from({ length: 30 }, (_, k) => [nowMs - k * 60_000, 0] as [number, number]),
      })),
      noc: newNocState(nowMs),
      alerts: alerts.filter((a) => slice.some((s) => s.siteId === a.siteId)),
      incidents: [],
      transitions: [],
      outbox: [],
      savedAtMs: nowMs,
    });
  }
}

/** A day of hourly roll-ups per site straight into SQLite's table (as the roll-up job writes them). */
export function fillSqliteDay(path: string, sites: readonly SiteRecord[], range: ReportRange): number {
  const db = new Database(path);
  const insert = db.prepare(
    `INSERT OR REPLACE INTO rollups (${ROLLUP_COLUMNS}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
  );
  let rows = 0;
  db.transaction(() => {
    for (const month of fleetMonths(sites, range)) {
      for (const r of month.rollups) insert.run(rollupValues(r));
      rows += month.rollups.length;
    }
  })();
  db.close();
  return rows;
}

/** The same into PostgreSQL, a thousand rows a statement. */
export async function fillPostgresDay(url: string, sites: readonly SiteRecord[], range: ReportRange): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let rows = 0;
  try {
    let batch: unknown[][] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const params: unknown[] = [];
      const tuples = batch.map((values) => {
        const at = params.length;
        params.push(...values);
        return `(${values.map((_, k) => `$${at + k + 1}`).join(', ')})`;
      });
      await client.query(
        `INSERT INTO rollups (${ROLLUP_COLUMNS}) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`,
        params,
      );
      batch = [];
    };
    for (const month of fleetMonths(sites, range)) {
      for (const r of month.rollups) {
        batch.push(rollupValues(r) as unknown[]);
        if (batch.length === 1000) await flush();
      }
      rows += month.rollups.length;
    }
    await flush();
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
  return rows;
}
