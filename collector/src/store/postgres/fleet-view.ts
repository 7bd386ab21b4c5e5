import type pg from 'pg';
import type { AlertRecord, IncidentRecord } from '../../alerts/alert-record.js';
import type { FleetLatest, FleetView } from '../../http/overview/fleet-view.js';
import { type SiteRow, siteListQuery, toSummary } from '../report-rows.js';

const quote = (alias: string) => `"${alias}"`;

/** The dashboard's reads on PostgreSQL. */
export function postgresFleetView(pool: pg.Pool): FleetView {
  const parse = <T>(rows: { record: string }[]) => rows.map((r) => JSON.parse(r.record) as T);
  return {
    async fleetAlerts(includeResolved) {
      const where = includeResolved ? '' : " WHERE record::jsonb->>'phase' <> 'resolved'";
      return parse<AlertRecord>((await pool.query<{ record: string }>(`SELECT record FROM alerts${where}`)).rows);
    },
    async fleetLatest() {
      const res = await pool.query<FleetLatest>(
        `SELECT sites.site_id AS "siteId", sites.last_seen_ms AS "lastSeenMs", s.battery_volts AS "batteryVolts",
           s.rtt_internet_ms AS "rttInternetMs"
         FROM sites LEFT JOIN samples s
           ON s.site_id = sites.site_id AND s.seq = sites.last_seq AND s.boot_id = sites.last_boot_id`,
      );
      return res.rows.map((r) => ({ ...r, lastSeenMs: Number(r.lastSeenMs) }));
    },
    async openIncidentList() {
      const res = await pool.query<{ record: string }>('SELECT record FROM incidents WHERE ends_at_ms IS NULL');
      return parse<IncidentRecord>(res.rows);
    },
    async siteView(siteId) {
      const [h, s, a] = await Promise.all([
        pool.query<{ state: string }>('SELECT state FROM health_sites WHERE site_id = $1', [siteId]),
        pool.query<SiteRow & Record<string, unknown>>(siteListQuery(quote, 'sites.site_id = $1'), [siteId]),
        pool.query<{ record: string }>('SELECT record FROM alerts WHERE site_id = $1 ORDER BY key', [siteId]),
      ]);
      const health = h.rows[0];
      const summary = s.rows[0];
      return {
        health: health === undefined ? null : JSON.parse(health.state),
        summary: summary === undefined ? null : toSummary(summary),
        alerts: parse<AlertRecord>(a.rows),
      };
    },
  };
}
