import {
  histogramOf,
  newNocState,
  type ReportRange,
  ROLLUP_COLUMNS,
  type Rollup,
  rollupValues,
  type SiteRecord,
  type Store,
  type Transition,
} from '@pantau/collector';
import { MS_PER_DAY, MS_PER_HOUR } from '@pantau/shared';
import Database from 'better-sqlite3';
import pg from 'pg';
import { seeded } from './seeded.js';

/**
 * bench:report's month: each site's hourly and daily roll-ups (what the collector's roll-up job
 * writes from samples) with outages, school-hour use and a nightly speed test, and the health
 * history's offline episodes for the same outages, so downtime is split by cause as in production.
 */
export interface SiteMonth {
  readonly rollups: Rollup[];
  readonly transitions: Transition[];
}

const CAUSES = ['power', 'link', 'terminal'] as const;

/** One line of a site's offline history, as the health evaluator commits it. */
export function offlineLine(
  siteId: string,
  event: Transition['event'],
  atMs: number,
  sinceMs: number,
  cause: string,
): Transition {
  return {
    siteId,
    kind: 'offline',
    event,
    atMs,
    sinceMs,
    cause,
    detail: cause,
    previousCause: null,
    previousDetail: null,
    episodeId: null,
  };
}

function siteMonth(siteId: string, range: ReportRange, random: () => number): SiteMonth {
  const rows: Rollup[] = [];
  const transitions: Transition[] = [];
  const outageEvery = 50 + Math.floor(random() * 400);
  let day: Rollup | null = null;
  let outageSinceMs: number | null = null;
  const offline = (event: Transition['event'], atMs: number, sinceMs: number, cause: string) =>
    offlineLine(siteId, event, atMs, sinceMs, cause);
  for (let ms = range.fromMs - MS_PER_HOUR * 8; ms < range.toMs; ms += MS_PER_HOUR) {
    const localHour = (new Date(ms).getUTCHours() + 8) % 24;
    const online = Math.floor(ms / MS_PER_HOUR) % outageEvery < 3 ? 0 : 60;
    const dayMs = Math.floor(ms / MS_PER_DAY) * MS_PER_DAY;
    if (day === null || day.bucketMs !== dayMs) {
      if (day !== null) rows.push(day);
      day = { ...emptyRollup(siteId, 'day', dayMs) };
    }
    if (online === 0) {
      if (outageSinceMs === null) {
        outageSinceMs = ms;
        transitions.push(offline('began', ms, ms, 'unknown'));
      }
      continue;
    }
    if (outageSinceMs !== null) {
      const cause = CAUSES[Math.floor(random() * CAUSES.length)] ?? 'unknown';
      transitions.push(offline('ended', ms, outageSinceMs, 'unknown'));
      transitions.push(offline('cause_revised', ms + 60_000, outageSinceMs, cause));
      outageSinceMs = null;
    }
    const busy = localHour >= 8 && localHour < 17 ? random() : random() * 0.2;
    const rtts = Array.from({ length: 12 }, () => 30 + random() * 40 + (random() < 0.05 ? 400 : 0));
    rtts.sort((a, b) => a - b);
    const hour: Rollup = {
      ...emptyRollup(siteId, 'hour', ms),
      samples: 60,
      onlineMinutes: 60,
      activeMinutes: Math.round(60 * busy),
      rxBytes: Math.round(busy * 4e8) + 1e6,
      txBytes: Math.round(busy * 6e7) + 1e6,
      clientRxBytes: Math.round(busy * 4e8),
      clientTxBytes: Math.round(busy * 6e7),
      latency: { internet: { p50Ms: rtts[6] ?? 0, p95Ms: rtts[11] ?? 0, samples: 12 } },
      latencyHistogram: { internet: histogramOf(rtts) },
      throughput: localHour === 2 ? [{ atMs: ms + 60_000, downBitsPerSec: 2e7 * random(), upBitsPerSec: 4e6 }] : [],
      batteryMinVolts: localHour < 6 ? 11.4 + random() : 12.4,
      batteryMaxVolts: 13.6,
      clientsMax: Math.round(busy * 30),
      received: 60,
      expected: 60,
    };
    rows.push(hour);
    day = {
      ...day,
      samples: day.samples + 60,
      onlineMinutes: day.onlineMinutes + 60,
      activeMinutes: day.activeMinutes + hour.activeMinutes,
      clientRxBytes: day.clientRxBytes + hour.clientRxBytes,
      clientTxBytes: day.clientTxBytes + hour.clientTxBytes,
      received: day.received + 60,
      expected: day.expected + 60,
    };
  }
  if (day !== null) rows.push(day);
  return { rollups: rows, transitions };
}

function emptyRollup(siteId: string, grain: Rollup['grain'], bucketMs: number): Rollup {
  return {
    siteId,
    grain,
    bucketMs,
    samples: 0,
    onlineMinutes: 0,
    activeMinutes: 0,
    rxBytes: 0,
    txBytes: 0,
    clientRxBytes: 0,
    clientTxBytes: 0,
    latency: {},
    latencyHistogram: {},
    throughput: [],
    batteryMinVolts: null,
    batteryMaxVolts: null,
    solarMeanWatts: null,
    clientsMax: null,
    received: 0,
    expected: 0,
  };
}

export function* fleetMonths(sites: readonly SiteRecord[], range: ReportRange): Generator<SiteMonth> {
  const random = seeded(15);
  for (const s of sites) yield siteMonth(s.siteId, range, random);
}

const COLUMNS = ROLLUP_COLUMNS.split(',').map((c) => c.trim());

/** Writes the fleet's roll-ups straight into a SQLite store's table; returns the rows and the transitions. */
export function fillSqlite(path: string, sites: readonly SiteRecord[], range: ReportRange) {
  const db = new Database(path);
  const insert = db.prepare(`INSERT INTO rollups (${ROLLUP_COLUMNS}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
  let rows = 0;
  const transitions: Transition[] = [];
  db.transaction(() => {
    for (const month of fleetMonths(sites, range)) {
      for (const r of month.rollups) insert.run(rollupValues(r));
      rows += month.rollups.length;
      transitions.push(...month.transitions);
    }
  })();
  db.close();
  return { rows, transitions };
}

/** The same into PostgreSQL, a thousand rows a statement. */
export async function fillPostgres(url: string, sites: readonly SiteRecord[], range: ReportRange) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let rows = 0;
  const transitions: Transition[] = [];
  try {
    for (const month of fleetMonths(sites, range)) {
      for (let i = 0; i < month.rollups.length; i += 1000) {
        const chunk = month.rollups.slice(i, i + 1000);
        const params: unknown[] = [];
        const tuples = chunk.map((r) => {
          const values = rollupValues(r);
          const at = params.length;
          params.push(...values);
          return `(${values.map((_, k) => `$${at + k + 1}`).join(', ')})`;
        });
        await client.query(`INSERT INTO rollups (${ROLLUP_COLUMNS}) VALUES ${tuples.join(', ')}`, params);
      }
      rows += month.rollups.length;
      transitions.push(...month.transitions);
    }
    await client.query('ANALYZE rollups');
  } finally {
    await client.end();
  }
  return { rows, transitions };
}

/** The health history's lines, as the evaluator commits them. */
export async function commitHistory(store: Store, transitions: readonly Transition[], atMs: number): Promise<void> {
  for (let i = 0; i < transitions.length; i += 5000) {
    await store.commit({
      sites: [],
      noc: newNocState(atMs),
      alerts: [],
      incidents: [],
      outbox: [],
      savedAtMs: atMs,
      transitions: transitions.slice(i, i + 5000),
    });
  }
}
