import type { OutboxItem } from '../alerts/notification.js';
import type { Transition } from '../health/ports.js';
import type { SiteDayFacts } from '../health/underused.js';
import type { SiteRecord } from '../registry/site-record.js';
import type { RegisteredSite } from '../registry/site-registry.js';

/*
 * Rows of the health tables as both stores read and write them (docs/storage.md, "Health and
 * alerts"). Registry fields are columns, so exports join other data; the engine's and the policy's
 * working state is kept as JSON, since only the collector reads it back.
 */

/**
 * The registry's columns, in the order statements list them. The decommission mark
 * (`decommissioned_ms`) is not among them: an import never writes it, and a row written again
 * has it cleared (the site is in service again).
 */
export const REGISTRY_COLUMNS = [
  'site_id',
  'name',
  'kabupaten_code',
  'kabupaten',
  'kecamatan_code',
  'kecamatan',
  'desa_code',
  'desa',
  'site_group',
  'latitude',
  'longitude',
  'lvd_volts',
  'sample_interval_sec',
  'delivery_interval_sec',
] as const;

export interface RegistryRow {
  readonly site_id: string;
  readonly name: string;
  readonly kabupaten_code: string;
  readonly kabupaten: string;
  readonly kecamatan_code: string;
  readonly kecamatan: string;
  readonly desa_code: string;
  readonly desa: string;
  readonly site_group: SiteRecord['group'];
  readonly latitude: number;
  readonly longitude: number;
  readonly lvd_volts: number | null;
  readonly sample_interval_sec: number | null;
  readonly delivery_interval_sec: number | null;
  /** PostgreSQL gives a bigint as a string. */
  readonly decommissioned_ms: number | string | null;
}

export function registryValues(r: SiteRecord): unknown[] {
  return [
    r.siteId,
    r.name,
    r.kabupatenCode,
    r.kabupaten,
    r.kecamatanCode,
    r.kecamatan,
    r.desaCode,
    r.desa,
    r.group,
    r.latitude,
    r.longitude,
    r.lowVoltageDisconnectVolts,
    r.sampleIntervalSec,
    r.deliveryIntervalSec,
  ];
}

export function recordFromRow(row: RegistryRow): RegisteredSite {
  return {
    siteId: row.site_id,
    name: row.name,
    kabupatenCode: row.kabupaten_code,
    kabupaten: row.kabupaten,
    kecamatanCode: row.kecamatan_code,
    kecamatan: row.kecamatan,
    desaCode: row.desa_code,
    desa: row.desa,
    group: row.site_group,
    latitude: row.latitude,
    longitude: row.longitude,
    lowVoltageDisconnectVolts: row.lvd_volts,
    sampleIntervalSec: row.sample_interval_sec,
    deliveryIntervalSec: row.delivery_interval_sec,
    decommissionedMs: row.decommissioned_ms === null ? null : Number(row.decommissioned_ms),
  };
}

export const TRANSITION_COLUMNS = [
  'site_id',
  'kind',
  'event',
  'at_ms',
  'since_ms',
  'cause',
  'detail',
  'previous_cause',
  'previous_detail',
  'episode_id',
] as const;

export type TransitionRow = { readonly [K in (typeof TRANSITION_COLUMNS)[number]]: unknown };

export function transitionValues(t: Transition): unknown[] {
  return [
    t.siteId,
    t.kind,
    t.event,
    t.atMs,
    t.sinceMs,
    t.cause,
    t.detail,
    t.previousCause,
    t.previousDetail,
    t.episodeId,
  ];
}

export function transitionFromRow(row: TransitionRow): Transition {
  return {
    siteId: row.site_id as string | null,
    kind: row.kind as Transition['kind'],
    event: row.event as Transition['event'],
    atMs: Number(row.at_ms),
    sinceMs: Number(row.since_ms),
    cause: row.cause as string,
    detail: row.detail as string,
    previousCause: row.previous_cause as string | null,
    previousDetail: row.previous_detail as string | null,
    episodeId: row.episode_id as string | null,
  };
}

export interface OutboxRow {
  readonly sink: OutboxItem['sink'];
  readonly notification: string;
  readonly attempts: number;
  readonly next_attempt_ms: number;
  readonly last_error: string | null;
}

export function outboxFromRow(row: OutboxRow): OutboxItem {
  return {
    sink: row.sink,
    notification: JSON.parse(row.notification),
    attempts: Number(row.attempts),
    nextAttemptMs: Number(row.next_attempt_ms),
    lastError: row.last_error,
  };
}

/**
 * Outbox items that may leave now, oldest first: per key only the oldest waiting item (a key's
 * later items wait for it, due or not). `$sink`, `$now`, `$limit` are the dialect's placeholders.
 */
export function dueOutboxQuery(sink: string, now: string, limit: string, notGivenUp: string): string {
  return `SELECT sink, notification, attempts, next_attempt_ms, last_error FROM alert_outbox
    WHERE id IN (SELECT min(id) FROM alert_outbox WHERE sink = ${sink} AND ${notGivenUp} GROUP BY key)
      AND next_attempt_ms <= ${now}
    ORDER BY id LIMIT ${limit}`;
}

/** The daily roll-ups as the underused judgement reads them. */
export const SITE_DAYS_SELECT = `SELECT site_id, bucket_ms, online_minutes, active_minutes,
    client_rx_bytes + client_tx_bytes AS client_bytes, clients_max, received, expected
  FROM rollups WHERE grain = 'day'`;

export interface SiteDayRow {
  readonly site_id: string;
  readonly bucket_ms: number;
  readonly online_minutes: number;
  readonly active_minutes: number;
  readonly client_bytes: number;
  readonly clients_max: number | null;
  readonly received: number;
  readonly expected: number;
}

export function siteDayFromRow(row: SiteDayRow): SiteDayFacts {
  return {
    siteId: row.site_id,
    dayMs: Number(row.bucket_ms),
    onlineMinutes: Number(row.online_minutes),
    activeMinutes: Number(row.active_minutes),
    clientBytes: Number(row.client_bytes),
    clientsMax: row.clients_max === null ? null : Number(row.clients_max),
    received: Number(row.received),
    expected: Number(row.expected),
  };
}

/** Rows retention deletes per statement, so that a first run over years of history never holds the store long. */
export const HEALTH_PRUNE_CHUNK = 10_000;

/**
 * Retention's deletes in either store's placeholders (`before`: the horizon, `limit`: a chunk).
 * A history line where a state began stays while nothing later says the state ended.
 */
export function healthPruneStatements(before: string, limit: string) {
  return {
    transitions: `DELETE FROM health_transitions WHERE id IN (
      SELECT t.id FROM health_transitions t
      WHERE t.at_ms < ${before} AND NOT (t.event = 'began' AND t.site_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM health_transitions e
        WHERE e.site_id = t.site_id AND e.at_ms >= t.at_ms AND e.id > t.id AND e.kind = t.kind AND e.event = 'ended'))
      ORDER BY t.id LIMIT ${limit})`,
    outbox: `DELETE FROM alert_outbox WHERE id IN (
      SELECT id FROM alert_outbox WHERE created_ms < ${before} ORDER BY id LIMIT ${limit})`,
    incidents: `DELETE FROM incidents WHERE ends_at_ms < ${before}`,
    controls: `DELETE FROM alert_controls WHERE ends_ms < ${before}`,
  };
}
