import { between, createDraw, loadPlaces, planFleet, type SitePlan } from '../fleet/index.js';
import { areaIncidents, siteHistory } from './fixture-history.js';

/**
 * A simulated fleet as the collector's HTTP API would describe it (docs/dashboard.md): the
 * simulator's sites (real kecamatan, coordinates, groups) with states, causes, alerts and history
 * drawn from a seed. It feeds the dashboard's stand-in server, its browser test and its first-load
 * benchmark; nothing here judges health, it only has to look like the API's answers.
 */
export type FixtureState =
  | 'offline'
  | 'power_at_risk'
  | 'degraded'
  | 'data_problem'
  | 'underused'
  | 'online'
  | 'unknown'
  | 'unregistered';

export interface FixtureSite {
  siteId: string;
  name: string | null;
  registered: boolean;
  kabupatenCode: string | null;
  kabupaten: string | null;
  kecamatanCode: string | null;
  kecamatan: string | null;
  desa: string | null;
  group: string | null;
  latitude: number | null;
  longitude: number | null;
  state: FixtureState;
  kinds: string[];
  cause: string | null;
  sinceMs: number | null;
  lastSeenMs: number | null;
  batteryVolts: number | null;
  rttMs: number | null;
  clients24h: number | null;
  down24hBytes: number | null;
  up24hBytes: number | null;
  needsAction: boolean;
}

export interface FixtureAlert {
  key: string;
  siteId: string;
  siteName: string | null;
  kind: string;
  phase: 'firing' | 'resolved';
  cause: string | null;
  firstCause: string | null;
  detail: string | null;
  sinceMs: number;
  flapping: boolean;
  incidentId: string | null;
  ackBy: string | null;
  ackMs: number | null;
  ackNote: string | null;
}

export interface FixtureTransition {
  kind: string;
  event: 'began' | 'ended' | 'cause_revised';
  atMs: number;
  sinceMs: number | null;
  cause: string | null;
  detail: string | null;
  previousCause: string | null;
  previousDetail: string | null;
}

export interface FixtureFleet {
  readonly nowMs: number;
  readonly seed: number;
  readonly plans: readonly SitePlan[];
  readonly sites: FixtureSite[];
  readonly alerts: FixtureAlert[];
  readonly history: Map<string, FixtureTransition[]>;
  readonly incidents: {
    id: string;
    kind: string;
    scope: string;
    areaCode: string;
    areaName: string;
    cause: string;
    startsAtMs: number;
    endsAtMs: null;
    members: { siteId: string }[];
  }[];
}

const HOUR_MS = 3_600_000;
/** Cumulative shares of states across the fleet: most sites fine, a tenth needing a technician. */
const STATE_SHARES: readonly [FixtureState, number][] = [
  ['offline', 0.08],
  ['power_at_risk', 0.06],
  ['degraded', 0.06],
  ['data_problem', 0.03],
  ['underused', 0.05],
  ['unknown', 0.02],
  ['online', 1],
];
const CAUSES: Readonly<Record<string, readonly [string, string | null][]>> = {
  offline: [
    ['power', 'battery_low_before'],
    ['link', 'link_down_before'],
    ['terminal', 'terminal_down_before'],
    ['agent', 'pi_crashed'],
    ['unknown', 'silent'],
  ],
  power_at_risk: [
    ['battery_low', null],
    ['night_discharge', null],
  ],
  degraded: [
    ['latency', null],
    ['loss', null],
  ],
  data_problem: [
    ['clock_unsynced', null],
    ['samples_missing', null],
  ],
  underused: [
    ['adoption', 'low_traffic'],
    ['availability', 'mostly_offline'],
  ],
};

