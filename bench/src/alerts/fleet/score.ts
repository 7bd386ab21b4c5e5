import type { Notification, Transition } from '@pantau/collector';
import type { TruthOutage } from './site-agent.js';
import type { NocEvent } from './truth-plan.js';

const MINUTE_MS = 60_000;
/** The outages every one of which must be alerted. */
export const LONG_OUTAGE_MS = 10 * MINUTE_MS;
/** An alert still counts for an outage this long after the site reconnected (its messages in flight). */
const AFTER_RETURN_MS = 5 * MINUTE_MS;
/** Per-site alerts this long after a NOC-side fault ended are laid at its door when no outage explains them. */
const NOC_BLAME_MS = 60 * MINUTE_MS;

/** What reached the NOC's people about one site: its own alert, or its name in an area incident. */
export interface SiteAlert {
  readonly siteId: string;
  readonly atMs: number;
  readonly via: 'alert' | 'flapping' | 'incident';
}

/** The per-site offline alerts in what the webhook received. */
export function siteAlerts(notifications: readonly Notification[]): SiteAlert[] {
  const alerts: SiteAlert[] = [];
  const listed = new Set<string>();
  for (const n of notifications) {
    if (n.alert?.kind === 'offline' && (n.event === 'firing' || n.event === 'flapping')) {
      alerts.push({ siteId: n.alert.siteId, atMs: n.createdMs, via: n.event === 'firing' ? 'alert' : 'flapping' });
    }
    const incident = n.incident;
    if (incident?.kind !== 'area_offline' || (n.event !== 'firing' && n.event !== 'update')) continue;
    // A site back and down again within the incident's window is listed again, with its new onset.
    for (const s of incident.sites) {
      const key = `${incident.id}/${s.siteId}/${s.sinceMs}`;
      if (listed.has(key)) continue;
      listed.add(key);
      alerts.push({ siteId: s.siteId, atMs: n.createdMs, via: 'incident' });
    }
  }
  return alerts;
}

export interface Score {
  readonly alerts: number;
  readonly alertsByVia: Readonly<Record<SiteAlert['via'], number>>;
  readonly truePositives: number;
  /** Of the true ones, alerts for real outages of 10 minutes or less. */
  readonly onShortOutages: number;
  /** Second alerts for an outage already alerted (a site notified alone, then in an incident). */
  readonly repeats: number;
  readonly falsePositives: number;
  readonly precision: number;
  readonly outages: number;
  readonly longOutages: number;
  readonly longDetected: number;
  readonly recall: number;
  /** Long outages that ended (backfill in) and were judged: how many have the right cause. */
  readonly causeJudged: number;
  readonly causeCorrect: number;
  readonly causeAccuracy: number;
  readonly firstCauseCorrect: number;
  readonly wrongCauses: Readonly<Record<string, number>>;
  readonly nocFaults: number;
  readonly nocPerSiteAlerts: number;
  readonly nocIncidents: number;
  readonly missed: readonly TruthOutage[];
}

/** Scores what the NOC was told against the truth of the month. */
export function score(
  outages: readonly TruthOutage[],
  notifications: readonly Notification[],
  transitions: readonly Transition[],
  noc: readonly NocEvent[],
): Score {
  const alerts = siteAlerts(notifications);
  const bySite = new Map<string, TruthOutage[]>();
  for (const o of outages) bySite.set(o.siteId, [...(bySite.get(o.siteId) ?? []), o]);
  const matches = (o: TruthOutage, atMs: number) =>
    atMs >= o.startMs && atMs <= (o.endMs ?? Number.POSITIVE_INFINITY) + AFTER_RETURN_MS;
  const alerted = new Set<TruthOutage>();
  let truePositives = 0;
  let onShortOutages = 0;
  let repeats = 0;
  const falseAlerts: SiteAlert[] = [];
  for (const a of alerts) {
    const outage = bySite.get(a.siteId)?.find((o) => matches(o, a.atMs));
    if (outage === undefined) {
      falseAlerts.push(a);
      continue;
    }
    truePositives++;
    if (alerted.has(outage)) repeats++;
    alerted.add(outage);
    if (durationMs(outage) <= LONG_OUTAGE_MS) onShortOutages++;
  }
  const long = outages.filter((o) => durationMs(o) > LONG_OUTAGE_MS);
  const missed = long.filter((o) => !alerted.has(o));
  const causes = judgeCauses(long, transitions);
  const blamed = falseAlerts.filter((a) =>
    noc.some((e) => a.atMs >= e.atMs && a.atMs <= e.atMs + e.downMs + NOC_BLAME_MS),
  );
  const via = (v: SiteAlert['via']) => alerts.filter((a) => a.via === v).length;
  return {
    alerts: alerts.length,
    alertsByVia: { alert: via('alert'), flapping: via('flapping'), incident: via('incident') },
    truePositives,
    onShortOutages,
    repeats,
    falsePositives: falseAlerts.length,
    precision: alerts.length === 0 ? 1 : truePositives / alerts.length,
    outages: outages.length,
    longOutages: long.length,
    longDetected: long.length - missed.length,
    recall: long.length === 0 ? 1 : (long.length - missed.length) / long.length,
    ...causes,
    nocFaults: noc.length,
    nocPerSiteAlerts: blamed.length,
    nocIncidents: notifications.filter((n) => n.incident?.kind === 'noc' && n.event === 'firing').length,
    missed,
  };
}

function durationMs(o: TruthOutage): number {
  return (o.endMs ?? Number.POSITIVE_INFINITY) - o.startMs;
}

/**
 * The cause the engine gives each long outage that has ended (its backfill in): the last revision
 * of the offline episode the engine opened for it, and its first view.
 */
function judgeCauses(long: readonly TruthOutage[], transitions: readonly Transition[]) {
  const offline = new Map<string, Transition[]>();
  for (const t of transitions) {
    if (t.kind !== 'offline' || t.siteId === null) continue;
    offline.set(t.siteId, [...(offline.get(t.siteId) ?? []), t]);
  }
  let causeJudged = 0;
  let causeCorrect = 0;
  let firstCauseCorrect = 0;
  const wrongCauses: Record<string, number> = {};
  for (const o of long) {
    if (o.endMs === null) continue;
    const lines = offline.get(o.siteId) ?? [];
    const began = lines.findIndex(
      (t) => t.event === 'began' && t.atMs >= o.startMs && t.atMs <= (o.endMs ?? 0) + AFTER_RETURN_MS,
    );
    const first = lines[began];
    if (first === undefined) continue;
    let cause = first.cause;
    let detail = first.detail;
    for (const t of lines.slice(began + 1)) {
      if (t.event === 'began') break;
      if (t.event === 'cause_revised') {
        cause = t.cause;
        detail = t.detail;
      }
    }
    causeJudged++;
    if (first.cause === o.cause) firstCauseCorrect++;
    if (cause === o.cause) causeCorrect++;
    else {
      const key = `${o.origin} -> ${cause}/${detail}`;
      wrongCauses[key] = (wrongCauses[key] ?? 0) + 1;
    }
  }
  return {
    causeJudged,
    causeCorrect,
    causeAccuracy: causeJudged === 0 ? 1 : causeCorrect / causeJudged,
    firstCauseCorrect,
    wrongCauses,
  };
}
