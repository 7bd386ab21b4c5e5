import type Database from 'better-sqlite3';
import type { AlertRecord, IncidentRecord } from '../../alerts/alert-record.js';
import type { FleetLatest, FleetView } from '../../http/overview/fleet-view.js';
import { type SiteRow, siteListQuery, toSummary } from '../report-rows.js';

/** The dashboard's reads on SQLite. */
export function sqliteFleetView(db: Database.Database): FleetView {
  const alertsShown = db.prepare<[], { record: string }>(
    "SELECT record FROM alerts WHERE json_extract(record, '$.phase') <> 'resolved'",
  );
  const alertsAll = db.prepare<[], { record: string }>('SELECT record FROM alerts');
  const latest = db.prepare<[], FleetLatest>(
    `SELECT sites.site_id AS siteId, sites.last_seen_ms AS lastSeenMs, s.battery_volts AS batteryVolts,
       s.rtt_internet_ms AS rttInternetMs
     FROM sites LEFT JOIN samples s
       ON s.site_id = sites.site_id AND s.seq = sites.last_seq AND s.boot_id = sites.last_boot_id`,
  );
  const incidents = db.prepare<[], { record: string }>('SELECT record FROM incidents WHERE ends_at_ms IS NULL');
  const health = db.prepare<[string], { state: string }>('SELECT state FROM health_sites WHERE site_id = ?');
  const summary = db.prepare<[string], SiteRow & Record<string, unknown>>(siteListQuery((a) => a, 'sites.site_id = ?'));
  const siteAlerts = db.prepare<[string], { record: string }>(
    'SELECT record FROM alerts WHERE site_id = ? ORDER BY key',
  );
  const parse = <T>(rows: { record: string }[]) => rows.map((r) => JSON.parse(r.record) as T);
  return {
    fleetAlerts: async (includeResolved) => parse<AlertRecord>((includeResolved ? alertsAll : alertsShown).all()),
    fleetLatest: async () => latest.all(),
    openIncidentList: async () => parse<IncidentRecord>(incidents.all()),
    async siteView(siteId) {
      const h = health.get(siteId);
      const s = summary.get(siteId);
      return {
        health: h === undefined ? null : JSON.parse(h.state),
        summary: s === undefined ? null : toSummary(s),
        alerts: parse<AlertRecord>(siteAlerts.all(siteId)),
      };
    },
  };
}
