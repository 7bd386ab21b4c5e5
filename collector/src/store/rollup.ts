import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from '@pantau/shared';
import { histogramOf, type LatencyHistogram } from './latency-histogram.js';
import { FACT_COLUMNS, type SampleFacts } from './sample-facts.js';

export type RollupGrain = 'hour' | 'day';

/**
 * A minute counts as active when one sample in it saw more client traffic (in + out, the agent's
 * own excluded) than this: a few web pages' worth, above background chatter (docs/storage.md).
 */
export const ACTIVE_CLIENT_BYTES = 20_000;

export interface LatencyPercentiles {
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly samples: number;
}

/** One active throughput test, as the sample that carries its result. */
export interface ThroughputResult {
  readonly atMs: number;
  readonly downBitsPerSec: number | null;
  readonly upBitsPerSec: number | null;
}

/** Tests kept per bucket: a site tests nightly; more than this in an hour is a misconfigured agent. */
const MAX_THROUGHPUT_RESULTS = 24;

/** One site over one hour or one UTC day (docs/storage.md defines each figure). */
export interface Rollup {
  readonly siteId: string;
  readonly grain: RollupGrain;
  readonly bucketMs: number;
  readonly samples: number;
  readonly onlineMinutes: number;
  readonly activeMinutes: number;
  readonly rxBytes: number;
  readonly txBytes: number;
  readonly clientRxBytes: number;
  readonly clientTxBytes: number;
  /** Per latency role that answered at least once. */
  readonly latency: Readonly<Partial<Record<string, LatencyPercentiles>>>;
  /** Per latency role: its round trips in buckets, so percentiles over many buckets can be merged. */
  readonly latencyHistogram: Readonly<Partial<Record<string, LatencyHistogram>>>;
  /** The throughput tests that finished in the bucket, oldest first (at most 24). */
  readonly throughput: readonly ThroughputResult[];
  readonly batteryMinVolts: number | null;
  readonly batteryMaxVolts: number | null;
  /** The mean of the solar watts of the samples that reported them (an hour's: its energy in Wh); null when none did. */
  readonly solarMeanWatts: number | null;
  readonly clientsMax: number | null;
  /** Samples received, and expected from the sequence numbers (see `expectedSamples`). */
  readonly received: number;
  readonly expected: number;
}

/** The facts a roll-up reads (all numbers): selected alone, so a roll-up reads no more than it needs. */
const ROLLUP_FACT_KEYS = [
  'rxBytes',
  'txBytes',
  'clientRxBytes',
  'clientTxBytes',
  'clients',
  'batteryVolts',
  'solarWatts',
  'rttGatewayMs',
  'rttTerminalMs',
  'rttInternetMs',
  'rttNocMs',
  'throughputDownBitsPerSec',
  'throughputUpBitsPerSec',
] as const satisfies readonly (keyof SampleFacts)[];

/** A stored sample as a roll-up reads it. */
export interface FactRow extends Pick<SampleFacts, (typeof ROLLUP_FACT_KEYS)[number]> {
  readonly seq: number;
  readonly effectiveMs: number;
}

/** SQL reading a day's samples as `FactRow`s (`$site`, `$from`, `$to` are the dialect's placeholders). */
export function rollupFactsQuery(quote: (alias: string) => string, site: string, from: string, to: string): string {
  const facts = ROLLUP_FACT_KEYS.map((k) => `${FACT_COLUMNS.find((f) => f.key === k)?.column} AS ${quote(k)}`);
  return `SELECT seq, effective_ms AS ${quote('effectiveMs')}, ${facts.join(', ')}
    FROM samples WHERE site_id = ${site} AND effective_ms >= ${from} AND effective_ms < ${to}`;
}

export function bucketStart(ms: number, grain: RollupGrain): number {
  const size = grain === 'hour' ? MS_PER_HOUR : MS_PER_DAY;
  return Math.floor(ms / size) * size;
}

/**
 * Expected samples in a bucket: from the highest sequence number received before the bucket's
 * first sample (`previousSeq`) up to its highest one. A gap between buckets counts against the
 * later one: the bucket in which the site's sequence resumed.
 */
export function expectedSamples(seqs: readonly number[], previousSeq: number | null): number {
  if (seqs.length === 0) return 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const s of seqs) {
    if (s < min) min = s;
    if (s > max) max = s;
  }
  const from = previousSeq === null ? min : previousSeq + 1;
  return Math.max(seqs.length, max - from + 1);
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? 0;
}

const roles = [
  ['gateway', 'rttGatewayMs'],
  ['terminal', 'rttTerminalMs'],
  ['internet', 'rttInternetMs'],
  ['noc', 'rttNocMs'],
] as const;

