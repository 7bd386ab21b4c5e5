import { MS_PER_DAY } from '@pantau/shared';
import type Database from 'better-sqlite3';
import { PAYLOAD_MARGIN_MS } from '../batch-rows.js';
import { ROLLUP_COLUMNS, rollupValues } from '../report-rows.js';
import { computeDay, type FactRow, rollupFactsQuery } from '../rollup.js';
import type { sqliteReportDays } from './report-days.js';

/** Payloads deleted per statement when pruning. */
const PAYLOAD_PRUNE_CHUNK = 10_000;

/** Site-days recomputed per roll-up transaction. */
const ROLLUP_DAYS_PER_TRANSACTION = 200;

/** Lets the thread's other work (messages, timers) run between chunks of a long job. */
export const yieldToEvents = () => new Promise((resolve) => setImmediate(resolve));

/** The maintenance role on SQLite: roll-ups and retention. */
export function sqliteMaintenance(
  db: Database.Database,
  reportDays: Pick<ReturnType<typeof sqliteReportDays>, 'refreshReportDays'>,
) {
  const selectDirty = db.prepare<[number], { site_id: string; day_ms: number }>(
    'SELECT site_id, day_ms FROM dirty_days LIMIT ?',
  );
  const deleteDirty = db.prepare('DELETE FROM dirty_days WHERE site_id = ? AND day_ms = ?');
  const selectDayFacts = db.prepare<[string, number, number], FactRow>(rollupFactsQuery((a) => a, '?', '?', '?'));
  const previousSeq = db.prepare<[string, number], { s: number | null }>(
    'SELECT max(seq) AS s FROM samples WHERE site_id = ? AND seq < ?',
  );
  const deleteRollups = db.prepare('DELETE FROM rollups WHERE site_id = ? AND bucket_ms >= ? AND bucket_ms < ?');
  const insertRollup = db.prepare(
    `INSERT INTO rollups (${ROLLUP_COLUMNS}) VALUES (${ROLLUP_COLUMNS.split(',')
      .map(() => '?')
      .join(', ')})`,
  );
  const getMeta = db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE key = ?');
  const putMeta = db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)',
  );
  const siteLatest = db.prepare<[], { site_id: string; last_seq: number | null; last_boot_id: string | null }>(
    'SELECT site_id, last_seq, last_boot_id FROM sites',
  );
  // A site's latest sample stays, however old: it holds the figures the site list shows.
  const pruneSite = db.prepare(
    `DELETE FROM samples WHERE site_id = ? AND effective_ms < ?
       AND NOT (seq = coalesce(?, -1) AND boot_id = coalesce(?, ''))`,
  );
  const prunePayloads = db.prepare(
    `DELETE FROM payloads WHERE id IN (SELECT id FROM payloads WHERE received_ms < ? LIMIT ${PAYLOAD_PRUNE_CHUNK})`,
  );
  const pruneAsks = db.prepare('DELETE FROM resend_asks WHERE asked_ms < ?');

  const refreshDayTx = db.transaction((siteId: string, dayMs: number) => {
    deleteDirty.run(siteId, dayMs);
    // Days older than the retention horizon keep the roll-up made while their samples existed.
    if (dayMs < (getMeta.get('pruned_before_ms')?.value ?? 0)) return;
    const rows = selectDayFacts.all(siteId, dayMs, dayMs + MS_PER_DAY);
    deleteRollups.run(siteId, dayMs, dayMs + MS_PER_DAY);
    if (rows.length > 0) {
      const { day, hours } = computeDay(siteId, dayMs, rows, (below) => previousSeq.get(siteId, below)?.s ?? null);
      for (const r of [day, ...hours]) insertRollup.run(rollupValues(r));
    }
    reportDays.refreshReportDays(siteId, dayMs);
  });
  const refreshDaysTx = db.transaction((days: readonly { site_id: string; day_ms: number }[]) => {
    for (const d of days) refreshDayTx(d.site_id, d.day_ms);
  });

  return {
    async refreshRollups(limit: number): Promise<number> {
      const dirty = selectDirty.all(limit);
      // Many site-days per transaction: a commit per site-day cost more than the roll-up itself
      // (bench/src/ingest-stages.ts). Between chunks ingest gets the event loop back.
      for (let i = 0; i < dirty.length; i += ROLLUP_DAYS_PER_TRANSACTION) {
        if (i > 0) await yieldToEvents();
        refreshDaysTx(dirty.slice(i, i + ROLLUP_DAYS_PER_TRANSACTION));
      }
      return dirty.length;
    },
    async pruneSamples(beforeMs: number): Promise<number> {
      putMeta.run('pruned_before_ms', beforeMs);
      let deleted = 0;
      // Per site, so the delete walks the (site_id, effective_ms) index instead of the whole table.
      for (const s of siteLatest.all())
        deleted += pruneSite.run(s.site_id, beforeMs, s.last_seq, s.last_boot_id).changes;
      // Chunked, so a backlog of payloads does not hold the event loop in one statement.
      while (prunePayloads.run(beforeMs - PAYLOAD_MARGIN_MS).changes === PAYLOAD_PRUNE_CHUNK) await yieldToEvents();
      pruneAsks.run(beforeMs);
      return deleted;
    },
  };
}
