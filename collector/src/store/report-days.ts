import { MS_PER_DAY, MS_PER_HOUR } from '@pantau/shared';
import type { ReportTimeZone } from '../reports/config.js';
import { localDayStartMs } from '../reports/range.js';
import { addHistogram, type LatencyHistogram } from './latency-histogram.js';
import type { Rollup, ThroughputResult } from './rollup.js';

/** Local hours from this one on belong to the night; before `NIGHT_ENDS_HOUR` to the night before. */
export const NIGHT_STARTS_HOUR = 18;
export const NIGHT_ENDS_HOUR = 6;

/** The latency roles a report reads, in order of preference: what the village's users feel. */
export const REPORT_LATENCY_ROLES = ['internet', 'noc'] as const;
export type ReportLatencyRole = (typeof REPORT_LATENCY_ROLES)[number];

/**
 * One site's local day in one time zone, summed from its hourly roll-ups: every figure a report
 * reads, so a report over a month reads 30 rows a site instead of 720 (docs/reports.md, "Design").
 * Kept only for days with at least one hourly roll-up.
 */
export interface ReportDay {
  readonly timeZone: ReportTimeZone;
  readonly siteId: string;
  /** The local day's start (epoch ms). */
  readonly dayMs: number;
  readonly onlineMinutes: number;
  readonly activeMinutes: number;
  readonly clientRxBytes: number;
  readonly clientTxBytes: number;
  readonly clientsMax: number | null;
  readonly received: number;
  readonly expected: number;
  /** Active minutes per local hour of the day (24): the heatmap's numerators. */
  readonly activeByHour: readonly number[];
  /** Whether any hour of the day had a battery reading. */
  readonly batteryKnown: boolean;
  /** Lowest battery volts before `NIGHT_ENDS_HOUR` (the end of the night before) and from `NIGHT_STARTS_HOUR`. */
  readonly batteryMinMorningVolts: number | null;
  readonly batteryMinEveningVolts: number | null;
  /** Per role, the day's round trips in buckets; absent when no hour measured that role. */
  readonly latencyHistogram: Readonly<Partial<Record<ReportLatencyRole, LatencyHistogram>>>;
  /** The day's finished throughput tests, oldest first. */
  readonly throughput: readonly ThroughputResult[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const minOrNull = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

/** A site's local days from its hourly roll-ups (any order), in day order. */
export function reportDaysOf(siteId: string, hours: readonly Rollup[], timeZone: ReportTimeZone): ReportDay[] {
  const days = new Map<number, { day: Mutable<ReportDay>; latency: Map<ReportLatencyRole, Map<number, number>> }>();
  for (const h of [...hours].sort((a, b) => a.bucketMs - b.bucketMs)) {
    if (h.grain !== 'hour') continue;
    const dayMs = localDayStartMs(h.bucketMs, timeZone);
    let entry = days.get(dayMs);
    if (entry === undefined) {
      entry = { day: emptyDay(timeZone, siteId, dayMs), latency: new Map() };
      days.set(dayMs, entry);
    }
    const { day, latency } = entry;
    const hour = Math.floor((h.bucketMs - dayMs) / MS_PER_HOUR);
    day.onlineMinutes += h.onlineMinutes;
    day.activeMinutes += h.activeMinutes;
    day.clientRxBytes += h.clientRxBytes;
    day.clientTxBytes += h.clientTxBytes;
    if (h.clientsMax !== null) day.clientsMax = Math.max(day.clientsMax ?? 0, h.clientsMax);
    day.received += h.received;
    day.expected += h.expected;
    (day.activeByHour as number[])[hour] = (day.activeByHour[hour] ?? 0) + h.activeMinutes;
    if (h.batteryMinVolts !== null) {
      day.batteryKnown = true;
      if (hour < NIGHT_ENDS_HOUR) day.batteryMinMorningVolts = minOrNull(day.batteryMinMorningVolts, h.batteryMinVolts);
      if (hour >= NIGHT_STARTS_HOUR) {
        day.batteryMinEveningVolts = minOrNull(day.batteryMinEveningVolts, h.batteryMinVolts);
      }
    }
    for (const role of REPORT_LATENCY_ROLES) {
      const histogram = h.latencyHistogram[role];
      if (histogram === undefined) continue;
      const merged = latency.get(role) ?? new Map<number, number>();
      addHistogram(merged, histogram);
      latency.set(role, merged);
    }
    if (h.throughput.length > 0) day.throughput = [...day.throughput, ...h.throughput];
  }
  return [...days.values()]
    .sort((a, b) => a.day.dayMs - b.day.dayMs)
    .map(({ day, latency }) => ({
      ...day,
      latencyHistogram: Object.fromEntries(
        [...latency.entries()].map(([role, counts]) => [role, [...counts.entries()].sort((a, b) => a[0] - b[0])]),
      ),
    }));
}

function emptyDay(timeZone: ReportTimeZone, siteId: string, dayMs: number): Mutable<ReportDay> {
  return {
    timeZone,
    siteId,
    dayMs,
    onlineMinutes: 0,
    activeMinutes: 0,
    clientRxBytes: 0,
    clientTxBytes: 0,
    clientsMax: null,
    received: 0,
    expected: 0,
    activeByHour: new Array<number>(24).fill(0),
    batteryKnown: false,
    batteryMinMorningVolts: null,
    batteryMinEveningVolts: null,
    latencyHistogram: {},
    throughput: [],
  };
}

/**
 * The local days of `timeZone` a UTC day's hourly roll-ups touch: recomputed when that day is
 * rolled up again. Indonesia's zones are whole hours from UTC, so at most two.
 */
export function localDaysTouching(utcDayMs: number, timeZone: ReportTimeZone): number[] {
  const first = localDayStartMs(utcDayMs, timeZone);
  const last = localDayStartMs(utcDayMs + MS_PER_DAY - 1, timeZone);
  return first === last ? [first] : [first, last];
}

/** The report_days table's columns, in the order `reportDayValues` gives them. */
export const REPORT_DAY_COLUMNS = [
  'time_zone',
  'site_id',
  'day_ms',
  'online_minutes',
  'active_minutes',
  'client_rx_bytes',
  'client_tx_bytes',
  'clients_max',
  'received',
  'expected',
  'active_by_hour',
  'battery_known',
  'battery_min_morning_volts',
  'battery_min_evening_volts',
  'latency_internet',
  'latency_noc',
  'throughput',
] as const;

export interface ReportDayRow {
  time_zone: string;
  site_id: string;
  day_ms: number;
  online_minutes: number;
  active_minutes: number;
  client_rx_bytes: number;
  client_tx_bytes: number;
  clients_max: number | null;
  received: number;
  expected: number;
  active_by_hour: string;
  battery_known: number | boolean;
  battery_min_morning_volts: number | null;
  battery_min_evening_volts: number | null;
  latency_internet: string | null;
  latency_noc: string | null;
  throughput: string;
}

/** A day's values in `REPORT_DAY_COLUMNS` order; `boolean` is how the dialect stores a flag. */
export function reportDayValues(d: ReportDay, flag: (b: boolean) => number | boolean): unknown[] {
  const histogram = (role: ReportLatencyRole) => {
    const h = d.latencyHistogram[role];
    return h === undefined ? null : JSON.stringify(h);
  };
  return [
    d.timeZone,
    d.siteId,
    d.dayMs,
    d.onlineMinutes,
    d.activeMinutes,
    d.clientRxBytes,
    d.clientTxBytes,
    d.clientsMax,
    d.received,
    d.expected,
    JSON.stringify(d.activeByHour),
    flag(d.batteryKnown),
    d.batteryMinMorningVolts,
    d.batteryMinEveningVolts,
    histogram('internet'),
    histogram('noc'),
    JSON.stringify(d.throughput),
  ];
}

export function reportDayFromRow(r: ReportDayRow): ReportDay {
  const latencyHistogram: Partial<Record<ReportLatencyRole, LatencyHistogram>> = {};
  if (r.latency_internet !== null) latencyHistogram.internet = JSON.parse(r.latency_internet) as LatencyHistogram;
  if (r.latency_noc !== null) latencyHistogram.noc = JSON.parse(r.latency_noc) as LatencyHistogram;
  return {
    timeZone: r.time_zone as ReportTimeZone,
    siteId: r.site_id,
    dayMs: r.day_ms,
    onlineMinutes: r.online_minutes,
    activeMinutes: r.active_minutes,
    clientRxBytes: r.client_rx_bytes,
    clientTxBytes: r.client_tx_bytes,
    clientsMax: r.clients_max,
    received: r.received,
    expected: r.expected,
    activeByHour: JSON.parse(r.active_by_hour) as number[],
    batteryKnown: r.battery_known === 1 || r.battery_known === true,
    batteryMinMorningVolts: r.battery_min_morning_volts,
    batteryMinEveningVolts: r.battery_min_evening_volts,
    latencyHistogram,
    throughput: r.throughput === '[]' ? [] : (JSON.parse(r.throughput) as ThroughputResult[]),
  };
}
