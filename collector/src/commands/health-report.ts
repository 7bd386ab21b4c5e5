import type { AlertRecord } from '../alerts/alert-record.js';
import type { HealthSnapshotData, Transition } from '../health/ports.js';
import type { SiteHealth } from '../health/site-state.js';
import type { SiteRecord } from '../registry/site-record.js';
import { duration, registryLabel } from './sites.js';
import { table } from './table.js';

/** One state of one site, as `health` shows it. */
export interface StateView {
  readonly kind: string;
  readonly cause: string;
  readonly detail: string;
  readonly sinceMs: number;
  /** The first cause, when data revised it since. */
  readonly firstCause: string | null;
  readonly alert: { readonly phase: string; readonly ackBy: string | null } | null;
}

export interface SiteHealthView {
  readonly siteId: string;
  readonly registered: boolean;
  readonly lastHeardMs: number | null;
  /** Held by a NOC-side incident: its silence is not judged as its own outage meanwhile. */
  readonly heldBy: string | null;
  /** Decommissioned (the registry's mark, as health last read it): not judged. */
  readonly decommissionedMs: number | null;
  readonly states: readonly StateView[];
}

/** Each site's states from the saved health state and alert records (`health --json`). */
export function healthViews(
  snapshot: HealthSnapshotData,
  registry: ReadonlyMap<string, SiteRecord>,
  siteId?: string,
): SiteHealthView[] {
  const alerts = new Map<string, AlertRecord>(snapshot.alerts.map((a) => [a.key, a]));
  const view = (s: SiteHealth): SiteHealthView => ({
    siteId: s.siteId,
    registered: registry.has(s.siteId),
    lastHeardMs: s.lastHeardMs,
    heldBy: s.heldBy,
    decommissionedMs: s.decommissionedMs ?? null,
    states: Object.entries(s.conditions).map(([kind, c]) => {
      const a = alerts.get(`${s.siteId}/${kind}`);
      const first = kind === 'offline' && s.offline !== null ? s.offline.firstCause : null;
      return {
        kind,
        cause: c?.cause ?? 'unknown',
        detail: c?.detail ?? '',
        sinceMs: c?.sinceMs ?? 0,
        firstCause: first !== null && first !== c?.cause ? first : null,
        alert: a === undefined ? null : { phase: a.phase, ackBy: a.ackBy },
      };
    }),
  });
  return snapshot.sites
    .filter((s) => siteId === undefined || s.siteId === siteId)
    .map(view)
    .sort((a, b) => a.siteId.localeCompare(b.siteId));
}

const when = (ms: number, nowMs: number) => `${new Date(ms).toISOString()} (${duration(Math.max(0, nowMs - ms))} ago)`;

/** `pantau-collector health`: one line per state of each site, for a person at a terminal. */
export function formatHealthTable(
  views: readonly SiteHealthView[],
  registry: ReadonlyMap<string, SiteRecord>,
  nowMs: number,
): string {
  if (views.length === 0) return 'No health state yet: is `pantau-collector serve` running with health enabled?\n';
  const header = ['SITE', 'REGISTERED', 'STATE', 'CAUSE', 'SINCE', 'ALERT'];
  const rows: string[][] = [];
  for (const v of views) {
    const label = registryLabel(registry.get(v.siteId));
    if (v.states.length === 0) {
      const state =
        v.decommissionedMs !== null
          ? 'decommissioned (not judged)'
          : v.heldBy !== null
            ? 'held (NOC incident)'
            : v.lastHeardMs === null
              ? 'not reported yet'
              : 'ok';
      rows.push([
        v.siteId,
        label,
        state,
        '-',
        v.lastHeardMs === null ? '-' : `heard ${when(v.lastHeardMs, nowMs)}`,
        '-',
      ]);
      continue;
    }
    for (const s of v.states) {
      const cause = `${s.cause}${s.detail === '' ? '' : ` (${s.detail})`}${s.firstCause === null ? '' : `, first ${s.firstCause}`}`;
      const alert =
        s.alert === null ? '-' : `${s.alert.phase}${s.alert.ackBy === null ? '' : `, ack ${s.alert.ackBy}`}`;
      rows.push([v.siteId, label, s.kind, cause, when(s.sinceMs, nowMs), alert]);
    }
  }
  return table(header, rows);
}

/** A site's history, oldest first: each state's beginning, end and revised cause. */
export function formatHistory(siteId: string, history: readonly Transition[]): string {
  if (history.length === 0) return `\nNo transitions of ${siteId} in the last 7 days.\n`;
  const rows = history.map((t) => [
    new Date(t.atMs).toISOString(),
    t.kind,
    t.event,
    `${t.cause}${t.detail === '' ? '' : ` (${t.detail})`}`,
    t.previousCause === null ? '-' : `${t.previousCause}${t.previousDetail ? ` (${t.previousDetail})` : ''}`,
    new Date(t.sinceMs).toISOString(),
  ]);
  return `\nHistory of ${siteId}:\n${table(['AT', 'KIND', 'EVENT', 'CAUSE', 'BEFORE', 'SINCE'], rows)}`;
}
