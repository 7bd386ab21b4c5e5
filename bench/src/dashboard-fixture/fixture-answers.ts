import type { FixtureFleet, FixtureSite } from './fixture-fleet.js';
import { sortSites } from './fixture-fleet.js';

/** The answers of `/api/overview` and `/api/sites/:id` from the fixture, in the API's shapes. */
export function overview(sites: readonly FixtureSite[], areas: unknown, q: URLSearchParams, nowMs: number) {
  const text = (q.get('q') ?? '').toLowerCase();
  const keep = (s: FixtureSite) =>
    (!q.get('kabupaten') || s.kabupatenCode === q.get('kabupaten')) &&
    (!q.get('kecamatan') || s.kecamatanCode === q.get('kecamatan')) &&
    (!q.get('group') || s.group === q.get('group')) &&
    (!q.get('state') || s.state === q.get('state')) &&
    (text === '' || [s.siteId, s.name, s.desa, s.kecamatan, s.kabupaten].some((v) => v?.toLowerCase().includes(text)));
  // Sorted on every answer: an acknowledgement changes which sites need action.
  const matching = sortSites(sites.filter(keep));
  const counts: Record<string, number> = {
    online: 0,
    offline: 0,
    degraded: 0,
    power_at_risk: 0,
    underused: 0,
    data_problem: 0,
    unknown: 0,
    unregistered: 0,
    total: matching.length,
  };
  for (const s of matching) counts[s.state] = (counts[s.state] ?? 0) + 1;
  return { generatedAtMs: nowMs, counts, areas, sites: matching };
}

export function siteDetail(site: FixtureSite, fleet: FixtureFleet) {
  const alerts = fleet.alerts.filter((a) => a.siteId === site.siteId);
  const offlineAlert = alerts.find((a) => a.kind === 'offline');
  const conditions: Record<string, { cause: string | null; detail: string | null; sinceMs: number; values: object }> =
    {};
  for (const a of alerts)
    if (a.kind !== 'offline') conditions[a.kind] = { cause: a.cause, detail: a.detail, sinceMs: a.sinceMs, values: {} };
  return {
    site,
    health: {
      offline:
        offlineAlert === undefined
          ? null
          : {
              onsetMs: offlineAlert.sinceMs,
              cause: offlineAlert.cause,
              detail: offlineAlert.detail,
              firstCause: offlineAlert.firstCause,
              firstDetail: offlineAlert.firstCause === offlineAlert.cause ? offlineAlert.detail : 'silent',
              source: 'silence',
            },
      conditions,
    },
    status:
      site.lastSeenMs === null
        ? null
        : {
            state: site.state === 'offline' ? 'offline' : 'online',
            reason: null,
            epoch: 1,
            agentVersion: '0.1.0',
            receivedMs: site.lastSeenMs,
          },
    last: site.lastSeenMs === null ? null : { atMs: site.lastSeenMs, seq: 1000 },
    alerts,
    history: fleet.history.get(site.siteId) ?? [],
  };
}
