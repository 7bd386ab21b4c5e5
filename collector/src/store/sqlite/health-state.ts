import type Database from 'better-sqlite3';
import type { AlertRecord, IncidentRecord } from '../../alerts/alert-record.js';
import type { HealthCommit, HealthSnapshotData, HealthStateStore } from '../../health/ports.js';
import type { DailyFactsSource } from '../../health/underused.js';
import {
  SITE_DAYS_SELECT,
  type SiteDayRow,
  siteDayFromRow,
  TRANSITION_COLUMNS,
  type TransitionRow,
  transitionFromRow,
  transitionValues,
} from '../health-rows.js';

/** Health state, alert records, incidents and transitions on SQLite; one commit is one transaction. */
export function sqliteHealthState(db: Database.Database): HealthStateStore & DailyFactsSource {
  const selectSites = db.prepare<[], { state: string }>('SELECT state FROM health_sites');
  const selectAlerts = db.prepare<[], { record: string }>('SELECT record FROM alerts');
  const selectOpen = db.prepare<[], { record: string }>('SELECT record FROM incidents WHERE ends_at_ms IS NULL');
  const selectMeta = db.prepare<[string], { value: string }>('SELECT value FROM health_meta WHERE key = ?');
  const putSite = db.prepare('INSERT OR REPLACE INTO health_sites (site_id, state) VALUES (?, ?)');
  const putAlert = db.prepare('INSERT OR REPLACE INTO alerts (key, site_id, kind, record) VALUES (?, ?, ?, ?)');
  const putIncident = db.prepare('INSERT OR REPLACE INTO incidents (id, ends_at_ms, record) VALUES (?, ?, ?)');
  const putMeta = db.prepare('INSERT OR REPLACE INTO health_meta (key, value) VALUES (?, ?)');
  const addTransition = db.prepare(
    `INSERT INTO health_transitions (${TRANSITION_COLUMNS.join(', ')})
     VALUES (${TRANSITION_COLUMNS.map(() => '?').join(', ')})`,
  );
  // A notification already in the outbox (the same decision saved twice) is kept once.
  const addOutbox = db.prepare(
    `INSERT INTO alert_outbox (sink, notification_id, key, notification, created_ms, attempts, next_attempt_ms, last_error)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sink, notification_id) DO NOTHING`,
  );
  const selectHistory = db.prepare<[string | null, number, number], TransitionRow>(
    `SELECT ${TRANSITION_COLUMNS.join(', ')} FROM health_transitions
     WHERE site_id IS ? AND at_ms >= ? AND at_ms < ? ORDER BY id`,
  );
  const selectDays = db.prepare<[number, number], SiteDayRow>(
    `${SITE_DAYS_SELECT} AND bucket_ms >= ? AND bucket_ms < ? ORDER BY site_id, bucket_ms`,
  );

  const commitTx = db.transaction((change: HealthCommit) => {
    for (const s of change.sites) putSite.run(s.siteId, JSON.stringify(s));
    for (const a of change.alerts) putAlert.run(a.key, a.siteId, a.kind, JSON.stringify(a));
    for (const i of change.incidents) putIncident.run(i.id, i.endsAtMs, JSON.stringify(i));
    for (const t of change.transitions) addTransition.run(...transitionValues(t));
    for (const o of change.outbox) {
      const n = o.notification;
      addOutbox.run(o.sink, n.id, n.key, JSON.stringify(n), n.createdMs, o.attempts, o.nextAttemptMs, o.lastError);
    }
    putMeta.run('noc', JSON.stringify(change.noc));
    putMeta.run('saved_at_ms', String(change.savedAtMs));
  });

  return {
    async load(): Promise<HealthSnapshotData> {
      const noc = selectMeta.get('noc');
      const saved = selectMeta.get('saved_at_ms');
      return {
        sites: selectSites.all().map((r) => JSON.parse(r.state)),
        noc: noc === undefined ? null : JSON.parse(noc.value),
        alerts: selectAlerts.all().map((r) => JSON.parse(r.record) as AlertRecord),
        openIncidents: selectOpen.all().map((r) => JSON.parse(r.record) as IncidentRecord),
        savedAtMs: saved === undefined ? null : Number(saved.value),
      };
    },
    commit: async (change) => commitTx(change),
    history: async (siteId, fromMs, toMs) => selectHistory.all(siteId, fromMs, toMs).map(transitionFromRow),
    siteDays: async (fromDayMs, toDayMs) => selectDays.all(fromDayMs, toDayMs).map(siteDayFromRow),
  };
}
