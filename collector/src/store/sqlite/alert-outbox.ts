import type Database from 'better-sqlite3';
import type { Maintenance, Silence } from '../../alerts/controls.js';
import type { AckRequest, AlertOutbox, ControlsStore } from '../../health/ports.js';
import { dueOutboxQuery, type OutboxRow, outboxFromRow } from '../health-rows.js';

/** The alert outbox on SQLite. */
export function sqliteOutbox(db: Database.Database): AlertOutbox {
  const selectDue = db.prepare<[string, number, number], OutboxRow>(dueOutboxQuery('?', '?', '?', 'given_up = 0'));
  const deleteOne = db.prepare('DELETE FROM alert_outbox WHERE sink = ? AND notification_id = ? AND given_up = 0');
  const retry = db.prepare(
    `UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_ms = ?, last_error = ?
     WHERE sink = ? AND notification_id = ? AND given_up = 0`,
  );
  const giveUp = db.prepare(
    `UPDATE alert_outbox SET attempts = attempts + 1, last_error = ?, given_up = 1
     WHERE sink = ? AND notification_id = ? AND given_up = 0`,
  );
  const count = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM alert_outbox WHERE sink = ? AND given_up = 0',
  );
  return {
    due: async (sink, nowMs, limit) => selectDue.all(sink, nowMs, limit).map(outboxFromRow),
    delivered: async (sink, id) => {
      deleteOne.run(sink, id);
    },
    retryLater: async (sink, id, nextAttemptMs, error) => {
      retry.run(nextAttemptMs, error, sink, id);
    },
    giveUp: async (sink, id, error) => {
      giveUp.run(error, sink, id);
    },
    waiting: async (sink) => count.get(sink)?.n ?? 0,
  };
}

/** Silences, maintenance windows and asked-for acknowledgements on SQLite. */
export function sqliteControls(db: Database.Database): ControlsStore {
  const selectType = db.prepare<[string], { record: string }>(
    'SELECT record FROM alert_controls WHERE type = ? ORDER BY id',
  );
  const put = db.prepare('INSERT OR REPLACE INTO alert_controls (id, type, ends_ms, record) VALUES (?, ?, ?, ?)');
  const selectOne = db.prepare<[string], { type: string; record: string }>(
    'SELECT type, record FROM alert_controls WHERE id = ?',
  );
  const putAck = db.prepare('INSERT OR REPLACE INTO alert_acks (key, by_name, note, requested_ms) VALUES (?, ?, ?, ?)');
  const selectAcks = db.prepare<[], { key: string; by_name: string; note: string; requested_ms: number }>(
    'SELECT key, by_name, note, requested_ms FROM alert_acks ORDER BY requested_ms, key',
  );
  const deleteAck = db.prepare('DELETE FROM alert_acks WHERE key = ? AND requested_ms = ?');
  const endTx = db.transaction((id: string, atMs: number): boolean => {
    const row = selectOne.get(id);
    if (row === undefined) return false;
    const control = JSON.parse(row.record) as Silence | Maintenance;
    const ended = { ...control, endsMs: Math.min(control.endsMs, atMs) };
    put.run(id, row.type, ended.endsMs, JSON.stringify(ended));
    return true;
  });
  return {
    silences: async () => selectType.all('silence').map((r) => JSON.parse(r.record) as Silence),
    maintenance: async () => selectType.all('maintenance').map((r) => JSON.parse(r.record) as Maintenance),
    putSilence: async (s) => {
      put.run(s.id, 'silence', s.endsMs, JSON.stringify(s));
    },
    putMaintenance: async (w) => {
      put.run(w.id, 'maintenance', w.endsMs, JSON.stringify(w));
    },
    end: async (id, atMs) => endTx(id, atMs),
    requestAck: async (ack) => {
      putAck.run(ack.key, ack.by, ack.note, ack.requestedMs);
    },
    pendingAcks: async (): Promise<AckRequest[]> =>
      selectAcks.all().map((r) => ({ key: r.key, by: r.by_name, note: r.note, requestedMs: Number(r.requested_ms) })),
    ackApplied: async (ack) => {
      deleteAck.run(ack.key, ack.requestedMs);
    },
  };
}
