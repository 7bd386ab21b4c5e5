import type { SiteStatus } from '@pantau/shared';
import type pg from 'pg';
import { toBatchRows } from '../batch-rows.js';
import type { StatusOutcome, StoredReject } from '../records.js';
import type { IngestStore } from '../store.js';
import { ADD_COUNTER } from './counters.js';
import { insertGroup } from './insert-group.js';
import { inTransaction } from './pool.js';

/** The ingest role on PostgreSQL. */
export function postgresIngest(pool: pg.Pool): IngestStore {
  return {
    commitsOffThread: false,
    // One statement, so its own transaction.
    insertBatches: (items) => insertGroup(pool, items.map(toBatchRows)),
    applyStatus: (status: SiteStatus, receivedMs: number) =>
      inTransaction(pool, async (db): Promise<StatusOutcome> => {
        const current = await db.query<{ status_epoch: number | null }>(
          `INSERT INTO sites (site_id, first_seen_ms, last_seen_ms) VALUES ($1, $2, $2)
           ON CONFLICT (site_id) DO UPDATE SET last_seen_ms = greatest(sites.last_seen_ms, excluded.last_seen_ms)
           RETURNING status_epoch`,
          [status.siteId, receivedMs],
        );
        const epoch = current.rows[0]?.status_epoch ?? null;
        // A will (or any status) from an older connection than the one we know is history, not news.
        if (epoch !== null && status.epoch < epoch) {
          await db.query(ADD_COUNTER, ['stale_statuses', '', 1]);
          return 'stale';
        }
        await db.query(
          `UPDATE sites SET status_state = $1, status_reason = $2, status_epoch = $3, status_agent = $4,
             status_received_ms = $5 WHERE site_id = $6`,
          [status.state, status.reason, status.epoch, status.agentVersion, receivedMs, status.siteId],
        );
        return 'applied';
      }),
    async recordReject(r: StoredReject, keep: number) {
      // One statement: the quarantine row, the trim (of older rows) and the count commit together.
      await pool.query(
        `WITH r AS (
           INSERT INTO rejects (received_ms, reason, detail, topic, first_bytes_hex) VALUES ($1, $2, $3, $4, $5)
           RETURNING id
         ), t AS (
           DELETE FROM rejects WHERE id <= (SELECT id FROM r) - $6
         )
         INSERT INTO counters (name, key, value) VALUES ('rejects', $2, 1)
         ON CONFLICT (name, key) DO UPDATE SET value = counters.value + 1`,
        [r.receivedMs, r.reason, r.detail, r.topic, r.firstBytesHex, keep],
      );
    },
  };
}
