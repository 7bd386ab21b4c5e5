import { MS_PER_DAY, MS_PER_HOUR } from '@pantau/shared';
import type { SiteDayFacts } from '../health/underused.js';
import { addHistogram } from '../store/latency-histogram.js';
import { NIGHT_ENDS_HOUR, NIGHT_STARTS_HOUR, REPORT_LATENCY_ROLES, type ReportDay } from '../store/report-days.js';
import type { Rollup } from '../store/rollup.js';
import { localDayStartMs, localParts, type ReportRange } from './range.js';
import { emptyTally, type Tally } from './tally.js';

/** One site's use over the range, from its hourly roll-ups. */
export interface SiteUse {
  /** Usage, latency, throughput, battery and completeness; downtime is the caller's. */
  readonly tally: Tally;
  readonly latencyRole: string | null;
  /** Active minutes per local `[weekday][hour]`, summed over the range. */
  readonly activeByHour: readonly (readonly number[])[];
  /** Per local day, for the underused judgement. */
  readonly days: readonly SiteDayFacts[];
}

/**
 * How many times each local `[weekday][hour]` occurs in the range (the heatmap's denominators),
 * and the local parts of each UTC hour, computed once for all sites.
 */
export function rangeHours(range: ReportRange): { slots: number[][]; hourParts: Map<number, HourParts> } {
  const slots = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const hourParts = new Map<number, HourParts>();
  for (let ms = range.fromMs; ms < range.toMs; ms += MS_PER_HOUR) {
    const p = localParts(ms, range.timeZone);
    const row = slots[p.weekday] as number[];
    row[p.hour] = (row[p.hour] ?? 0) + 1;
    const night = p.hour >= NIGHT_STARTS_HOUR ? p.date : p.hour < NIGHT_ENDS_HOUR ? previousDate(p.date) : null;
    hourParts.set(ms, { ...p, night, dayMs: localDayStartMs(ms, range.timeZone) });
  }
  return { slots, hourParts };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface HourParts {
  readonly date: string;
  readonly hour: number;
  readonly weekday: number;
  /** The evening's date of the night this hour belongs to, or null by day. */
  readonly night: string | null;
  readonly dayMs: number;
}

function previousDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * One site's use from its hourly roll-ups: the reference computation, which `siteUseFromDays`
 * answers the same from the daily facts (tests/unit/collector/report-days.test.ts checks).
 */
export function siteUse(
  siteId: string,
  hours: readonly Rollup[],
  range: ReportRange,
  hourParts: ReadonlyMap<number, HourParts>,
  batteryWarnVolts: number,
): SiteUse {
  const tally = emptyTally(range.days);
  tally.sites = 1;
  const activeByHour = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const nightMin = new Map<string, number>();
  const days = new Map<number, Mutable<SiteDayFacts>>();
  const role = REPORT_LATENCY_ROLES.find((r) => hours.some((h) => h.latencyHistogram[r] !== undefined)) ?? null;
  for (const h of hours) {
    const parts = hourParts.get(h.bucketMs);
    if (parts === undefined) continue;
    tally.onlineMinutes += h.onlineMinutes;
    tally.activeMinutes += h.activeMinutes;
    tally.clientRxBytes += h.clientRxBytes;
    tally.clientTxBytes += h.clientTxBytes;
    if (h.clientsMax !== null) tally.peakClients = Math.max(tally.peakClients ?? 0, h.clientsMax);
    const histogram = role === null ? undefined : h.latencyHistogram[role];
    if (histogram !== undefined) addHistogram(tally.latency, histogram);
    tally.throughput.push(...h.throughput);
    tally.received += h.received;
    tally.expected += h.expected;
    const row = activeByHour[parts.weekday] as number[];
    row[parts.hour] = (row[parts.hour] ?? 0) + h.activeMinutes;
    if (h.batteryMinVolts !== null) {
      tally.batteryKnown = true;
      if (parts.night !== null) {
        nightMin.set(parts.night, Math.min(nightMin.get(parts.night) ?? Number.POSITIVE_INFINITY, h.batteryMinVolts));
      }
    }
    let day = days.get(parts.dayMs);
    if (day === undefined) {
      day = {
        siteId,
        dayMs: parts.dayMs,
        onlineMinutes: 0,
        activeMinutes: 0,
        clientBytes: 0,
        clientsMax: null,
        received: 0,
        expected: 0,
      };
      days.set(parts.dayMs, day);
    }
    day.onlineMinutes += h.onlineMinutes;
    day.activeMinutes += h.activeMinutes;
    day.clientBytes += h.clientRxBytes + h.clientTxBytes;
    if (h.clientsMax !== null) day.clientsMax = Math.max(day.clientsMax ?? 0, h.clientsMax);
    day.received += h.received;
    day.expected += h.expected;
  }
  for (const volts of nightMin.values()) if (volts <= batteryWarnVolts) tally.lowBatteryNights++;
  return { tally, latencyRole: role, activeByHour, days: [...days.values()] };
}

/** One site's use over the range from its daily facts (the days of `range`, in `range.timeZone`). */
export function siteUseFromDays(
  siteId: string,
  days: readonly ReportDay[],
  range: ReportRange,
  batteryWarnVolts: number,
): SiteUse {
  const tally = emptyTally(range.days);
  tally.sites = 1;
  const activeByHour = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  // A night is keyed by its evening's day: a morning belongs to the day before's night.
  const nightMin = new Map<number, number>();
  const night = (dayMs: number, volts: number | null) => {
    if (volts !== null) nightMin.set(dayMs, Math.min(nightMin.get(dayMs) ?? Number.POSITIVE_INFINITY, volts));
  };
  const role = REPORT_LATENCY_ROLES.find((r) => days.some((d) => d.latencyHistogram[r] !== undefined)) ?? null;
  const dayFacts: SiteDayFacts[] = [];
  for (const d of days) {
    if (d.dayMs < range.fromMs || d.dayMs >= range.toMs) continue;
    tally.onlineMinutes += d.onlineMinutes;
    tally.activeMinutes += d.activeMinutes;
    tally.clientRxBytes += d.clientRxBytes;
    tally.clientTxBytes += d.clientTxBytes;
    if (d.clientsMax !== null) tally.peakClients = Math.max(tally.peakClients ?? 0, d.clientsMax);
    const histogram = role === null ? undefined : d.latencyHistogram[role];
    if (histogram !== undefined) addHistogram(tally.latency, histogram);
    if (d.throughput.length > 0) tally.throughput.push(...d.throughput);
    tally.received += d.received;
    tally.expected += d.expected;
    const row = activeByHour[localParts(d.dayMs, range.timeZone).weekday] as number[];
    for (let hour = 0; hour < 24; hour++) row[hour] = (row[hour] ?? 0) + (d.activeByHour[hour] ?? 0);
    if (d.batteryKnown) tally.batteryKnown = true;
    night(d.dayMs - MS_PER_DAY, d.batteryMinMorningVolts);
    night(d.dayMs, d.batteryMinEveningVolts);
    dayFacts.push({
      siteId,
      dayMs: d.dayMs,
      onlineMinutes: d.onlineMinutes,
      activeMinutes: d.activeMinutes,
      clientBytes: d.clientRxBytes + d.clientTxBytes,
      clientsMax: d.clientsMax,
      received: d.received,
      expected: d.expected,
    });
  }
  for (const volts of nightMin.values()) if (volts <= batteryWarnVolts) tally.lowBatteryNights++;
  return { tally, latencyRole: role, activeByHour, days: dayFacts };
}
