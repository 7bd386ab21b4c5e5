import { defaultHealthConfig } from '@pantau/collector';
import type { SiteStatus } from '@pantau/shared';
import { seeded } from '../seeded.js';
import { fleetSites } from './fleet/fleet-sites.js';
import { NocCollector } from './fleet/noc-collector.js';
import { LONG_OUTAGE_MS, type Score, score } from './fleet/score.js';
import { SiteAgent, type SiteMessage, type TruthOutage } from './fleet/site-agent.js';
import { type NocEvent, planMonth } from './fleet/truth-plan.js';

/** 2026-11-01 00:00 WITA: the month simulated. */
const MONTH_START_MS = Date.UTC(2026, 9, 31, 16, 0);
const DAY_MS = 86_400_000;
/** How often the collector evaluates (its tick), and the simulation's step. */
const STEP_MS = 10_000;

export const TARGETS = { precision: 0.95, recall: 1, causeAccuracy: 0.9, nocPerSiteAlerts: 0 } as const;

export interface FleetMonthOptions {
  readonly sites: number;
  readonly days: number;
  readonly seed: number;
  /** Stop after this many days (the plan is still the whole month's): to look into one day. */
  readonly untilDays?: number;
  /** Print this site's messages, history lines and notifications as they happen (to stderr). */
  readonly trace?: string;
}

export interface FleetMonthResult {
  readonly score: Score;
  readonly powerCuts: number;
  readonly linkOutages: Readonly<Record<string, number>>;
  readonly noc: readonly NocEvent[];
  readonly wallMs: number;
}

/**
 * A seeded month of a solar-powered fleet with injected faults, driven through the collector's real
 * health engine and alert policy (in-memory stores, a stepped clock), scored against the truth.
 */
export async function runFleetMonth(options: FleetMonthOptions): Promise<FleetMonthResult> {
  const t0 = performance.now();
  const random = seeded(options.seed);
  const sites = fleetSites(options.sites, random);
  const plan = planMonth(sites, MONTH_START_MS, options.days, random);
  const outages: TruthOutage[] = [];
  let inbox: SiteMessage[] = [];
  const out = { message: (m: SiteMessage) => inbox.push(m), outage: (o: TruthOutage) => outages.push(o) };
  const agents = sites.map(
    (s, i) =>
      new SiteAgent(s, plan.linkDown.get(s.record.siteId) ?? [], MONTH_START_MS, seeded(options.seed * 7919 + i), out),
  );
  const collector = new NocCollector(
    defaultHealthConfig(),
    sites.map((s) => s.record),
    MONTH_START_MS - 60_000,
  );
  await collector.start();
  for (const a of agents) a.birth(MONTH_START_MS - 30_000);
  const flush = async () => {
    const messages = inbox.sort((a, b) => a.atMs - b.atMs);
    inbox = [];
    for (const m of messages) {
      if (m.siteId === options.trace) traceLine(m.atMs, 'status' in m ? m.status : m.samples);
      await collector.receive(m);
    }
  };
  await flush();

  // NOC faults, as actions at step boundaries: down at the start, back after their downtime.
  const actions = plan.noc
    .flatMap((e) => [
      { atMs: e.atMs, event: e, up: false },
      { atMs: e.atMs + e.downMs, event: e, up: true },
    ])
    .sort((a, b) => a.atMs - b.atMs);
  let brokerUp = true;
  let heldWills: SiteStatus[] = [];
  // The month, then six hours more so the last outages' backfill arrives.
  const endMs = MONTH_START_MS + (options.untilDays ?? options.days) * DAY_MS + 6 * 3_600_000;
  let traced = { transitions: 0, notifications: 0 };
  for (let t = MONTH_START_MS + STEP_MS; t <= endMs; t += STEP_MS) {
    while (actions.length > 0 && (actions[0]?.atMs ?? endMs) <= t) {
      const action = actions.shift();
      if (action === undefined) break;
      if (action.event.kind === 'collector_restart') {
        if (action.up) {
          collector.nowMs = t;
          await collector.start();
        } else collector.stop();
        continue;
      }
      brokerUp = action.up;
      if (!action.up) {
        await collector.broker(false, t);
        // A broker stopping publishes every connected client's will; the collector's persistent
        // session gets them when it is back.
        heldWills = agents.map((a) => a.brokerStopped()).filter((w): w is SiteStatus => w !== null);
      } else {
        await collector.broker(true, t);
        for (const will of heldWills) await collector.receive({ atMs: t, siteId: will.siteId, status: will });
        heldWills = [];
      }
    }
    for (const a of agents) a.step(t - STEP_MS, t, plan.weather(a.site.record.kabupatenCode, t), brokerUp);
    await flush();
    await collector.tick(t);
    if (options.trace !== undefined) traced = traceSite(options.trace, collector, traced);
  }

  const linkOutages: Record<string, number> = {};
  for (const o of outages) linkOutages[o.origin] = (linkOutages[o.origin] ?? 0) + 1;
  return {
    score: score(outages, collector.notifications, collector.transitions, plan.noc),
    powerCuts: outages.filter((o) => o.cause === 'power').length,
    linkOutages,
    noc: plan.noc,
    wallMs: performance.now() - t0,
  };
}

