import { fail, MS_PER_DAY, MS_PER_HOUR, ok, type Result } from '@pantau/shared';
import type { ReportTimeZone } from './config.js';

/** Indonesia keeps no daylight saving time, so each zone is one fixed offset. */
const ZONE_OFFSET_HOURS: Readonly<Record<ReportTimeZone, number>> = {
  'Asia/Jakarta': 7,
  'Asia/Makassar': 8,
  'Asia/Jayapura': 9,
  UTC: 0,
};

/** The longest range a report covers: a year, with its leap day. */
export const MAX_REPORT_DAYS = 366;

/** Whole local days: [fromMs, toMs), `days` of them, in `timeZone`. */
export interface ReportRange {
  readonly fromDate: string;
  /** The last day in the report (inclusive). */
  readonly toDate: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly days: number;
  readonly timeZone: ReportTimeZone;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function localMidnightMs(date: string, offsetMs: number): number | null {
  const m = DATE.exec(date);
  if (m === null) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const back = new Date(utc);
  // Date.UTC rolls 2026-02-30 over into March: such a date does not exist.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return utc - offsetMs;
}

/** The range from `fromDate` to `toDate` inclusive (YYYY-MM-DD, local days), or why not. */
export function reportRange(
  fromDate: string,
  toDate: string,
  timeZone: ReportTimeZone,
): Result<ReportRange, 'report_range_invalid'> {
  const offsetMs = zoneOffsetMs(timeZone);
  const fromMs = localMidnightMs(fromDate, offsetMs);
  const lastMs = localMidnightMs(toDate, offsetMs);
  if (fromMs === null) return fail('report_range_invalid', `--from ${fromDate}: a date looks like 2026-11-01`);
  if (lastMs === null) return fail('report_range_invalid', `--to ${toDate}: a date looks like 2026-11-30`);
  if (lastMs < fromMs) return fail('report_range_invalid', `--to ${toDate} is before --from ${fromDate}`);
  const days = Math.round((lastMs - fromMs) / MS_PER_DAY) + 1;
  if (days > MAX_REPORT_DAYS) {
    return fail('report_range_invalid', `${days} days from ${fromDate} to ${toDate}: at most ${MAX_REPORT_DAYS}`);
  }
  return ok({ fromDate, toDate, fromMs, toMs: lastMs + MS_PER_DAY, days, timeZone });
}

export function zoneOffsetMs(timeZone: ReportTimeZone): number {
  return ZONE_OFFSET_HOURS[timeZone] * MS_PER_HOUR;
}

/** A local time's parts: its day (YYYY-MM-DD), hour of day, and day of week (0 = Monday). */
export function localParts(ms: number, timeZone: ReportTimeZone): { date: string; hour: number; weekday: number } {
  const local = new Date(ms + zoneOffsetMs(timeZone));
  return {
    date: local.toISOString().slice(0, 10),
    hour: local.getUTCHours(),
    weekday: (local.getUTCDay() + 6) % 7,
  };
}

/** The start of the local day holding `ms`, as epoch ms. */
export function localDayStartMs(ms: number, timeZone: ReportTimeZone): number {
  const offset = zoneOffsetMs(timeZone);
  return Math.floor((ms + offset) / MS_PER_DAY) * MS_PER_DAY - offset;
}
