import type { AlertKind } from '@pantau/shared';
import { z } from 'zod';
import type { AlertRecord } from '../../alerts/alert-record.js';
import type { RegisteredSite } from '../../registry/site-registry.js';
import type { FleetLatest } from './fleet-view.js';

import { type OverviewState, overviewStates } from './states.js';

export { type OverviewState, overviewStates };

/** Worst first: the order a site's state is picked in, and the overview is sorted by. */
const SEVERITY: Readonly<Record<OverviewState, number>> = {
  offline: 0,
  power_at_risk: 1,
  degraded: 2,
  data_problem: 3,
  underused: 4,
  online: 5,
  unknown: 6,
  decommissioned: 7,
};
const ACTION_KINDS: readonly AlertKind[] = ['offline', 'power_at_risk', 'degraded'];

export const overviewRowSchema = z.object({
  siteId: z.string(),
  name: z.string().nullable(),
  registered: z.boolean(),
  kabupatenCode: z.string().nullable(),
  kabupaten: z.string().nullable(),
  kecamatanCode: z.string().nullable(),
  kecamatan: z.string().nullable(),
  desa: z.string().nullable(),
  group: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  state: z.enum(overviewStates),
  kinds: z.array(z.string()),
  cause: z.string().nullable(),
  sinceMs: z.number().nullable(),
  lastSeenMs: z.number().nullable(),
  batteryVolts: z.number().nullable(),
  rttMs: z.number().nullable(),
  clients24h: z.number().nullable(),
  down24hBytes: z.number().nullable(),
  up24hBytes: z.number().nullable(),
  needsAction: z.boolean(),
});
export type OverviewRow = z.infer<typeof overviewRowSchema>;

/** A site's client use over the last 24 hours, from the hourly roll-ups. */
export interface Usage24h {
  readonly clientsMax: number | null;
  readonly downBytes: number;
  readonly upBytes: number;
}

export interface RowParts {
  readonly siteId: string;
  readonly record: RegisteredSite | null;
  /** Null: never heard. */
  readonly latest: FleetLatest | null;
  /** The site's alerts that are not resolved. */
  readonly alerts: readonly AlertRecord[];
  readonly usage: Usage24h | null;
}

/** Shown: firing, or recovering (still held until its resolve tolerance runs out). */
function shown(alert: AlertRecord): boolean {
  return alert.phase === 'firing' || alert.phase === 'recovering';
}

export function overviewRow(parts: RowParts): OverviewRow {
  const { record, latest } = parts;
  const decommissionedMs = record?.decommissionedMs ?? null;
  // A decommissioned site's alerts are ended by health; one still shown meanwhile is no call to act.
  const active =
    decommissionedMs !== null ? [] : parts.alerts.filter(shown).sort((a, b) => SEVERITY[a.kind] - SEVERITY[b.kind]);
  const worst = active[0];
  const lastSeenMs = latest?.lastSeenMs ?? null;
  const state: OverviewState =
    decommissionedMs !== null ? 'decommissioned' : (worst?.kind ?? (lastSeenMs === null ? 'unknown' : 'online'));
  return {
    siteId: parts.siteId,
    name: record?.name ?? null,
    registered: record !== null,
    kabupatenCode: record?.kabupatenCode ?? null,
    kabupaten: record?.kabupaten ?? null,
    kecamatanCode: record?.kecamatanCode ?? null,
    kecamatan: record?.kecamatan ?? null,
    desa: record?.desa ?? null,
    group: record?.group ?? null,
    latitude: record?.latitude ?? null,
    longitude: record?.longitude ?? null,
    state,
    kinds: active.map((a) => a.kind),
    cause: worst?.cause ?? null,
    sinceMs: worst?.sinceMs ?? decommissionedMs,
    lastSeenMs,
    batteryVolts: latest?.batteryVolts ?? null,
    rttMs: latest?.rttInternetMs ?? null,
    clients24h: parts.usage?.clientsMax ?? null,
    down24hBytes: parts.usage?.downBytes ?? null,
    up24hBytes: parts.usage?.upBytes ?? null,
    needsAction: active.some((a) => ACTION_KINDS.includes(a.kind) && a.ackMs === null),
  };
}

/** needsAction first, then the worst state, then the oldest `sinceMs`, then the site id. */
export function compareRows(a: OverviewRow, b: OverviewRow): number {
  if (a.needsAction !== b.needsAction) return a.needsAction ? -1 : 1;
  const bySeverity = SEVERITY[a.state] - SEVERITY[b.state];
  if (bySeverity !== 0) return bySeverity;
  const since = (a.sinceMs ?? Number.MAX_SAFE_INTEGER) - (b.sinceMs ?? Number.MAX_SAFE_INTEGER);
  if (since !== 0) return since;
  return a.siteId < b.siteId ? -1 : a.siteId > b.siteId ? 1 : 0;
}

/** Same figures: the older row (and its JSON, kept by identity) can stand for the newer one. */
export function sameRow(a: OverviewRow, b: OverviewRow): boolean {
  for (const key of Object.keys(a) as (keyof OverviewRow)[]) {
    if (key === 'kinds') {
      if (a.kinds.length !== b.kinds.length || a.kinds.some((k, i) => k !== b.kinds[i])) return false;
    } else if (a[key] !== b[key]) return false;
  }
  return true;
}

const rowJson = new WeakMap<OverviewRow, string>();

/** A row's JSON, made once per row object: rows that did not change keep their object, so their text. */
export function jsonOfRow(row: OverviewRow): string {
  let text = rowJson.get(row);
  if (text === undefined) {
    text = JSON.stringify(row);
    rowJson.set(row, text);
  }
  return text;
}
