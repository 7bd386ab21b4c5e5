import { MS_PER_DAY, type SiteStatus } from '@pantau/shared';
import pg from 'pg';
import { insertGroup } from './pg-insert.js';
import { pgMigrations } from './pg-migrations.js';
import { computeDay, dayBelowSeqs, type FactRow, GAP_WINDOW_SEQS, subtractRanges } from './rollup.js';
import { type RollupRow, rollupFromRow, type SiteRow, toSummary } from './rows.js';
import type { SeqRange, StatusOutcome, Store, StoredReject, StoredSample } from './store.js';

type Db = pg.PoolClient;

const INT8_OID = 20;
// Every bigint here is epoch milliseconds, a byte count or a sequence number: all below 2^53.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

const FACT_COLUMNS = `seq, effective_ms AS "effectiveMs", rx_bytes AS "rxBytes", tx_bytes AS "txBytes",
  client_rx_bytes AS "clientRxBytes", client_tx_bytes AS "clientTxBytes", clients, battery_volts AS "batteryVolts",
  rtt_gateway_ms AS "rttGatewayMs", rtt_terminal_ms AS "rttTerminalMs", rtt_internet_ms AS "rttInternetMs",
  rtt_noc_ms AS "rttNocMs"`;

export interface PostgresStoreOptions {
  readonly connectionString: string;
  /** Pool size; each ingest connection needs one while it commits. */
  readonly maxConnections?: number;
}