function traceLine(atMs: number, what: unknown): void {
  process.stderr.write(`${new Date(atMs).toISOString()} ${JSON.stringify(what)}\n`);
}

/** Prints what is new for one site since `seen`: its history lines and its notifications. */
function traceSite(siteId: string, collector: NocCollector, seen: { transitions: number; notifications: number }) {
  for (const t of collector.transitions.slice(seen.transitions)) if (t.siteId === siteId) traceLine(t.atMs, t);
  for (const n of collector.notifications.slice(seen.notifications)) {
    const listed = n.incident?.sites.some((s) => s.siteId === siteId) === true;
    if (n.alert?.siteId === siteId || listed) traceLine(n.createdMs, { event: n.event, id: n.id });
  }
  return { transitions: collector.transitions.length, notifications: collector.notifications.length };
}

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/** The lines a person reads, and whether every target is met. */
export function reportFleetMonth(options: FleetMonthOptions, r: FleetMonthResult): { lines: string[]; met: boolean } {
  const s = r.score;
  const checks = {
    precision: s.precision >= TARGETS.precision,
    recall: s.recall >= TARGETS.recall,
    cause: s.causeAccuracy >= TARGETS.causeAccuracy,
    noc: s.nocPerSiteAlerts <= TARGETS.nocPerSiteAlerts,
  };
  const nocKinds = r.noc.map((e) => `${e.kind} ${(e.downMs / 1000).toFixed(0)} s`).join(', ');
  const lines = [
    `alert quality: a simulated month (${options.days} days) of ${options.sites} solar sites, seed ${options.seed}, through the health engine and alert policy (${(r.wallMs / 1000).toFixed(0)} s to run)`,
    `truth: ${s.outages} outages (${r.powerCuts} power cuts at night, link: ${Object.entries(r.linkOutages)
      .filter(([k]) => k !== 'power_cut')
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}), ${s.longOutages} over ${LONG_OUTAGE_MS / 60_000} min; NOC faults: ${nocKinds}`,
    `per-site offline alerts: ${s.alerts} (${s.alertsByVia.alert} alone, ${s.alertsByVia.incident} in area incidents, ${s.alertsByVia.flapping} flapping); ${s.onShortOutages} of the true ones for outages of ${LONG_OUTAGE_MS / 60_000} min or less, ${s.repeats} repeats`,
    `precision ${s.truePositives}/${s.alerts} = ${pct(s.precision)} (target >= ${pct(TARGETS.precision)}): ${verdict(checks.precision)}`,
    `recall of outages over ${LONG_OUTAGE_MS / 60_000} min ${s.longDetected}/${s.longOutages} = ${pct(s.recall)} (target ${pct(TARGETS.recall)}): ${verdict(checks.recall)}`,
    `cause correct once backfill arrived (revised) ${s.causeCorrect}/${s.causeJudged} = ${pct(s.causeAccuracy)} (target >= ${pct(TARGETS.causeAccuracy)}): ${verdict(checks.cause)}; first view ${pct(s.causeJudged === 0 ? 1 : s.firstCauseCorrect / s.causeJudged)}`,
    `per-site alerts from NOC-side restarts: ${s.nocPerSiteAlerts} (target 0; ${s.nocIncidents} NOC incidents notified instead): ${verdict(checks.noc)}`,
  ];
  const wrong = Object.entries(s.wrongCauses);
  if (wrong.length > 0) lines.push(`  wrong causes: ${wrong.map(([k, v]) => `${k} x${v}`).join(', ')}`);
  for (const o of s.missed.slice(0, 10)) {
    lines.push(
      `  missed: ${o.siteId} ${o.origin} from ${new Date(o.startMs).toISOString()} for ${(((o.endMs ?? o.startMs) - o.startMs) / 60_000).toFixed(1)} min`,
    );
  }
  return { lines, met: Object.values(checks).every(Boolean) };
}
