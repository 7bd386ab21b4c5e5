import type { SiteStatus } from '@pantau/shared';
import type Database from 'better-sqlite3';
import type { BatchRows } from '../batch-rows.js';
import { CounterDelta } from '../counters.js';
import type { InsertResult, StatusOutcome, StoredReject } from '../records.js';
import { prepareCounters } from './counters.js';
import { prepareBatchInsert } from './insert.js';

/** The ingest role on SQLite, for whichever thread holds the connection. */
export function sqliteIngest(db: Database.Database) {
  const insertOne = prepareBatchInsert(db);
  const counters = prepareCounters(db);
  const touchSite = db.prepare(
    `INSERT INTO sites (site_id, first_seen_ms, last_seen_ms) VALUES (?, ?, ?)
     ON CONFLICT (site_id) DO UPDATE SET last_seen_ms = max(last_seen_ms, excluded.last_seen_ms)`,
  );
  const getStatus = db.prepare<[string], { status_epoch: number | null }>(
    'SELECT status_epoch FROM sites WHERE site_id = ?',
  );
  const setStatus = db.prepare(
    `UPDATE sites SET status_state = ?, status_reason = ?, status_epoch = ?, status_agent = ?,
       status_received_ms = ? WHERE site_id = ?`,
  );
  const insertReject = db.prepare(
    'INSERT INTO rejects (received_ms, reason, detail, topic, first_bytes_hex) VALUES (?, ?, ?, ?, ?)',
  );
  const trimRejects = db.prepare('DELETE FROM rejects WHERE id <= ?');

  const anyAsked = db.prepare<[], { any: number }>('SELECT EXISTS (SELECT 1 FROM resend_asks) AS any');

  const insertRowsTx = db.transaction((batches: readonly BatchRows[]): InsertResult[] => {
    const delta = new CounterDelta();
    const asked = anyAsked.get()?.any === 1;
    const results = batches.map((b) => insertOne(b, delta, asked));
    counters.write(delta);
    return results;
  });

  const applyStatusTx = db.transaction((status: SiteStatus, receivedMs: number): StatusOutcome => {
    touchSite.run(status.siteId, receivedMs, receivedMs);
    const epoch = getStatus.get(status.siteId)?.status_epoch ?? null;
    // A will (or any status) from an older connection than the one we know is history, not news.
    if (epoch !== null && status.epoch < epoch) {
      counters.add('stale_statuses', '', 1);
      return 'stale';
    }
    setStatus.run(status.state, status.reason, status.epoch, status.agentVersion, receivedMs, status.siteId);
    return 'applied';
  });

  const recordRejectTx = db.transaction((r: StoredReject, keep: number) => {
    const id = Number(insertReject.run(r.receivedMs, r.reason, r.detail, r.topic, r.firstBytesHex).lastInsertRowid);
    if (id > keep) trimRejects.run(id - keep);
    counters.add('rejects', r.reason, 1);
  });

  return {
    /** Batches as rows (packed or not, depending on the thread), in one transaction. */
    insertRows: async (batches: readonly BatchRows[]) => insertRowsTx(batches),
    applyStatus: async (status: SiteStatus, receivedMs: number) => applyStatusTx(status, receivedMs),
    recordReject: async (reject: StoredReject, keep: number) => recordRejectTx(reject, keep),
  };
}
