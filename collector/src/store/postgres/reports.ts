import type pg from 'pg';
import type { SeqRange, StoredReject, StoredSample } from '../records.js';
import {
  dayCompleteness,
  type RollupRow,
  rollupFromRow,
  type SiteRow,
  siteListQuery,
  toSummary,
} from '../report-rows.js';
import type { ReportStore } from '../store.js';
import { readCounters } from './counters.js';

const SITE_LIST = siteListQuery((alias) => `"${alias}"`);

/** The reports role on PostgreSQL (its daily facts in report-days.ts). */
export function postgresReports(pool: pg.Pool): Omit<ReportStore, 'reportDays'> {
  return {
    async listSites() {
      return (await pool.query<SiteRow & Record<string, unknown>>(SITE_LIST)).rows.map(toSummary);
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
    async receivedRanges(siteId) {
      const res = await pool.query<SeqRange>(
        `SELECT min(seq) AS "fromSeq", max(seq) AS "toSeq" FROM (
           SELECT seq, seq - row_number() OVER (ORDER BY seq) AS grp
           FROM (SELECT DISTINCT seq FROM samples WHERE site_id = $1) d
         ) g GROUP BY grp ORDER BY 1`,
        [siteId],
      );
      return res.rows;
    },
    async rollups(siteId, grain, fromMs, toMs) {
      const res = await pool.query<RollupRow>(
        `SELECT * FROM rollups WHERE site_id = $1 AND grain = $2 AND bucket_ms >= $3 AND bucket_ms < $4
         ORDER BY bucket_ms`,
        [siteId, grain, fromMs, toMs],
      );
      return res.rows.map(rollupFromRow);
    },
    async rollupsInRange(grain, fromMs, toMs, siteIds) {
      const res =
        siteIds === null
          ? await pool.query<RollupRow>(
              'SELECT * FROM rollups WHERE grain = $1 AND bucket_ms >= $2 AND bucket_ms < $3',
              [grain, fromMs, toMs],
            )
          : await pool.query<RollupRow>(
              `SELECT * FROM rollups
               WHERE site_id = ANY($4::text[]) AND grain = $1 AND bucket_ms >= $2 AND bucket_ms < $3`,
              [grain, fromMs, toMs, siteIds],
            );
      // Sorted here: the database's collation may order text otherwise than SQLite does.
      return res.rows
        .map(rollupFromRow)
        .sort((a, b) => (a.siteId < b.siteId ? -1 : a.siteId > b.siteId ? 1 : a.bucketMs - b.bucketMs));
    },
    async completeness(siteId, fromMs, toMs) {
      const res = await pool.query<RollupRow>(
        `SELECT bucket_ms, received, expected FROM rollups
         WHERE site_id = $1 AND grain = 'day' AND bucket_ms >= $2 AND bucket_ms < $3 ORDER BY bucket_ms`,
        [siteId, fromMs, toMs],
      );
      return dayCompleteness(siteId, res.rows);
    },
    async listRejects(limit) {
      const res = await pool.query<StoredReject>(
        `SELECT reason, detail, topic, first_bytes_hex AS "firstBytesHex", received_ms AS "receivedMs"
         FROM rejects ORDER BY id DESC LIMIT $1`,
        [limit],
      );
      return res.rows;
    },
    counters: () => readCounters(pool),
  };
}
