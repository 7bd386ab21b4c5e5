import type { SiteStatus } from '@pantau/shared';
import type { SiteSummary, TimeQuality } from './records.js';
import type { Rollup, RollupGrain } from './rollup.js';
import { FACT_COLUMNS, factSelectList, factsFromRow } from './sample-facts.js';

/**
 * The site list: each site row with its latest sample's row (the highest seq, named by the site
 * row), figures included, in one query. `quote` quotes the fact aliases (PostgreSQL folds case).
 */
export function siteListQuery(quote: (alias: string) => string, where?: string): string {
  return `SELECT sites.site_id, sites.last_seen_ms, sites.samples, sites.status_state, sites.status_reason,
       sites.status_epoch, sites.status_agent, sites.status_received_ms,
       s.seq, s.boot_id, s.wall_ms, s.clock_synced, s.uptime_ms, s.effective_ms, s.time_quality, s.received_ms,
       ${factSelectList('s.', quote)}
     FROM sites LEFT JOIN samples s
       ON s.site_id = sites.site_id AND s.seq = sites.last_seq AND s.boot_id = sites.last_boot_id
     ${where === undefined ? '' : `WHERE ${where}`}
     ORDER BY sites.site_id`;
}

/** A row of `siteListQuery` (PostgreSQL returns bigint columns as numbers by our type parser). */
export interface SiteRow {
  readonly site_id: string;
  readonly last_seen_ms: number;
  readonly samples: number;
  readonly status_state: SiteStatus['state'] | null;
  readonly status_reason: SiteStatus['reason'] | null;
  readonly status_epoch: number | null;
  readonly status_agent: string | null;
  readonly status_received_ms: number | null;
  readonly seq: number | null;
  readonly boot_id: string | null;
  readonly wall_ms: number | null;
  readonly clock_synced: number | boolean | null;
  readonly uptime_ms: number | null;
  readonly effective_ms: number | null;
  readonly time_quality: TimeQuality | null;
  readonly received_ms: number | null;
}

export function toSummary(row: SiteRow & Readonly<Record<string, unknown>>): SiteSummary {
  return {
    siteId: row.site_id,
    lastSeenMs: row.last_seen_ms,
    samples: row.samples,
    lastSample:
      row.seq === null
        ? null
        : {
            seq: row.seq,
            bootId: row.boot_id ?? '',
            wallMs: row.wall_ms ?? 0,
            clockSynced: row.clock_synced === 1 || row.clock_synced === true,
            uptimeMs: row.uptime_ms ?? 0,
            effectiveMs: row.effective_ms ?? 0,
            timeQuality: row.time_quality ?? 'estimated',
            receivedMs: row.received_ms ?? 0,
            figures: factsFromRow(row),
          },
    status:
      row.status_state === null || row.status_reason === null
        ? null
        : {
            state: row.status_state,
            reason: row.status_reason,
            epoch: row.status_epoch ?? 0,
            agentVersion: row.status_agent ?? '',
            receivedMs: row.status_received_ms ?? 0,
          },
  };
}

/** The columns of the samples table every insert writes, facts included, in `FACT_COLUMNS` order. */
export const SAMPLE_COLUMNS = [
  'site_id',
  'boot_id',
  'seq',
  'wall_ms',
  'clock_synced',
  'uptime_ms',
  'received_ms',
  'payload_id',
  'effective_ms',
  'time_quality',
  ...FACT_COLUMNS.map((f) => f.column),
] as const;

export interface RollupRow {
  site_id: string;
  grain: string;
  bucket_ms: number;
  samples: number;
  online_minutes: number;
  active_minutes: number;
  rx_bytes: number;
  tx_bytes: number;
  client_rx_bytes: number;
  client_tx_bytes: number;
  latency: string;
  latency_histogram: string;
  throughput: string;
  battery_min_volts: number | null;
  battery_max_volts: number | null;
  solar_mean_watts: number | null;
  clients_max: number | null;
  received: number;
  expected: number;
}

export function rollupFromRow(r: RollupRow): Rollup {
  return {
    siteId: r.site_id,
    grain: r.grain as RollupGrain,
    bucketMs: r.bucket_ms,
    samples: r.samples,
    onlineMinutes: r.online_minutes,
    activeMinutes: r.active_minutes,
    rxBytes: r.rx_bytes,
    txBytes: r.tx_bytes,
    clientRxBytes: r.client_rx_bytes,
    clientTxBytes: r.client_tx_bytes,
    latency: JSON.parse(r.latency) as Rollup['latency'],
    latencyHistogram: JSON.parse(r.latency_histogram) as Rollup['latencyHistogram'],
    throughput: JSON.parse(r.throughput) as Rollup['throughput'],
    batteryMinVolts: r.battery_min_volts,
    batteryMaxVolts: r.battery_max_volts,
    solarMeanWatts: r.solar_mean_watts,
    clientsMax: r.clients_max,
    received: r.received,
    expected: r.expected,
  };
}

/** A roll-up's values in the order of the rollups table's columns. */
export function rollupValues(r: Rollup): unknown[] {
  return [
    r.siteId,
    r.grain,
    r.bucketMs,
    r.samples,
    r.onlineMinutes,
    r.activeMinutes,
    r.rxBytes,
    r.txBytes,
    r.clientRxBytes,
    r.clientTxBytes,
    JSON.stringify(r.latency),
    r.batteryMinVolts,
    r.batteryMaxVolts,
    r.clientsMax,
    r.received,
    r.expected,
    JSON.stringify(r.latencyHistogram),
    JSON.stringify(r.throughput),
    r.solarMeanWatts,
  ];
}

export const ROLLUP_COLUMNS = `site_id, grain, bucket_ms, samples, online_minutes, active_minutes, rx_bytes, tx_bytes,
  client_rx_bytes, client_tx_bytes, latency, battery_min_volts, battery_max_volts, clients_max, received, expected,
  latency_histogram, throughput, solar_mean_watts`;

/** Completeness from the day roll-ups' rows. */
export function dayCompleteness(
  siteId: string,
  rows: readonly Pick<RollupRow, 'bucket_ms' | 'received' | 'expected'>[],
) {
  return rows.map((r) => ({
    siteId,
    dayMs: r.bucket_ms,
    received: r.received,
    expected: r.expected,
    completeness: r.expected === 0 ? 1 : r.received / r.expected,
  }));
}