export function fixtureFleet(count: number, seed: number, nowMs: number): FixtureFleet {
  const plans = planFleet(count, seed, loadPlaces());
  const draw = createDraw(seed ^ 0x5a5a);
  const sites: FixtureSite[] = [];
  const alerts: FixtureAlert[] = [];
  const history = new Map<string, FixtureTransition[]>();
  for (const plan of plans) {
    const state = pickState(draw(plan.index, 'state'));
    const [cause, detail] = pickCause(state, draw(plan.index, 'cause'));
    const sinceMs =
      state === 'online' || state === 'unknown'
        ? null
        : nowMs - Math.round(between(draw(plan.index, 'since'), 0.3, 60) * HOUR_MS);
    const heard = state !== 'unknown';
    const lastSeenMs = !heard
      ? null
      : state === 'offline'
        ? (sinceMs ?? nowMs)
        : nowMs - Math.round(draw(plan.index, 'seen') * 60_000);
    const kinds = state === 'online' || state === 'unknown' ? [] : [state];
    if (state === 'offline' && draw(plan.index, 'also') < 0.4) kinds.push('power_at_risk');
    const acked = draw(plan.index, 'ack') < 0.25;
    const urgent = state === 'offline' || state === 'power_at_risk' || state === 'degraded';
    sites.push({
      siteId: plan.siteId,
      name: plan.name,
      registered: true,
      kabupatenCode: plan.kabupatenCode,
      kabupaten: plan.kabupaten,
      kecamatanCode: plan.kecamatanCode,
      kecamatan: plan.kecamatan,
      desa: plan.desa,
      group: plan.group,
      latitude: plan.latitude,
      longitude: plan.longitude,
      state,
      kinds,
      cause,
      sinceMs,
      lastSeenMs,
      batteryVolts: heard
        ? round(
            state === 'power_at_risk'
              ? between(draw(plan.index, 'v'), 11.5, 12.0)
              : between(draw(plan.index, 'v'), 12.3, 13.6),
            2,
          )
        : null,
      rttMs: heard
        ? round(
            state === 'degraded'
              ? between(draw(plan.index, 'rtt'), 250, 900)
              : between(draw(plan.index, 'rtt'), 28, 70),
            1,
          )
        : null,
      clients24h: heard ? Math.round(plan.clientsAtPeak * (state === 'underused' ? 0.2 : 1)) : null,
      down24hBytes: heard ? Math.round(plan.clientsAtPeak * between(draw(plan.index, 'down'), 40e6, 250e6)) : null,
      up24hBytes: heard ? Math.round(plan.clientsAtPeak * between(draw(plan.index, 'up'), 5e6, 40e6)) : null,
      needsAction: urgent && !acked,
    });
    for (const kind of kinds) {
      const revised = kind === 'offline' && cause !== 'unknown' && draw(plan.index, 'revised') < 0.5;
      alerts.push({
        key: `${plan.siteId}/${kind}`,
        siteId: plan.siteId,
        siteName: plan.name,
        kind,
        phase: 'firing',
        cause: kind === state ? cause : 'battery_low',
        firstCause: revised ? 'unknown' : kind === state ? cause : 'battery_low',
        detail: kind === state ? detail : null,
        sinceMs: sinceMs ?? nowMs,
        flapping: draw(plan.index, 'flap', kind) < 0.05,
        incidentId: null,
        ackBy: acked ? 'noc-siang' : null,
        ackMs: acked ? (sinceMs ?? nowMs) + 20 * 60_000 : null,
        ackNote: acked ? 'teknisi dihubungi' : null,
      });
    }
    history.set(plan.siteId, siteHistory(plan, state, cause, detail, sinceMs, nowMs, draw));
  }
  // The last site is heard but not in the registry: no name, no area, no coordinates.
  const last = sites[sites.length - 1];
  if (last !== undefined && sites.length > 1) {
    Object.assign(last, {
      siteId: 'unregistered-pi-01',
      registered: false,
      name: null,
      kabupatenCode: null,
      kabupaten: null,
    });
    Object.assign(last, {
      kecamatanCode: null,
      kecamatan: null,
      desa: null,
      group: null,
      latitude: null,
      longitude: null,
    });
    Object.assign(last, { state: 'data_problem', kinds: ['data_problem'], cause: 'unregistered', needsAction: false });
    for (const a of alerts.filter((x) => x.siteId === plans[plans.length - 1]?.siteId))
      Object.assign(a, { siteId: last.siteId, siteName: null });
    history.set(last.siteId, []);
  }
  const sorted = sortSites(sites);
  return { nowMs, seed, plans, sites: sorted, alerts, history, incidents: areaIncidents(sorted, alerts, nowMs) };
}

const SEVERITY: readonly FixtureState[] = [
  'offline',
  'power_at_risk',
  'degraded',
  'data_problem',
  'underused',
  'online',
  'unknown',
  'unregistered',
];

/** The API's order: needing action first, then the worst state, the oldest, the site id. */
export function sortSites(sites: readonly FixtureSite[]): FixtureSite[] {
  return [...sites].sort(
    (a, b) =>
      Number(b.needsAction) - Number(a.needsAction) ||
      SEVERITY.indexOf(a.state) - SEVERITY.indexOf(b.state) ||
      (a.sinceMs ?? Number.MAX_SAFE_INTEGER) - (b.sinceMs ?? Number.MAX_SAFE_INTEGER) ||
      a.siteId.localeCompare(b.siteId),
  );
}

function pickState(u: number): FixtureState {
  let acc = 0;
  for (const [state, share] of STATE_SHARES) {
    acc += share;
    if (u < acc) return state;
  }
  return 'online';
}

function pickCause(state: FixtureState, u: number): [string | null, string | null] {
  const list = CAUSES[state];
  if (list === undefined) return [null, null];
  return list[Math.floor(u * list.length)] ?? [null, null];
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