/** Computes one bucket from its rows; deterministic, so recomputing after late data is safe. */
export function computeRollup(
  siteId: string,
  grain: RollupGrain,
  bucketMs: number,
  rows: readonly FactRow[],
  previousSeq: number | null,
): Rollup {
  const online = new Set<number>();
  const active = new Set<number>();
  const rtts: Record<string, number[]> = {};
  let rxBytes = 0;
  let txBytes = 0;
  let clientRxBytes = 0;
  let clientTxBytes = 0;
  let batteryMin: number | null = null;
  let batteryMax: number | null = null;
  let solarSumWatts = 0;
  let solarSamples = 0;
  let clientsMax: number | null = null;
  const throughput: ThroughputResult[] = [];
  for (const r of rows) {
    const minute = Math.floor(r.effectiveMs / MS_PER_MINUTE);
    online.add(minute);
    rxBytes += r.rxBytes ?? 0;
    txBytes += r.txBytes ?? 0;
    clientRxBytes += r.clientRxBytes ?? 0;
    clientTxBytes += r.clientTxBytes ?? 0;
    if ((r.clientRxBytes ?? 0) + (r.clientTxBytes ?? 0) > ACTIVE_CLIENT_BYTES) active.add(minute);
    if (r.batteryVolts !== null) {
      batteryMin = batteryMin === null ? r.batteryVolts : Math.min(batteryMin, r.batteryVolts);
      batteryMax = batteryMax === null ? r.batteryVolts : Math.max(batteryMax, r.batteryVolts);
    }
    if (r.solarWatts !== null) {
      solarSumWatts += r.solarWatts;
      solarSamples++;
    }
    if (r.clients !== null) clientsMax = Math.max(clientsMax ?? 0, r.clients);
    if (r.throughputDownBitsPerSec !== null || r.throughputUpBitsPerSec !== null) {
      throughput.push({
        atMs: r.effectiveMs,
        downBitsPerSec: r.throughputDownBitsPerSec,
        upBitsPerSec: r.throughputUpBitsPerSec,
      });
    }
    for (const [role, key] of roles) {
      const v = r[key];
      if (v === null) continue;
      const list = rtts[role];
      if (list === undefined) rtts[role] = [v];
      else list.push(v);
    }
  }
  const latency: Record<string, LatencyPercentiles> = {};
  const latencyHistogram: Record<string, LatencyHistogram> = {};
  for (const [role, values] of Object.entries(rtts)) {
    values.sort((a, b) => a - b);
    latency[role] = { p50Ms: percentile(values, 50), p95Ms: percentile(values, 95), samples: values.length };
    latencyHistogram[role] = histogramOf(values);
  }
  throughput.sort((a, b) => a.atMs - b.atMs);
  return {
    siteId,
    grain,
    bucketMs,
    samples: rows.length,
    onlineMinutes: online.size,
    activeMinutes: active.size,
    rxBytes,
    txBytes,
    clientRxBytes,
    clientTxBytes,
    latency,
    latencyHistogram,
    throughput: throughput.slice(-MAX_THROUGHPUT_RESULTS),
    batteryMinVolts: batteryMin,
    batteryMaxVolts: batteryMax,
    solarMeanWatts: solarSamples === 0 ? null : solarSumWatts / solarSamples,
    clientsMax,
    received: rows.length,
    expected: expectedSamples(
      rows.map((r) => r.seq),
      previousSeq,
    ),
  };
}

/**
 * A day and its hours from the day's rows (in any order). `previousSeqOf(minSeq)` gives the highest
 * sequence number received below `minSeq` (any day), or null.
 */
export function computeDay(
  siteId: string,
  dayMs: number,
  rows: readonly FactRow[],
  previousSeq: (belowSeq: number) => number | null,
): { day: Rollup; hours: Rollup[] } {
  const byHour = new Map<number, FactRow[]>();
  for (const r of rows) {
    const h = bucketStart(r.effectiveMs, 'hour');
    const list = byHour.get(h);
    if (list === undefined) byHour.set(h, [r]);
    else list.push(r);
  }
  const hours = [...byHour.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([h, list]) => computeRollup(siteId, 'hour', h, list, previousSeq(minSeq(list))));
  const day = computeRollup(siteId, 'day', dayMs, rows, rows.length === 0 ? null : previousSeq(minSeq(rows)));
  return { day, hours };
}

function minSeq(rows: readonly FactRow[]): number {
  let min = Number.POSITIVE_INFINITY;
  for (const r of rows) if (r.seq < min) min = r.seq;
  return min;
}

/** The sequence numbers `computeDay` will ask `previousSeq` about (so an async store can fetch them at once). */
export function dayBelowSeqs(rows: readonly FactRow[]): number[] {
  const mins = new Map<number, number>();
  let dayMin = Number.POSITIVE_INFINITY;
  for (const r of rows) {
    const h = bucketStart(r.effectiveMs, 'hour');
    mins.set(h, Math.min(mins.get(h) ?? Number.POSITIVE_INFINITY, r.seq));
    dayMin = Math.min(dayMin, r.seq);
  }
  return rows.length === 0 ? [] : [...new Set([...mins.values(), dayMin])];
}
