import { between, type SitePlan } from '../fleet/index.js';
import type { FixtureAlert, FixtureFleet, FixtureSite, FixtureState, FixtureTransition } from './fixture-fleet.js';

const HOUR_MS = 3_600_000;

/** A site's last 30 days, newest first: its current trouble (with a revised cause) and past outages. */
export function siteHistory(
  plan: SitePlan,
  state: FixtureState,
  cause: string | null,
  detail: string | null,
  sinceMs: number | null,
  nowMs: number,
  draw: (...keys: (number | string)[]) => number,
): FixtureTransition[] {
  const out: FixtureTransition[] = [];
  const blank = { previousCause: null, previousDetail: null };
  if (state !== 'online' && state !== 'unknown' && sinceMs !== null) {
    const kind = state;
    if (kind === 'offline' && cause !== 'unknown') {
      out.push({
        kind,
        event: 'cause_revised',
        atMs: sinceMs + 40 * 60_000,
        sinceMs,
        cause,
        detail,
        previousCause: 'unknown',
        previousDetail: 'silent',
      });
      out.push({ kind, event: 'began', atMs: sinceMs, sinceMs, cause: 'unknown', detail: 'silent', ...blank });
    } else {
      out.push({ kind, event: 'began', atMs: sinceMs, sinceMs, cause, detail, ...blank });
    }
  }
  // Past outages over the last 30 days, each with its cause as finally judged.
  const past = Math.floor(draw(plan.index, 'past') * 4);
  for (let i = 0; i < past; i += 1) {
    const beganMs = nowMs - Math.round(between(draw(plan.index, 'pastAt', i), 3, 29) * 24 * HOUR_MS);
    const lastedMs = Math.round(between(draw(plan.index, 'pastFor', i), 0.2, 9) * HOUR_MS);
    const pastCause = i % 2 === 0 ? 'power' : 'link';
    const pastDetail = i % 2 === 0 ? 'unclean_reboot' : 'link_down';
    out.push({
      kind: 'offline',
      event: 'ended',
      atMs: beganMs + lastedMs,
      sinceMs: beganMs,
      cause: pastCause,
      detail: pastDetail,
      ...blank,
    });
    out.push({
      kind: 'offline',
      event: 'began',
      atMs: beganMs,
      sinceMs: beganMs,
      cause: pastCause,
      detail: pastDetail,
      ...blank,
    });
  }
  return out.sort((a, b) => b.atMs - a.atMs);
}

/** An area incident for each kecamatan with two sites or more offline. */
export function areaIncidents(
  sites: readonly FixtureSite[],
  alerts: FixtureAlert[],
  nowMs: number,
): FixtureFleet['incidents'] {
  const byKecamatan = new Map<string, FixtureSite[]>();
  for (const s of sites)
    if (s.state === 'offline' && s.kecamatanCode !== null)
      byKecamatan.set(s.kecamatanCode, [...(byKecamatan.get(s.kecamatanCode) ?? []), s]);
  const incidents: FixtureFleet['incidents'] = [];
  for (const [code, members] of byKecamatan) {
    if (members.length < 2) continue;
    const id = `area/kecamatan/${code}`;
    incidents.push({
      id,
      kind: 'area',
      scope: 'kecamatan',
      areaCode: code,
      areaName: members[0]?.kecamatan ?? code,
      cause: 'unknown',
      startsAtMs: Math.min(...members.map((m) => m.sinceMs ?? nowMs)),
      endsAtMs: null,
      members: members.map((m) => ({ siteId: m.siteId })),
    });
    for (const a of alerts) if (a.kind === 'offline' && members.some((m) => m.siteId === a.siteId)) a.incidentId = id;
  }
  return incidents;
}
