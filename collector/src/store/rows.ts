import type { SiteStatus } from '@pantau/shared';
import type { Rollup, RollupGrain } from './rollup.js';
import type { SiteSummary } from './store.js';

/** A `sites` row as both stores read it (PostgreSQL returns bigint columns as numbers by our type parser). */
export interface SiteRow {
  site_id: string;
  last_seen_ms: number;
  samples: number;
  last_seq: number | null;
  last_boot_id: string | null;
  last_wall_ms: number | null;
  last_clock_synced: number | boolean | null;
  last_uptime_ms: number | null;
  last_probes: string | null;
  /** SQLite: the payload holding the latest sample (its probes are read from there). */
  last_payload_id?: number | null;
  status_state: SiteStatus['state'] | null;
  status_reason: SiteStatus['reason'] | null;
  status_epoch: number | null;
  status_agent: string | null;
  status_received_ms: number | null;
}

type Probes = NonNullable<SiteSummary['lastSample']>['probes'];

/** `probes`: the latest sample's, when the store keeps them elsewhere than `last_probes`. */
export function toSummary(row: SiteRow, probes?: Probes): SiteSummary {
  return {
    siteId: row.site_id,
    lastSeenMs: row.last_seen_ms,
    samples: row.samples,
    lastSample:
      row.last_seq === null
        ? null
        : {
            seq: row.last_seq,
            bootId: row.last_boot_id ?? '',
            wallMs: row.last_wall_ms ?? 0,
            clockSynced: row.last_clock_synced === 1 || row.last_clock_synced === true,
            uptimeMs: row.last_uptime_ms ?? 0,
            probes: probes ?? (JSON.parse(row.last_probes ?? '{}') as Probes),
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
  battery_min_volts: number | null;
  battery_max_volts: number | null;
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
    batteryMinVolts: r.battery_min_volts,
    batteryMaxVolts: r.battery_max_volts,
    clientsMax: r.clients_max,
    received: r.received,
    expected: r.expected,
  };
}
