import { MS_PER_DAY } from '@pantau/shared';
import type Database from 'better-sqlite3';
import type { ReportTimeZone } from '../../reports/config.js';
import {
  localDaysTouching,
  REPORT_DAY_COLUMNS,
  type ReportDay,
  type ReportDayRow,
  reportDayFromRow,
  reportDaysOf,
  reportDayValues,
} from '../report-days.js';
import { type RollupRow, rollupFromRow } from '../report-rows.js';

const flag = (b: boolean) => (b ? 1 : 0);

/**
 * Reports' daily facts on SQLite (docs/reports.md, "Design"): read by reports, filled for a time
 * zone when a report first asks for it, and kept up to date by the roll-up job for every zone filled.
 */
export function sqliteReportDays(db: Database.Database) {
  const selectZones = db.prepare<[], { time_zone: ReportTimeZone }>('SELECT time_zone FROM report_zones');
  const hasZone = db.prepare<[string], { n: number }>('SELECT 1 AS n FROM report_zones WHERE time_zone = ?');
  const insertZone = db.prepare('INSERT INTO report_zones (time_zone) VALUES (?)');
  const selectHours = db.prepare<[string, number, number], RollupRow>(
    "SELECT * FROM rollups WHERE site_id = ? AND grain = 'hour' AND bucket_ms >= ? AND bucket_ms < ? ORDER BY bucket_ms",
  );
  const selectHourSites = db.prepare<[], { site_id: string }>(
    "SELECT DISTINCT site_id FROM rollups WHERE grain = 'hour' ORDER BY site_id",
  );
  const selectSiteHours = db.prepare<[string], RollupRow>(
    "SELECT * FROM rollups WHERE site_id = ? AND grain = 'hour' ORDER BY bucket_ms",
  );
  const deleteDays = db.prepare(
    'DELETE FROM report_days WHERE time_zone = ? AND site_id = ? AND day_ms >= ? AND day_ms < ?',
  );
  const insertDay = db.prepare(
    `INSERT INTO report_days (${REPORT_DAY_COLUMNS.join(', ')}) VALUES (${REPORT_DAY_COLUMNS.map(() => '?').join(', ')})`,
  );
  const selectSiteDays = db.prepare<[string, string, number, number], ReportDayRow>(
    'SELECT * FROM report_days WHERE time_zone = ? AND site_id = ? AND day_ms >= ? AND day_ms < ? ORDER BY day_ms',
  );
  const selectAllDays = db.prepare<[string, number, number], ReportDayRow>(
    'SELECT * FROM report_days WHERE time_zone = ? AND day_ms >= ? AND day_ms < ? ORDER BY site_id, day_ms',
  );

  const insertDays = (days: readonly ReportDay[]) => {
    for (const d of days) insertDay.run(reportDayValues(d, flag));
  };
  const fillZone = db.transaction((timeZone: ReportTimeZone) => {
    if (hasZone.get(timeZone) !== undefined) return;
    for (const { site_id } of selectHourSites.all()) {
      insertDays(reportDaysOf(site_id, selectSiteHours.all(site_id).map(rollupFromRow), timeZone));
    }
    insertZone.run(timeZone);
  });

  return {
    /** Recomputes the site's local days touching a UTC day just rolled up (inside the roll-up's transaction). */
    refreshReportDays(siteId: string, utcDayMs: number): void {
      for (const { time_zone: timeZone } of selectZones.all()) {
        for (const dayMs of localDaysTouching(utcDayMs, timeZone)) {
          deleteDays.run(timeZone, siteId, dayMs, dayMs + MS_PER_DAY);
          const hours = selectHours.all(siteId, dayMs, dayMs + MS_PER_DAY).map(rollupFromRow);
          insertDays(reportDaysOf(siteId, hours, timeZone));
        }
      }
    },
    async reportDays(
      timeZone: ReportTimeZone,
      fromMs: number,
      toMs: number,
      siteIds: readonly string[] | null,
    ): Promise<ReportDay[]> {
      fillZone(timeZone);
      if (siteIds === null) return selectAllDays.all(timeZone, fromMs, toMs).map(reportDayFromRow);
      // Site by site along the primary key: a range scan each, nothing to sort.
      return [...siteIds].sort().flatMap((id) => selectSiteDays.all(timeZone, id, fromMs, toMs).map(reportDayFromRow));
    },
  };
}
