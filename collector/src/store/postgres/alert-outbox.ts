import type { Maintenance, Silence } from '../../alerts/controls.js';
import type { AlertOutbox, ControlsStore } from '../../health/ports.js';
import { dueOutboxQuery, type OutboxRow, outboxFromRow } from '../health-rows.js';
import type { Queryable } from './pool.js';

const DUE = dueOutboxQuery('$1', '$2', '$3', 'NOT given_up');

/** The alert outbox on PostgreSQL. */
export function postgresOutbox(pool: Queryable): AlertOutbox {
  return {
    async due(sink, nowMs, limit) {
      return (await pool.query<OutboxRow>(DUE, [sink, nowMs, limit])).rows.map(outboxFromRow);
    },
    async delivered(sink, id) {
      await pool.query('DELETE FROM alert_outbox WHERE sink = $1 AND notification_id = $2 AND NOT given_up', [
        sink,
        id,
      ]);
    },
    async retryLater(sink, id, nextAttemptMs, error) {
      await pool.query(
        `UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_ms = $3, last_error = $4
         WHERE sink = $1 AND notification_id = $2 AND NOT given_up`,
        [sink, id, nextAttemptMs, error],
      );
    },
    async giveUp(sink, id, error) {
      await pool.query(
        `UPDATE alert_outbox SET attempts = attempts + 1, last_error = $3, given_up = true
         WHERE sink = $1 AND notification_id = $2 AND NOT given_up`,
        [sink, id, error],
      );
    },
    async waiting(sink) {
      const res = await pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM alert_outbox WHERE sink = $1 AND NOT given_up',
        [sink],
      );
      return res.rows[0]?.n ?? 0;
    },
  };
}

/** Silences, maintenance windows and asked-for acknowledgements on PostgreSQL. */
export function postgresControls(pool: Queryable): ControlsStore {
  const ofType = async <T>(type: string) =>
    (
      await pool.query<{ record: string }>('SELECT record FROM alert_controls WHERE type = $1 ORDER BY id', [type])
    ).rows.map((r) => JSON.parse(r.record) as T);
  const put = async (type: string, c: Silence | Maintenance) => {
    await pool.query(
      `INSERT INTO alert_controls (id, type, ends_ms, record) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET type = excluded.type, ends_ms = excluded.ends_ms, record = excluded.record`,
      [c.id, type, c.endsMs, JSON.stringify(c)],
    );
  };
  return {
    silences: () => ofType<Silence>('silence'),
    maintenance: () => ofType<Maintenance>('maintenance'),
    putSilence: (s) => put('silence', s),
    putMaintenance: (w) => put('maintenance', w),
    async end(id, atMs) {
      // The record's own endsMs moves with the column, in one statement.
      const res = await pool.query(
        `UPDATE alert_controls SET ends_ms = least(ends_ms, $2::int8),
           record = jsonb_set(record::jsonb, '{endsMs}', to_jsonb(least(ends_ms, $2::int8)))::text
         WHERE id = $1`,
        [id, atMs],
      );
      return (res.rowCount ?? 0) > 0;
    },
    async requestAck(ack) {
      await pool.query(
        `INSERT INTO alert_acks (key, by_name, note, requested_ms) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO UPDATE SET by_name = excluded.by_name, note = excluded.note,
           requested_ms = excluded.requested_ms`,
        [ack.key, ack.by, ack.note, ack.requestedMs],
      );
    },
    async pendingAcks() {
      const res = await pool.query<{ key: string; by_name: string; note: string; requested_ms: number }>(
        'SELECT key, by_name, note, requested_ms FROM alert_acks ORDER BY requested_ms, key',
      );
      return res.rows.map((r) => ({ key: r.key, by: r.by_name, note: r.note, requestedMs: Number(r.requested_ms) }));
    },
    async ackApplied(ack) {
      await pool.query('DELETE FROM alert_acks WHERE key = $1 AND requested_ms = $2', [ack.key, ack.requestedMs]);
    },
  };
}
