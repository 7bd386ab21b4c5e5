import type pg from 'pg';
import type { AlertRecord, IncidentRecord } from '../../alerts/alert-record.js';
import type { HealthCommit, HealthStateStore } from '../../health/ports.js';
import type { DailyFactsSource } from '../../health/underused.js';
import {
  SITE_DAYS_SELECT,
  type SiteDayRow,
  siteDayFromRow,
  TRANSITION_COLUMNS,
  type TransitionRow,
  transitionFromRow,
  transitionValues,
} from '../health-rows.js';
import { inTransaction } from './pool.js';

const COLUMNS = TRANSITION_COLUMNS.join(', ');
const TRANSITION_TYPES = ['text', 'text', 'text', 'int8', 'int8', 'text', 'text', 'text', 'text', 'text'];

/** Writes one health commit in the caller's transaction. */
export async function writeHealthCommit(db: Pick<pg.PoolClient, 'query'>, change: HealthCommit): Promise<void> {
  if (change.sites.length > 0) {
    await db.query(
      `INSERT INTO health_sites (site_id, state) SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (site_id) DO UPDATE SET state = excluded.state`,
      [change.sites.map((s) => s.siteId), change.sites.map((s) => JSON.stringify(s))],
    );
  }
  if (change.alerts.length > 0) {
    const a = change.alerts;
    await db.query(
      `INSERT INTO alerts (key, site_id, kind, record)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
         ON CONFLICT (key) DO UPDATE SET record = excluded.record`,
      [a.map((r) => r.key), a.map((r) => r.siteId), a.map((r) => r.kind), a.map((r) => JSON.stringify(r))],
    );
  }
  if (change.incidents.length > 0) {
    const i = change.incidents;
    await db.query(
      `INSERT INTO incidents (id, ends_at_ms, record) SELECT * FROM unnest($1::text[], $2::int8[], $3::text[])
         ON CONFLICT (id) DO UPDATE SET ends_at_ms = excluded.ends_at_ms, record = excluded.record`,
      [i.map((r) => r.id), i.map((r) => r.endsAtMs), i.map((r) => JSON.stringify(r))],
    );
  }
  if (change.transitions.length > 0) {
    const rows = change.transitions.map(transitionValues);
    await db.query(
      `INSERT INTO health_transitions (${COLUMNS})
         SELECT ${COLUMNS} FROM unnest(${TRANSITION_TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
           WITH ORDINALITY AS t(${COLUMNS}, n)
         ORDER BY n`,
      TRANSITION_COLUMNS.map((_, i) => rows.map((r) => r[i])),
    );
  }
  if (change.outbox.length > 0) {
    const o = change.outbox;
    await db.query(
      `INSERT INTO alert_outbox (sink, notification_id, key, notification, created_ms, attempts, next_attempt_ms,
           last_error)
         SELECT sink, id, key, n, created, attempts, next_ms, err
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::int8[], $7::int8[], $8::text[])
           WITH ORDINALITY AS t(sink, id, key, n, created, attempts, next_ms, err, ord)
         ORDER BY ord
         ON CONFLICT (sink, notification_id) DO NOTHING`,
      [
        o.map((x) => x.sink),
        o.map((x) => x.notification.id),
        o.map((x) => x.notification.key),
        o.map((x) => JSON.stringify(x.notification)),
        o.map((x) => x.notification.createdMs),
        o.map((x) => x.attempts),
        o.map((x) => x.nextAttemptMs),
        o.map((x) => x.lastError),
      ],
    );
  }
  await db.query(
    `INSERT INTO health_meta (key, value) VALUES ('noc', $1), ('saved_at_ms', $2)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [JSON.stringify(change.noc), String(change.savedAtMs)],
  );
}

/**
 * Health state, alert records, incidents and transitions on PostgreSQL. A commit is one
 * transaction of a few statements, each writing all its rows from arrays (round trips cost).
 */
export function postgresHealthState(pool: pg.Pool): HealthStateStore & DailyFactsSource {
  return {
    async load() {
      const [sites, alerts, open, meta] = await Promise.all([
        pool.query<{ state: string }>('SELECT state FROM health_sites'),
        pool.query<{ record: string }>('SELECT record FROM alerts'),
        pool.query<{ record: string }>('SELECT record FROM incidents WHERE ends_at_ms IS NULL'),
        pool.query<{ key: string; value: string }>('SELECT key, value FROM health_meta'),
      ]);
      const metaOf = (key: string) => meta.rows.find((r) => r.key === key)?.value;
      const noc = metaOf('noc');
      const saved = metaOf('saved_at_ms');
      return {
        sites: sites.rows.map((r) => JSON.parse(r.state)),
        noc: noc === undefined ? null : JSON.parse(noc),
        alerts: alerts.rows.map((r) => JSON.parse(r.record) as AlertRecord),
        openIncidents: open.rows.map((r) => JSON.parse(r.record) as IncidentRecord),
        savedAtMs: saved === undefined ? null : Number(saved),
      };
    },
    commit: (change) => inTransaction(pool, (db) => writeHealthCommit(db, change)),
    async history(siteId, fromMs, toMs) {
      // `=` and `IS NULL`, not `IS NOT DISTINCT FROM`: PostgreSQL cannot search an index with the
      // latter, and would read the whole history for each site.
      const res = await pool.query<TransitionRow>(
        `SELECT ${TRANSITION_COLUMNS.join(', ')} FROM health_transitions
         WHERE ${siteId === null ? 'site_id IS NULL AND $1::text IS NULL' : 'site_id = $1'}
           AND at_ms >= $2 AND at_ms < $3 ORDER BY id`,
        [siteId, fromMs, toMs],
      );
      return res.rows.map(transitionFromRow);
    },
    async siteDays(fromDayMs, toDayMs) {
      const res = await pool.query<SiteDayRow>(
        `${SITE_DAYS_SELECT} AND bucket_ms >= $1 AND bucket_ms < $2 ORDER BY site_id, bucket_ms`,
        [fromDayMs, toDayMs],
      );
      return res.rows.map(siteDayFromRow);
    },
  };
}
