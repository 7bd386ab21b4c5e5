import { MS_PER_DAY } from '@pantau/shared';
import type { GroupThresholds, HealthConfig, SiteGroup } from './config.js';
import type { Condition } from './site-state.js';

/** One site's day, from the daily roll-up (docs/storage.md, "Roll-ups"). */
export interface SiteDayFacts {
  readonly siteId: string;
  readonly dayMs: number;
  readonly onlineMinutes: number;
  readonly activeMinutes: number;
  /** Client traffic: in + out, the agent's own excluded. */
  readonly clientBytes: number;
  readonly clientsMax: number | null;
  readonly received: number;
  readonly expected: number;
}

/** Reads daily roll-up facts (a store role); the days are UTC days starting at `fromDayMs`. */
export interface DailyFactsSource {
  siteDays(fromDayMs: number, toDayMs: number): Promise<readonly SiteDayFacts[]>;
}

export interface UsageSite {
  readonly siteId: string;
  readonly group: SiteGroup;
  readonly kabupatenCode: string | null;
}

export interface UsageJudgement {
  readonly underused: Condition | null;
  readonly samplesMissing: Condition | null;
}

interface Totals {
  onlineMinutes: number;
  activeMinutes: number;
  clientBytes: number;
  clientsMax: number;
  days: number;
}

/**
 * Underused over the trailing window, counted only over time online: "not used because offline"
 * (availability: online under `minOnlineShare` of the window) is kept apart from "online but not
 * used" (adoption: under a group threshold, or in the bottom share of its kabupaten). Completeness
 * of the last full day feeds the "samples missing" data problem.
 */
export function judgeUsage(
  sites: readonly UsageSite[],
  facts: readonly SiteDayFacts[],
  todayMs: number,
  config: HealthConfig,
): Map<string, UsageJudgement> {
  const { windowDays, minOnlineShare, bottomShareOfKabupaten, minKabupatenSites, groups } = config.underused;
  const fromMs = todayMs - windowDays * MS_PER_DAY;
  const yesterdayMs = todayMs - MS_PER_DAY;
  const totals = new Map<string, Totals>();
  const yesterday = new Map<string, SiteDayFacts>();
  for (const f of facts) {
    if (f.dayMs < fromMs || f.dayMs >= todayMs) continue;
    if (f.dayMs === yesterdayMs) yesterday.set(f.siteId, f);
    const t = totals.get(f.siteId) ?? { onlineMinutes: 0, activeMinutes: 0, clientBytes: 0, clientsMax: 0, days: 0 };
    t.onlineMinutes += f.onlineMinutes;
    t.activeMinutes += f.activeMinutes;
    t.clientBytes += f.clientBytes;
    t.clientsMax = Math.max(t.clientsMax, f.clientsMax ?? 0);
    t.days++;
    totals.set(f.siteId, t);
  }
  const windowMinutes = windowDays * 24 * 60;
  const result = new Map<string, UsageJudgement>();
  const adoptionByKabupaten = new Map<string, { siteId: string; mbPerHour: number }[]>();
  for (const site of sites) {
    const t = totals.get(site.siteId);
    let underused: Condition | null = null;
    if (t !== undefined) {
      const onlineShare = t.onlineMinutes / windowMinutes;
      const mbPerHour = t.onlineMinutes === 0 ? 0 : t.clientBytes / 1e6 / (t.onlineMinutes / 60);
      const values = {
        onlinePct: Math.round(onlineShare * 100),
        clientMbPerOnlineHour: Math.round(mbPerHour * 10) / 10,
        activePct: t.onlineMinutes === 0 ? 0 : Math.round((100 * t.activeMinutes) / t.onlineMinutes),
        clientsMax: t.clientsMax,
      };
      if (onlineShare < minOnlineShare) {
        underused = { cause: 'availability', detail: 'mostly_offline', sinceMs: fromMs, values };
      } else {
        const below = belowThresholds(groups[site.group], t, mbPerHour);
        if (below !== null) underused = { cause: 'adoption', detail: below, sinceMs: fromMs, values };
        else if (site.kabupatenCode !== null) {
          const list = adoptionByKabupaten.get(site.kabupatenCode) ?? [];
          list.push({ siteId: site.siteId, mbPerHour });
          adoptionByKabupaten.set(site.kabupatenCode, list);
        }
      }
    }
    result.set(site.siteId, { underused, samplesMissing: missing(yesterday.get(site.siteId), config) });
  }
  for (const [kabupatenCode, list] of adoptionByKabupaten) {
    if (list.length < minKabupatenSites || bottomShareOfKabupaten === 0) continue;
    list.sort((a, b) => a.mbPerHour - b.mbPerHour);
    const bottom = Math.floor(list.length * bottomShareOfKabupaten);
    for (const entry of list.slice(0, bottom)) {
      const judgement = result.get(entry.siteId);
      const t = totals.get(entry.siteId);
      if (judgement === undefined || t === undefined) continue;
      result.set(entry.siteId, {
        ...judgement,
        underused: {
          cause: 'adoption',
          detail: 'bottom_of_kabupaten',
          sinceMs: fromMs,
          values: { clientMbPerOnlineHour: Math.round(entry.mbPerHour * 10) / 10, kabupatenCode, sites: list.length },
        },
      });
    }
  }
  return result;
}

function belowThresholds(g: GroupThresholds, t: Totals, mbPerHour: number): string | null {
  if (mbPerHour < g.minClientMbPerOnlineHour) return 'low_traffic';
  if (t.onlineMinutes > 0 && t.activeMinutes / t.onlineMinutes < g.minActiveShare) return 'few_active_hours';
  if (t.clientsMax < g.minClients) return 'few_clients';
  return null;
}

function missing(day: SiteDayFacts | undefined, config: HealthConfig): Condition | null {
  if (day === undefined || day.expected === 0) return null;
  const completeness = day.received / day.expected;
  if (completeness >= config.dataProblems.minCompleteness) return null;
  return {
    cause: 'samples_missing',
    detail: 'samples_missing',
    sinceMs: day.dayMs,
    values: { completenessPct: Math.round(completeness * 1000) / 10, received: day.received, expected: day.expected },
  };
}
