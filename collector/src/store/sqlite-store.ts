import type { SiteStatus, TelemetryBatch } from '@pantau/shared';
import Database from 'better-sqlite3';
import { sqliteMigrations } from './sqlite-migrations.js';
import type { InsertResult, SiteSummary, StatusOutcome, Store, StoredSample } from './store.js';

interface SiteRow {
  site_id: string;
  last_seen_ms: number;
  samples: number;
  last_seq: number | null;
  last_boot_id: string | null;
  last_wall_ms: number | null;
  last_clock_synced: number | null;
  last_uptime_ms: number | null;
  last_probes: string | null;
  status_state: SiteStatus['state'] | null;
  status_reason: SiteStatus['reason'] | null;
  status_epoch: number | null;
  status_agent: string | null;
  status_received_ms: number | null;
}

/**
 * SQLite via better-sqlite3 in WAL mode. Writes are synchronous and commit in microseconds, so the
 * collector can acknowledge a message right after its transaction without slowing ingest.
 */
export function openSqliteStore(path: string): Store {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a commit survives a crash of the collector; a power cut may lose the last
  // transactions, which the agents' resend closes.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const insertSample = db.prepare(
    `INSERT INTO samples (site_id, boot_id, seq, wall_ms, clock_synced, uptime_ms, received_ms, probes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const touchSite = db.prepare(
    `INSERT INTO sites (site_id, first_seen_ms, last_seen_ms) VALUES (?, ?, ?)
     ON CONFLICT (site_id) DO UPDATE SET last_seen_ms = max(last_seen_ms, excluded.last_seen_ms)`,
  );
  // Sequence numbers only grow for a site (docs/protocol.md), so the highest is the latest sample.
  const setLatest = db.prepare(
    `UPDATE sites SET last_seq = ?, last_boot_id = ?, last_wall_ms = ?, last_clock_synced = ?,
       last_uptime_ms = ?, last_probes = ?
     WHERE site_id = ? AND (last_seq IS NULL OR last_seq < ?)`,
  );
  const countSamples = db.prepare('UPDATE sites SET samples = samples + ? WHERE site_id = ?');
  const getStatus = db.prepare<[string], Pick<SiteRow, 'status_epoch' | 'status_reason'>>(
    'SELECT status_epoch, status_reason FROM sites WHERE site_id = ?',
  );
  const setStatus = db.prepare(
    `UPDATE sites SET status_state = ?, status_reason = ?, status_epoch = ?, status_agent = ?,
       status_received_ms = ? WHERE site_id = ?`,
  );
  const selectSites = db.prepare<[], SiteRow>('SELECT * FROM sites ORDER BY site_id');
  const selectSamples = db.prepare<[string], StoredSample>(
    `SELECT site_id AS siteId, boot_id AS bootId, seq, wall_ms AS wallMs, received_ms AS receivedMs
     FROM samples WHERE site_id = ? ORDER BY seq, boot_id`,
  );

  const insertBatchTx = db.transaction((batch: TelemetryBatch, receivedMs: number): InsertResult => {
    touchSite.run(batch.siteId, receivedMs, receivedMs);
    let inserted = 0;
    for (const s of batch.samples) {
      const probes = JSON.stringify(s.probes);
      const synced = s.clockSynced ? 1 : 0;
      const changes = insertSample.run(
        batch.siteId,
        s.bootId,
        s.seq,
        s.wallMs,
        synced,
        s.uptimeMs,
        receivedMs,
        probes,
      ).changes;
      if (changes === 0) continue;
      inserted += 1;
      setLatest.run(s.seq, s.bootId, s.wallMs, synced, s.uptimeMs, probes, batch.siteId, s.seq);
    }
    countSamples.run(inserted, batch.siteId);
    return { inserted, duplicates: batch.samples.length - inserted };
  });

  const applyStatusTx = db.transaction((status: SiteStatus, receivedMs: number): StatusOutcome => {
    touchSite.run(status.siteId, receivedMs, receivedMs);
    const current = getStatus.get(status.siteId);
    const currentEpoch = current?.status_epoch ?? null;
    // A will (or any status) from an older connection than the one we know is history, not news.
    if (currentEpoch !== null && status.epoch < currentEpoch) return 'stale';
    setStatus.run(status.state, status.reason, status.epoch, status.agentVersion, receivedMs, status.siteId);
    return 'applied';
  });

  return {
    insertBatch: async (batch, receivedMs) => insertBatchTx(batch, receivedMs),
    applyStatus: async (status, receivedMs) => applyStatusTx(status, receivedMs),
    listSites: async () => selectSites.all().map(toSummary),
    listSamples: async (siteId) => selectSamples.all(siteId),
    async close() {
      if (db.open) db.close();
    },
  };
}

function migrate(db: Database.Database): void {
  const applied = db.pragma('user_version', { simple: true }) as number;
  for (let i = applied; i < sqliteMigrations.length; i++) {
    db.transaction(() => {
      db.exec(sqliteMigrations[i] ?? '');
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}

function toSummary(row: SiteRow): SiteSummary {
  return {
    siteId: row.site_id,
    lastSeenMs: row.last_seen_ms,
    samples: row.samples,
    lastSample:
      row.last_seq === null
        ? null
        : {
            seq: row.last_seq,
            bootId: row.last_boot_id ?? '',
            wallMs: row.last_wall_ms ?? 0,
            clockSynced: row.last_clock_synced === 1,
            uptimeMs: row.last_uptime_ms ?? 0,
            probes: JSON.parse(row.last_probes ?? '{}') as NonNullable<SiteSummary['lastSample']>['probes'],
          },
    status:
      row.status_state === null || row.status_reason === null
        ? null
        : {
            state: row.status_state,
            reason: row.status_reason,
            epoch: row.status_epoch ?? 0,
            agentVersion: row.status_agent ?? '',
            receivedMs: row.status_received_ms ?? 0,
          },
  };
}