/**
 * PostgreSQL via a `pg` pool, for fleets and several collectors sharing one subscription. Same
 * schema and behaviour as the SQLite store (one contract suite runs against both).
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 4, types });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries report their own errors.
  });
  await migrate(pool);

  async function tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    const db = await pool.connect();
    try {
      await db.query('BEGIN');
      const result = await fn(db);
      await db.query('COMMIT');
      return result;
    } catch (error) {
      await db.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      db.release();
    }
  }

  return {
    insertBatch: async (batch, receivedMs) =>
      (await tx((db) => insertGroup(db, [{ batch, receivedMs }])))[0] ?? { inserted: 0, duplicates: 0 },
    insertBatches: (items) => tx((db) => insertGroup(db, items)),
    applyStatus: (status: SiteStatus, receivedMs: number) =>
      tx(async (db): Promise<StatusOutcome> => {
        await db.query(
          `INSERT INTO sites (site_id, first_seen_ms, last_seen_ms) VALUES ($1, $2, $2)
           ON CONFLICT (site_id) DO UPDATE SET last_seen_ms = greatest(sites.last_seen_ms, excluded.last_seen_ms)`,
          [status.siteId, receivedMs],
        );
        const current = await db.query<{ status_epoch: number | null }>(
          'SELECT status_epoch FROM sites WHERE site_id = $1 FOR UPDATE',
          [status.siteId],
        );
        const epoch = current.rows[0]?.status_epoch ?? null;
        // A will (or any status) from an older connection than the one we know is history, not news.
        if (epoch !== null && status.epoch < epoch) return 'stale';
        await db.query(
          `UPDATE sites SET status_state = $1, status_reason = $2, status_epoch = $3, status_agent = $4,
             status_received_ms = $5 WHERE site_id = $6`,
          [status.state, status.reason, status.epoch, status.agentVersion, receivedMs, status.siteId],
        );
        return 'applied';
      }),
    async listSites() {
      const res = await pool.query<SiteRow>('SELECT * FROM sites ORDER BY site_id');
      return res.rows.map((row) => toSummary(row));
    },
    async listSamples(siteId) {
      const res = await pool.query<StoredSample>(
        `SELECT site_id AS "siteId", boot_id AS "bootId", seq, wall_ms AS "wallMs", clock_synced AS "clockSynced",
           uptime_ms AS "uptimeMs", effective_ms AS "effectiveMs", time_quality AS "timeQuality",
           received_ms AS "receivedMs"
         FROM samples WHERE site_id = $1 ORDER BY seq, boot_id`,
        [siteId],
      );
      return res.rows;
    },
    async recordReject(r, keep) {
      const res = await pool.query<{ id: number }>(
        `INSERT INTO rejects (received_ms, reason, detail, topic, first_bytes_hex) VALUES ($1, $2, $3, $4, $5)
         RETURNING id`,
        [r.receivedMs, r.reason, r.detail, r.topic, r.firstBytesHex],
      );
      const id = res.rows[0]?.id ?? 0;
      if (id > keep) await pool.query('DELETE FROM rejects WHERE id <= $1', [id - keep]);
    },
    async listRejects(limit) {
      const res = await pool.query<StoredReject>(
        `SELECT reason, detail, topic, first_bytes_hex AS "firstBytesHex", received_ms AS "receivedMs"
         FROM rejects ORDER BY id DESC LIMIT $1`,
        [limit],
      );
      return res.rows;
    },
    async receivedRanges(siteId) {
      const res = await pool.query<SeqRange>(
        `SELECT min(seq) AS "fromSeq", max(seq) AS "toSeq" FROM (
           SELECT seq, seq - row_number() OVER (ORDER BY seq) AS grp FROM (SELECT DISTINCT seq FROM samples WHERE site_id = $1) d
         ) g GROUP BY grp ORDER BY 1`,
        [siteId],
      );
      return res.rows;
    },
    async missingRanges(siteId, limit) {
      const missing = await pool.query<SeqRange>(
        `SELECT "fromSeq", "toSeq" FROM (
           SELECT seq + 1 AS "fromSeq", next - 1 AS "toSeq" FROM (
             SELECT seq, lead(seq) OVER (ORDER BY seq) AS next FROM samples
             WHERE site_id = $1 AND seq >= coalesce((
               SELECT max(s2.seq) FROM samples s2 WHERE s2.site_id = $1
                 AND s2.seq < (SELECT max(s3.seq) FROM samples s3 WHERE s3.site_id = $1) - ${GAP_WINDOW_SEQS}), 0)
           ) w WHERE next > seq + 1
         ) m WHERE NOT EXISTS (
           SELECT 1 FROM gone_ranges g WHERE g.site_id = $1 AND g.from_seq <= m."fromSeq" AND g.to_seq >= m."toSeq"
         ) ORDER BY 1 LIMIT $2`,
        [siteId, limit],
      );
      const gone = await pool.query<SeqRange>(
        'SELECT from_seq AS "fromSeq", to_seq AS "toSeq" FROM gone_ranges WHERE site_id = $1',
        [siteId],
      );
      return subtractRanges(missing.rows, gone.rows).slice(0, limit);
    },
    async markGone(siteId, ranges) {
      if (ranges.length === 0) return;
      await pool.query(
        'INSERT INTO gone_ranges SELECT $1, * FROM unnest($2::bigint[], $3::bigint[]) ON CONFLICT DO NOTHING',
        [siteId, ranges.map((r) => r.fromSeq), ranges.map((r) => r.toSeq)],
      );
    },
    async refreshRollups(limit) {
      const dirty = await pool.query<{ site_id: string; day_ms: number }>(
        'SELECT site_id, day_ms FROM dirty_days LIMIT $1',
        [limit],
      );
      for (const d of dirty.rows) await tx((db) => refreshDay(db, d.site_id, d.day_ms));
      return dirty.rows.length;
    },
    async rollups(siteId, grain, fromMs, toMs) {
      const res = await pool.query<RollupRow>(
        'SELECT * FROM rollups WHERE site_id = $1 AND grain = $2 AND bucket_ms >= $3 AND bucket_ms < $4 ORDER BY bucket_ms',
        [siteId, grain, fromMs, toMs],
      );
      return res.rows.map(rollupFromRow);
    },
    async completeness(siteId, fromMs, toMs) {
      const res = await pool.query<{ bucket_ms: number; received: number; expected: number }>(
        `SELECT bucket_ms, received, expected FROM rollups
         WHERE site_id = $1 AND grain = 'day' AND bucket_ms >= $2 AND bucket_ms < $3 ORDER BY bucket_ms`,
        [siteId, fromMs, toMs],
      );
      return res.rows.map((r) => ({
        siteId,
        dayMs: r.bucket_ms,
        received: r.received,
        expected: r.expected,
        completeness: r.expected === 0 ? 1 : r.received / r.expected,
      }));
    },
    async pruneSamples(beforeMs) {
      await pool.query(
        `INSERT INTO meta VALUES ('pruned_before_ms', $1)
         ON CONFLICT (key) DO UPDATE SET value = greatest(meta.value, excluded.value)`,
        [beforeMs],
      );
      const sites = await pool.query<{ site_id: string }>('SELECT site_id FROM sites');
      let deleted = 0;
      // Per site, so the delete walks the (site_id, effective_ms) index.
      for (const { site_id } of sites.rows) {
        deleted +=
          (await pool.query('DELETE FROM samples WHERE site_id = $1 AND effective_ms < $2', [site_id, beforeMs]))
            .rowCount ?? 0;
      }
      return deleted;
    },
    async close() {
      await pool.end().catch(() => {});
    },
  };
}

async function refreshDay(db: Db, siteId: string, dayMs: number): Promise<void> {
  const claimed = await db.query('DELETE FROM dirty_days WHERE site_id = $1 AND day_ms = $2', [siteId, dayMs]);
  if (claimed.rowCount === 0) return; // another collector did it
  const floor = await db.query<{ value: number }>("SELECT value FROM meta WHERE key = 'pruned_before_ms'");
  // Days older than the retention horizon keep the roll-up made while their samples existed.
  if (dayMs < (floor.rows[0]?.value ?? 0)) return;
  const rows = (
    await db.query<FactRow>(
      `SELECT ${FACT_COLUMNS} FROM samples WHERE site_id = $1 AND effective_ms >= $2 AND effective_ms < $3`,
      [siteId, dayMs, dayMs + MS_PER_DAY],
    )
  ).rows;
  await db.query('DELETE FROM rollups WHERE site_id = $1 AND bucket_ms >= $2 AND bucket_ms < $3', [
    siteId,
    dayMs,
    dayMs + MS_PER_DAY,
  ]);
  if (rows.length === 0) return;
  const below = dayBelowSeqs(rows);
  const prev = await db.query<{ b: number; s: number | null }>(
    'SELECT b, (SELECT max(seq) FROM samples WHERE site_id = $1 AND seq < b) AS s FROM unnest($2::bigint[]) b',
    [siteId, below],
  );
  const prevMap = new Map(prev.rows.map((r) => [r.b, r.s]));
  const { day, hours } = computeDay(siteId, dayMs, rows, (b) => prevMap.get(b) ?? null);
  for (const r of [day, ...hours]) {
    await db.query(
      `INSERT INTO rollups (site_id, grain, bucket_ms, samples, online_minutes, active_minutes, rx_bytes, tx_bytes,
         client_rx_bytes, client_tx_bytes, latency, battery_min_volts, battery_max_volts, clients_max, received, expected)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        r.siteId,
        r.grain,
        r.bucketMs,
        r.samples,
        r.onlineMinutes,
        r.activeMinutes,
        r.rxBytes,
        r.txBytes,
        r.clientRxBytes,
        r.clientTxBytes,
        JSON.stringify(r.latency),
        r.batteryMinVolts,
        r.batteryMaxVolts,
        r.clientsMax,
        r.received,
        r.expected,
      ],
    );
  }
}

async function migrate(pool: pg.Pool): Promise<void> {
  const db = await pool.connect();
  try {
    await db.query('BEGIN');
    // One collector migrates; the others wait here, then find nothing left to do.
    await db.query("SELECT pg_advisory_xact_lock(hashtext('pantau_migrations'))");
    await db.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_ms bigint NOT NULL)',
    );
    const done = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    for (let i = done.rows[0]?.v ?? 0; i < pgMigrations.length; i++) {
      await db.query(pgMigrations[i] ?? '');
      await db.query('INSERT INTO schema_migrations VALUES ($1, (extract(epoch FROM now()) * 1000)::bigint)', [i + 1]);
    }
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    db.release();
  }
}
