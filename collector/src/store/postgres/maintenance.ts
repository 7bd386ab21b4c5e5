import { MS_PER_DAY } from '@pantau/shared';
import type pg from 'pg';
import { PAYLOAD_MARGIN_MS } from '../batch-rows.js';
import { ROLLUP_COLUMNS, rollupValues } from '../report-rows.js';
import { computeDay, dayBelowSeqs, type FactRow, rollupFactsQuery } from '../rollup.js';
import type { MaintenanceStore } from '../store.js';
import { type Db, inTransaction } from './pool.js';
import { refreshReportDays } from './report-days.js';

/** The maintenance role on PostgreSQL: roll-ups and retention. */
export function postgresMaintenance(pool: pg.Pool): MaintenanceStore {
  return {
    async refreshRollups(limit) {
      const dirty = await pool.query<{ site_id: string; day_ms: number }>(
        'SELECT site_id, day_ms FROM dirty_days LIMIT $1',
        [limit],
      );
      for (const d of dirty.rows) await inTransaction(pool, (db) => refreshDay(db, d.site_id, d.day_ms));
      return dirty.rows.length;
    },
    async pruneSamples(beforeMs) {
      await pool.query(
        `INSERT INTO meta VALUES ('pruned_before_ms', $1)
         ON CONFLICT (key) DO UPDATE SET value = greatest(meta.value, excluded.value)`,
        [beforeMs],
      );
      const sites = await pool.query<{ site_id: string; last_seq: number | null; last_boot_id: string | null }>(
        'SELECT site_id, last_seq, last_boot_id FROM sites',
      );
      let deleted = 0;
      // Per site, so the delete walks the (site_id, effective_ms) index. A site's latest sample
      // stays, however old: it holds the figures the site list shows.
      for (const s of sites.rows) {
        const res = await pool.query(
          `DELETE FROM samples WHERE site_id = $1 AND effective_ms < $2
             AND NOT (seq = coalesce($3, -1) AND boot_id = coalesce($4, ''))`,
          [s.site_id, beforeMs, s.last_seq, s.last_boot_id],
        );
        deleted += res.rowCount ?? 0;
      }
      await pool.query('DELETE FROM payloads WHERE received_ms < $1', [beforeMs - PAYLOAD_MARGIN_MS]);
      await pool.query('DELETE FROM resend_asks WHERE asked_ms < $1', [beforeMs]);
      return deleted;
    },
  };
}

async function refreshDay(db: Db, siteId: string, dayMs: number): Promise<void> {
  const claimed = await db.query('DELETE FROM dirty_days WHERE site_id = $1 AND day_ms = $2', [siteId, dayMs]);
  if (claimed.rowCount === 0) return; // another collector did it
  const floor = await db.query<{ value: number }>("SELECT value FROM meta WHERE key = 'pruned_before_ms'");
  // Days older than the retention horizon keep the roll-up made while their samples existed.
  if (dayMs < (floor.rows[0]?.value ?? 0)) return;
  const facts = await db.query<FactRow>(
    rollupFactsQuery((a) => `"${a}"`, '$1', '$2', '$3'),
    [siteId, dayMs, dayMs + MS_PER_DAY],
  );
  const rows = facts.rows;
  await db.query('DELETE FROM rollups WHERE site_id = $1 AND bucket_ms >= $2 AND bucket_ms < $3', [
    siteId,
    dayMs,
    dayMs + MS_PER_DAY,
  ]);
  if (rows.length > 0) await rollUp(db, siteId, dayMs, rows);
  await refreshReportDays(db, siteId, dayMs);
}

async function rollUp(db: Db, siteId: string, dayMs: number, rows: readonly FactRow[]): Promise<void> {
  const prev = await db.query<{ b: number; s: number | null }>(
    'SELECT b, (SELECT max(seq) FROM samples WHERE site_id = $1 AND seq < b) AS s FROM unnest($2::bigint[]) b',
    [siteId, dayBelowSeqs(rows)],
  );
  const prevMap = new Map(prev.rows.map((r) => [r.b, r.s]));
  const { day, hours } = computeDay(siteId, dayMs, rows, (b) => prevMap.get(b) ?? null);
  const placeholders = ROLLUP_COLUMNS.split(',').map((_, i) => `$${i + 1}`);
  for (const r of [day, ...hours]) {
    await db.query(`INSERT INTO rollups (${ROLLUP_COLUMNS}) VALUES (${placeholders.join(', ')})`, rollupValues(r));
  }
}
