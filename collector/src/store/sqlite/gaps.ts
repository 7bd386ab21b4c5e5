import type Database from 'better-sqlite3';
import { GAP_WINDOW_SEQS, subtractRanges } from '../../gaps/ranges.js';
import type { SeqRange } from '../records.js';
import { prepareCounters } from './counters.js';

/** The gaps role on SQLite. */
export function sqliteGaps(db: Database.Database) {
  const counters = prepareCounters(db);
  // Holes between consecutive received seqs near the latest ones, leaving out those a gone range covers whole.
  const selectMissing = db.prepare<[string, string, string, string, number], SeqRange>(
    `SELECT fromSeq, toSeq FROM (
       SELECT seq + 1 AS fromSeq, next - 1 AS toSeq FROM (
         SELECT seq, lead(seq) OVER (ORDER BY seq) AS next FROM samples
         WHERE site_id = ? AND seq >= coalesce((
           SELECT max(s2.seq) FROM samples s2 WHERE s2.site_id = ?
             AND s2.seq < (SELECT max(s3.seq) FROM samples s3 WHERE s3.site_id = ?) - ${GAP_WINDOW_SEQS}), 0)
       ) WHERE next > seq + 1
     ) AS m WHERE NOT EXISTS (
       SELECT 1 FROM gone_ranges g WHERE g.site_id = ? AND g.from_seq <= m.fromSeq AND g.to_seq >= m.toSeq
     ) ORDER BY fromSeq LIMIT ?`,
  );
  const selectGone = db.prepare<[string], SeqRange>(
    'SELECT from_seq AS fromSeq, to_seq AS toSeq FROM gone_ranges WHERE site_id = ?',
  );
  const insertGone = db.prepare('INSERT INTO gone_ranges VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const upsertAsk = db.prepare(
    `INSERT INTO resend_asks (site_id, from_seq, to_seq, asked_ms) VALUES (?, ?, ?, ?)
     ON CONFLICT (site_id, from_seq, to_seq) DO UPDATE SET asked_ms = max(asked_ms, excluded.asked_ms)`,
  );

  const markGoneTx = db.transaction((siteId: string, ranges: readonly SeqRange[]) => {
    let seqs = 0;
    // A range reported again (the answer to a repeated request) is not counted again.
    for (const r of ranges)
      if (insertGone.run(siteId, r.fromSeq, r.toSeq).changes === 1) seqs += r.toSeq - r.fromSeq + 1;
    counters.add('gone_seqs', '', seqs);
  });
  const recordRequestTx = db.transaction((siteId: string, range: SeqRange, askedMs: number) => {
    upsertAsk.run(siteId, range.fromSeq, range.toSeq, askedMs);
    counters.add('resend_requests', '', 1);
  });

  return {
    async missingRanges(siteId: string, limit: number): Promise<SeqRange[]> {
      const missing = selectMissing.all(siteId, siteId, siteId, siteId, limit);
      return subtractRanges(missing, selectGone.all(siteId)).slice(0, limit);
    },
    recordResendRequest: async (siteId: string, range: SeqRange, askedMs: number) =>
      recordRequestTx(siteId, range, askedMs),
    markGone: async (siteId: string, ranges: readonly SeqRange[]) => markGoneTx(siteId, ranges),
  };
}
