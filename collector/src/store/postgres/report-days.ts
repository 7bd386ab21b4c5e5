import { MS_PER_DAY } from '@pantau/shared';
import type pg from 'pg';
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
import { type Db, inTransaction } from './pool.js';

/** Days per INSERT statement: one round trip for a site's month, well under the 65,535 parameters. */
const DAYS_PER_INSERT = 500;

const flag = (b: boolean) => b;

async function insertDays(db: Db, days: readonly ReportDay[]): Promise<void> {
  for (let i = 0; i < days.length; i += DAYS_PER_INSERT) {
    const params: unknown[] = [];
    const tuples = days.slice(i, i + DAYS_PER_INSERT).map((d) => {
      const at = params.length;
      params.push(...reportDayValues(d, flag));
      return `(${REPORT_DAY_COLUMNS.map((_, k) => `$${at + k + 1}`).join(', ')})`;
    });
    await db.query(`INSERT INTO report_days (${REPORT_DAY_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
}

/** Recomputes the site's local days touching a UTC day just rolled up, in the roll-up's transaction. */
export async function refreshReportDays(db: Db, siteId: string, utcDayMs: number): Promise<void> {
  const zones = await db.query<{ time_zone: ReportTimeZone }>('SELECT time_zone FROM report_zones');
  for (const { time_zone: timeZone } of zones.rows) {
    const days = localDaysTouching(utcDayMs, timeZone);
    const first = days[0] ?? utcDayMs;
    const toMs = (days[days.length - 1] ?? first) + MS_PER_DAY;
    await db.query('DELETE FROM report_days WHERE time_zone = $1 AND site_id = $2 AND day_ms >= $3 AND day_ms < $4', [
      timeZone,
      siteId,
      first,
      toMs,
    ]);
    const hours = await db.query<RollupRow>(
      "SELECT * FROM rollups WHERE site_id = $1 AND grain = 'hour' AND bucket_ms >= $2 AND bucket_ms < $3",
      [siteId, first, toMs],
    );
    await insertDays(db, reportDaysOf(siteId, hours.rows.map(rollupFromRow), timeZone));
  }
}

/** Fills a time zone's days from every hourly roll-up, once; several collectors may ask at once. */
async function fillZone(pool: pg.Pool, timeZone: ReportTimeZone): Promise<void> {
  const known = await pool.query('SELECT 1 FROM report_zones WHERE time_zone = $1', [timeZone]);
  if ((known.rowCount ?? 0) > 0) return;
  await inTransaction(pool, async (db) => {
    await db.query('LOCK TABLE report_zones IN EXCLUSIVE MODE');
    const again = await db.query('SELECT 1 FROM report_zones WHERE time_zone = $1', [timeZone]);
    if ((again.rowCount ?? 0) > 0) return;
    // Roll-ups rewritten while the zone fills would be missed by it: the roll-up job waits here.
    await db.query('LOCK TABLE rollups IN SHARE MODE');
    const sites = await db.query<{ site_id: string }>("SELECT DISTINCT site_id FROM rollups WHERE grain = 'hour'");
    for (const { site_id } of sites.rows) {
      const hours = await db.query<RollupRow>("SELECT * FROM rollups WHERE site_id = $1 AND grain = 'hour'", [site_id]);
      await insertDays(db, reportDaysOf(site_id, hours.rows.map(rollupFromRow), timeZone));
    }
    await db.query('INSERT INTO report_zones (time_zone) VALUES ($1)', [timeZone]);
  });
}

/** Reports' daily facts on PostgreSQL (docs/reports.md, "Design"). */
export function postgresReportDays(pool: pg.Pool) {
  return {
    async reportDays(
      timeZone: ReportTimeZone,
      fromMs: number,
      toMs: number,
      siteIds: readonly string[] | null,
    ): Promise<ReportDay[]> {
      await fillZone(pool, timeZone);
      const res =
        siteIds === null
          ? await pool.query<ReportDayRow>(
              'SELECT * FROM report_days WHERE time_zone = $1 AND day_ms >= $2 AND day_ms < $3',
              [timeZone, fromMs, toMs],
            )
          : await pool.query<ReportDayRow>(
              `SELECT * FROM report_days
               WHERE time_zone = $1 AND site_id = ANY($4::text[]) AND day_ms >= $2 AND day_ms < $3`,
              [timeZone, fromMs, toMs, siteIds],
            );
      // Sorted here: the database's collation may order text otherwise than SQLite does.
      return res.rows
        .map(reportDayFromRow)
        .sort((a, b) => (a.siteId < b.siteId ? -1 : a.siteId > b.siteId ? 1 : a.dayMs - b.dayMs));
    },
  };
}
