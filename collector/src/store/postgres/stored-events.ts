import { type Logger, PROTOCOL_VERSION, type SiteStatus, siteStatusSchema } from '@pantau/shared';
import type pg from 'pg';
import { decodeIngestPayload } from '../../decode/index.js';
import { applyPlausibility } from '../../ingest/plausibility.js';
import type { FeedCursor, StoredBatch, StoredEvents, StoredStatus } from '../../leader/stored-events.js';

/** The health_meta key under which the evaluator saves how far it read. */
export const FEED_CURSOR_KEY = 'feed_cursor';
/**
 * Where a first evaluator starts: at the present (what is committed now is history its loaded
 * state stands for), not at the beginning, which may hold months of payloads of collectors that
 * evaluated on their own before.
 */
const PRESENT = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text || ':0' AS cursor";

/**
 * Payloads in the order their transactions are settled: `xact` is the id of the transaction that
 * stored each one, and only those of transactions older than every one still running are read, so
 * no payload can later commit behind the cursor (ids from a sequence alone would not say that: a
 * lower id may commit after a higher one was read).
 */
const BATCHES = `SELECT xact::text AS xact, id, site_id, received_ms, payload FROM payloads
  WHERE xact < pg_snapshot_xmin(pg_current_snapshot()) AND (xact, id) > ($1::xid8, $2::int8)
  ORDER BY xact, id LIMIT $3`;

const STATUSES = `SELECT site_id, status_state, status_reason, status_epoch, status_agent, status_received_ms,
    last_boot_id
  FROM sites WHERE status_state IS NOT NULL AND status_received_ms >= $1 ORDER BY status_received_ms, site_id`;

interface StatusRow {
  site_id: string;
  status_state: string;
  status_reason: string;
  status_epoch: number;
  status_agent: string | null;
  status_received_ms: number;
  last_boot_id: string | null;
}

function parseCursor(cursor: FeedCursor): [string, number] {
  const [xact, id] = cursor.split(':');
  return [xact ?? '0', Number(id ?? 0)];
}

/**
 * The status as the engine reads it, from what the site row keeps of it (state, reason, epoch,
 * agent, when received); what the row does not keep takes a neutral value.
 */
function statusOf(row: StatusRow): SiteStatus | null {
  const parsed = siteStatusSchema.pick({ state: true, reason: true }).safeParse({
    state: row.status_state,
    reason: row.status_reason,
  });
  if (!parsed.success) return null;
  return {
    v: PROTOCOL_VERSION,
    siteId: row.site_id,
    state: parsed.data.state,
    reason: parsed.data.reason,
    epoch: Number(row.status_epoch),
    atMs: Number(row.status_received_ms),
    bootId: row.last_boot_id ?? '',
    agentVersion: row.status_agent ?? '',
    configHash: null,
    spoolDepth: null,
    droppedSamples: null,
    spoolFault: null,
    inventory: null,
  };
}

/** What every collector stored, read back by the health evaluator on PostgreSQL. */
export function postgresStoredEvents(pool: Pick<pg.Pool, 'query'>, log: Logger): StoredEvents {
  let undecodable = 0;
  return {
    async startCursor() {
      const res = await pool.query<{ value: string }>('SELECT value FROM health_meta WHERE key = $1', [
        FEED_CURSOR_KEY,
      ]);
      const saved = res.rows[0]?.value;
      if (saved !== undefined) return saved;
      const present = await pool.query<{ cursor: string }>(PRESENT);
      return present.rows[0]?.cursor ?? '0:0';
    },
    async batches(after, limit) {
      const [xact, id] = parseCursor(after);
      const res = await pool.query<{
        xact: string;
        id: number;
        site_id: string;
        received_ms: number;
        payload: Buffer;
      }>(BATCHES, [xact, id, limit]);
      const items: StoredBatch[] = [];
      for (const row of res.rows) {
        // Ingest decoded and checked this payload before storing it; only a newer decoder could refuse it.
        const decoded = decodeIngestPayload('telemetry', row.payload, row.payload.byteLength, { siteId: row.site_id });
        if (!decoded.ok) {
          undecodable++;
          log.warn(
            {
              event: 'feed_payload_undecodable',
              siteId: row.site_id,
              id: Number(row.id),
              code: decoded.code,
              undecodable,
            },
            'a stored payload no longer decodes; health skips it',
          );
          continue;
        }
        items.push({ batch: applyPlausibility(decoded.value).batch, receivedMs: Number(row.received_ms) });
      }
      const last = res.rows.at(-1);
      return { items, next: last === undefined ? after : `${last.xact}:${Number(last.id)}` };
    },
    async statuses(sinceMs) {
      const res = await pool.query<StatusRow>(STATUSES, [sinceMs]);
      const out: StoredStatus[] = [];
      for (const row of res.rows) {
        const status = statusOf(row);
        if (status !== null) out.push({ status, receivedMs: Number(row.status_received_ms) });
      }
      return out;
    },
  };
}

/** Saves the evaluator's cursor (in the caller's transaction: the fenced one). */
export async function saveFeedCursor(db: Pick<pg.PoolClient, 'query'>, cursor: FeedCursor): Promise<void> {
  await db.query(
    `INSERT INTO health_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [FEED_CURSOR_KEY, cursor],
  );
}
