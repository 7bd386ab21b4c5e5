import type { Transition } from '../health/ports.js';
import type { Tally } from './tally.js';
import { type DowntimeCause, downtimeCauses } from './types.js';

export interface OfflineEpisode {
  readonly startMs: number;
  /** Null while the site is still offline. */
  readonly endMs: number | null;
  /** The latest view: a revision (backfill) replaces the first cause. */
  readonly cause: DowntimeCause;
}

const CAUSES: ReadonlySet<string> = new Set(downtimeCauses);

/**
 * A site's offline episodes from its health history. Every line of an episode carries the time it
 * began (`sinceMs`), so an episode is found from any of its lines: one that began before the
 * history read still ends, and a revision that came after its end still sets its cause.
 */
export function offlineEpisodes(history: readonly Transition[]): OfflineEpisode[] {
  const episodes = new Map<number, { endMs: number | null; cause: string }>();
  // In time order, the latest line's cause is the latest view (an `ended` line repeats the view of its time).
  for (const t of [...history].sort((a, b) => a.atMs - b.atMs)) {
    if (t.kind !== 'offline') continue;
    const e = episodes.get(t.sinceMs) ?? { endMs: null, cause: t.cause };
    if (t.event === 'ended') e.endMs = t.atMs;
    e.cause = t.cause;
    episodes.set(t.sinceMs, e);
  }
  return [...episodes.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([startMs, e]) => ({
      startMs,
      endMs: e.endMs,
      cause: CAUSES.has(e.cause) ? (e.cause as DowntimeCause) : 'unknown',
    }));
}

/** Minutes of each cause inside [fromMs, toMs); an episode still open counts up to `nowMs`. */
export function downtimeMinutes(
  episodes: readonly OfflineEpisode[],
  fromMs: number,
  toMs: number,
  nowMs: number,
): Partial<Record<DowntimeCause, number>> {
  const minutes: Partial<Record<DowntimeCause, number>> = {};
  for (const e of episodes) {
    const start = Math.max(e.startMs, fromMs);
    const end = Math.min(e.endMs ?? nowMs, toMs);
    if (end <= start) continue;
    minutes[e.cause] = (minutes[e.cause] ?? 0) + (end - start) / 60_000;
  }
  return minutes;
}

/**
 * Adds a site's downtime over [fromMs, periodEndMs) to `tally`: by cause from its offline episodes
 * where the health history is kept, else the minutes nothing was heard (`unclassified`). Returns
 * whether anything was heard of the site; a site never heard has no period (its availability is
 * unknown, not zero).
 */
export function applyDowntime(
  tally: Tally,
  episodes: readonly OfflineEpisode[] | null,
  fromMs: number,
  periodEndMs: number,
  nowMs: number,
): boolean {
  const periodMinutes = Math.max(0, (periodEndMs - fromMs) / 60_000);
  const heardInRollups = tally.received > 0;
  if (episodes === null) {
    if (!heardInRollups) return false;
    tally.downMinutes.unclassified += Math.max(0, periodMinutes - tally.onlineMinutes);
  } else {
    const down = Object.entries(downtimeMinutes(episodes, fromMs, periodEndMs, nowMs));
    if (!heardInRollups && down.length === 0) return false;
    for (const [cause, m] of down) tally.downMinutes[cause as DowntimeCause] += m;
  }
  tally.heardSites = 1;
  tally.periodMinutes = periodMinutes;
  return true;
}
