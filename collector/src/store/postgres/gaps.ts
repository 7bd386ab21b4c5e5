import type pg from 'pg';
import { GAP_WINDOW_SEQS, subtractRanges } from '../../gaps/ranges.js';
import type { SeqRange } from '../records.js';
import type { GapStore } from '../store.js';

/** The gaps role on PostgreSQL. */
export function postgresGaps(pool: pg.Pool): GapStore {
  return {
    async missingRanges(siteId, limit) {
      // Holes between consecutive received seqs near the latest ones, leaving out those a gone range covers whole.
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
    async recordResendRequest(siteId, range, askedMs) {
      await pool.query(
        `WITH a AS (
           INSERT INTO resend_asks (site_id, from_seq, to_seq, asked_ms) VALUES ($1, $2, $3, $4)
           ON CONFLICT (site_id, from_seq, to_seq)
           DO UPDATE SET asked_ms = greatest(resend_asks.asked_ms, excluded.asked_ms)
         )
         INSERT INTO counters (name, key, value) VALUES ('resend_requests', '', 1)
         ON CONFLICT (name, key) DO UPDATE SET value = counters.value + 1`,
        [siteId, range.fromSeq, range.toSeq, askedMs],
      );
    },
    async markGone(siteId, ranges) {
      if (ranges.length === 0) return;
      // A range reported again (the answer to a repeated request) is not counted again.
      await pool.query(
        `WITH g AS (
           INSERT INTO gone_ranges SELECT $1, * FROM unnest($2::bigint[], $3::bigint[])
           ON CONFLICT DO NOTHING RETURNING from_seq, to_seq
         )
         INSERT INTO counters (name, key, value)
         SELECT 'gone_seqs', '', sum(to_seq - from_seq + 1) FROM g HAVING count(*) > 0
         ON CONFLICT (name, key) DO UPDATE SET value = counters.value + excluded.value`,
        [siteId, ranges.map((r) => r.fromSeq), ranges.map((r) => r.toSeq)],
      );
    },
  };
}
