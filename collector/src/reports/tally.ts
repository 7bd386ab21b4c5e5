import { addHistogram, histogramPercentile } from '../store/latency-histogram.js';
import type { ThroughputResult } from '../store/rollup.js';
import { type DowntimeCause, downtimeCauses, type ReportFigures, type UnderusedKind } from './types.js';

/**
 * What a report row adds up: one site's, or many sites' merged (a kecamatan, a kabupaten). Rows'
 * figures come from a tally by `figuresOf`, so a site and its areas are computed the same way.
 */
export interface Tally {
  sites: number;
  /** Sites with anything heard (roll-ups or history), and their period. */
  heardSites: number;
  periodMinutes: number;
  downMinutes: Record<DowntimeCause, number>;
  onlineMinutes: number;
  activeMinutes: number;
  clientRxBytes: number;
  clientTxBytes: number;
  peakClients: number | null;
  latency: Map<number, number>;
  throughput: ThroughputResult[];
  lowBatteryNights: number;
  batteryKnown: boolean;
  received: number;
  expected: number;
  /** Days of the period, per site: active hours a day are per site and per day. */
  days: number;
  underused: Record<UnderusedKind, number>;
}

export function emptyTally(days: number): Tally {
  return {
    sites: 0,
    heardSites: 0,
    periodMinutes: 0,
    downMinutes: Object.fromEntries(downtimeCauses.map((c) => [c, 0])) as Record<DowntimeCause, number>,
    onlineMinutes: 0,
    activeMinutes: 0,
    clientRxBytes: 0,
    clientTxBytes: 0,
    peakClients: null,
    latency: new Map(),
    throughput: [],
    lowBatteryNights: 0,
    batteryKnown: false,
    received: 0,
    expected: 0,
    days,
    underused: { adoption: 0, availability: 0 },
  };
}

/** Adds `part` into `into`. */
export function mergeTally(into: Tally, part: Tally): void {
  into.sites += part.sites;
  into.heardSites += part.heardSites;
  into.periodMinutes += part.periodMinutes;
  for (const c of downtimeCauses) into.downMinutes[c] += part.downMinutes[c];
  into.onlineMinutes += part.onlineMinutes;
  into.activeMinutes += part.activeMinutes;
  into.clientRxBytes += part.clientRxBytes;
  into.clientTxBytes += part.clientTxBytes;
  if (part.peakClients !== null) into.peakClients = Math.max(into.peakClients ?? 0, part.peakClients);
  addHistogram(into.latency, [...part.latency.entries()]);
  into.throughput.push(...part.throughput);
  into.lowBatteryNights += part.lowBatteryNights;
  into.batteryKnown ||= part.batteryKnown;
  into.received += part.received;
  into.expected += part.expected;
  into.underused.adoption += part.underused.adoption;
  into.underused.availability += part.underused.availability;
}

const round = (value: number, places: number) => {
  const f = 10 ** places;
  return Math.round(value * f) / f;
};

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** A row's figures, rounded as every format shows them (so HTML and CSV read the same numbers). */
export function figuresOf(t: Tally): ReportFigures {
  let downMinutes = 0;
  for (const c of downtimeCauses) downMinutes += t.downMinutes[c];
  const downs = t.throughput.map((r) => r.downBitsPerSec).filter((v): v is number => v !== null);
  const ups = t.throughput.map((r) => r.upBitsPerSec).filter((v): v is number => v !== null);
  const mbps = (v: number | null) => (v === null ? null : round(v / 1e6, 1));
  return {
    sites: t.sites,
    availabilityPct: t.periodMinutes === 0 ? null : round(100 * (1 - downMinutes / t.periodMinutes), 2),
    downtimeHours: round(downMinutes / 60, 1),
    downtimeHoursByCause: Object.fromEntries(downtimeCauses.map((c) => [c, round(t.downMinutes[c] / 60, 1)])) as Record<
      DowntimeCause,
      number
    >,
    clientDownGb: round(t.clientRxBytes / 1e9, 3),
    clientUpGb: round(t.clientTxBytes / 1e9, 3),
    activeHoursPerDay: t.sites === 0 || t.days === 0 ? 0 : round(t.activeMinutes / 60 / t.days / t.sites, 2),
    peakClients: t.peakClients,
    latencyP50Ms: histogramPercentile(t.latency, 50),
    latencyP95Ms: histogramPercentile(t.latency, 95),
    throughputTests: t.throughput.length,
    throughputDownMbps: mbps(median(downs)),
    throughputUpMbps: mbps(median(ups)),
    lowBatteryNights: t.batteryKnown ? t.lowBatteryNights : null,
    completenessPct: t.expected === 0 ? null : round((100 * t.received) / t.expected, 1),
    underusedAdoption: t.underused.adoption,
    underusedAvailability: t.underused.availability,
  };
}
