import type { HealthConfig } from '../health/config.js';
import type { SiteRecord } from '../registry/site-record.js';
import type { AlertRecord, IncidentRecord } from './alert-record.js';

export interface AreaIndex {
  readonly byKecamatan: Map<string, Set<AlertRecord>>;
  readonly byKabupaten: Map<string, Set<AlertRecord>>;
}

export function newAreaIndex(): AreaIndex {
  return { byKecamatan: new Map(), byKabupaten: new Map() };
}

/** Keeps the index of active offline alerts by area up to date. */
export function indexOffline(index: AreaIndex, record: AlertRecord, site: SiteRecord | null, active: boolean): void {
  if (site === null) return;
  for (const [map, code] of [
    [index.byKecamatan, site.kecamatanCode],
    [index.byKabupaten, site.kabupatenCode],
  ] as const) {
    let set = map.get(code);
    if (set === undefined) {
      if (!active) continue;
      set = new Set();
      map.set(code, set);
    }
    if (active) set.add(record);
    else {
      set.delete(record);
      if (set.size === 0) map.delete(code);
    }
  }
}

/**
 * Finds the area incident a site's offline alert belongs to when it fires: an open one of its
 * kecamatan or kabupaten whose latest onset is within the grouping window, or a new one when
 * enough sites of its kabupaten (over two kecamatan or more) or of its kecamatan went down
 * within the window. Null: the alert goes out on its own.
 */
export function groupOffline(
  record: AlertRecord,
  site: SiteRecord,
  open: Iterable<IncidentRecord>,
  index: AreaIndex,
  nowMs: number,
  config: HealthConfig['alerts']['grouping'],
  newId: (prefix: string) => string,
  siteOf: (siteId: string) => SiteRecord | null,
): { incident: IncidentRecord; created: boolean; members: AlertRecord[] } | null {
  const windowMs = config.windowSec * 1000;
  for (const incident of open) {
    if (incident.kind !== 'area_offline' || nowMs - incident.lastOnsetMs > windowMs) continue;
    const code = incident.scope === 'kecamatan' ? site.kecamatanCode : site.kabupatenCode;
    if (incident.areaCode === code) return { incident, created: false, members: [record] };
  }
  const recent = (set: Set<AlertRecord> | undefined) =>
    [...(set ?? [])].filter((r) => r.active && r.incidentId === null && nowMs - r.changedMs <= windowMs);
  const inKabupaten = recent(index.byKabupaten.get(site.kabupatenCode));
  const kecamatans = new Set(inKabupaten.map((r) => siteOf(r.siteId)?.kecamatanCode));
  let scope: 'kabupaten' | 'kecamatan';
  let members: AlertRecord[];
  if (inKabupaten.length >= config.kabupatenMinSites && kecamatans.size >= 2) {
    scope = 'kabupaten';
    members = inKabupaten;
  } else {
    members = recent(index.byKecamatan.get(site.kecamatanCode));
    if (members.length < config.kecamatanMinSites) return null;
    scope = 'kecamatan';
  }
  const areaCode = scope === 'kabupaten' ? site.kabupatenCode : site.kecamatanCode;
  const incident: IncidentRecord = {
    id: newId(`area/${areaCode}`),
    kind: 'area_offline',
    scope,
    areaCode,
    areaName: scope === 'kabupaten' ? site.kabupaten : site.kecamatan,
    cause: record.cause,
    members: [],
    startsAtMs: Math.min(...members.map((m) => m.sinceMs)),
    lastOnsetMs: Math.max(...members.map((m) => m.changedMs)),
    endsAtMs: null,
    values: {},
    notified: 'none',
    notifiedMembers: 0,
  };
  return { incident, created: true, members };
}
