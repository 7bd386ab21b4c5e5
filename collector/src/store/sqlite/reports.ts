import type Database from 'better-sqlite3';
import type { SeqRange, SiteSummary, StoredReject, StoredSample } from '../records.js';
import {
  dayCompleteness,
  type RollupRow,
  rollupFromRow,
  type SiteRow,
  siteListQuery,
  toSummary,
} from '../report-rows.js';
import type { RollupGrain } from '../rollup.js';
import { prepareCounters } from './counters.js';

/** The reports role on SQLite: what commands and reports read. */
export function sqliteReports(db: Database.Database) {
  const counters = prepareCounters(db);
  const selectSites = db.prepare<[], SiteRow & Record<string, unknown>>(siteListQuery((a) => a));
  const selectSamples = db.prepare<[string], Omit<StoredSample, 'clockSynced'> & { clockSynced: number }>(
    `SELECT site_id AS siteId, boot_id AS bootId, seq, wall_ms AS wallMs, clock_synced AS clockSynced,
       uptime_ms AS uptimeMs, effective_ms AS effectiveMs, time_quality AS timeQuality, received_ms AS receivedMs
     FROM samples WHERE site_id = ? ORDER BY seq, boot_id`,
  );
  const selectReceived = db.prepare<[string], SeqRange>(
    `SELECT min(seq) AS fromSeq, max(seq) AS toSeq FROM (
       SELECT seq, seq - row_number() OVER (ORDER BY seq) AS grp
       FROM (SELECT DISTINCT seq FROM samples WHERE site_id = ?)
     ) GROUP BY grp ORDER BY fromSeq`,
  );
  const selectRollups = db.prepare<[string, string, number, number], RollupRow>(
    'SELECT * FROM rollups WHERE site_id = ? AND grain = ? AND bucket_ms >= ? AND bucket_ms < ? ORDER BY bucket_ms',
  );
  const selectSiteIds = db.prepare<[], { site_id: string }>('SELECT site_id FROM sites ORDER BY site_id');
  const selectRejects = db.prepare<[number], StoredReject>(
    `SELECT reason, detail, topic, first_bytes_hex AS firstBytesHex, received_ms AS receivedMs
     FROM rejects ORDER BY id DESC LIMIT ?`,
  );
  return {
    listSites: async (): Promise<SiteSummary[]> => selectSites.all().map(toSummary),
    listSamples: async (siteId: string): Promise<StoredSample[]> =>
      selectSamples.all(siteId).map((s) => ({ ...s, clockSynced: s.clockSynced === 1 })),
    receivedRanges: async (siteId: string) => selectReceived.all(siteId),
    rollups: async (siteId: string, grain: RollupGrain, fromMs: number, toMs: number) =>
      selectRollups.all(siteId, grain, fromMs, toMs).map(rollupFromRow),
    // Site by site along the primary key (site, grain, bucket): a range scan each, nothing to sort.
    rollupsInRange: async (grain: RollupGrain, fromMs: number, toMs: number, siteIds: readonly string[] | null) => {
      const ids = siteIds === null ? selectSiteIds.all().map((r) => r.site_id) : [...siteIds].sort();
      return ids.flatMap((id) => selectRollups.all(id, grain, fromMs, toMs).map(rollupFromRow));
    },
    completeness: async (siteId: string, fromMs: number, toMs: number) =>
      dayCompleteness(siteId, selectRollups.all(siteId, 'day', fromMs, toMs)),
    listRejects: async (limit: number) => selectRejects.all(limit),
    counters: async () => counters.read(),
  };
}
