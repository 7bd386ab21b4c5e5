import { MS_PER_DAY } from '@pantau/shared';
import type { HealthConfig } from '../health/config.js';
import type { HealthStateStore } from '../health/ports.js';
import { batteryWarnVolts } from '../health/power.js';
import { judgeUsage, type SiteDayFacts, type UsageSite } from '../health/underused.js';
import type { RegisteredSite, SiteRegistry } from '../registry/site-registry.js';
import type { ReportDay } from '../store/report-days.js';
import type { Rollup } from '../store/rollup.js';
import type { ReportStore } from '../store/store.js';
import { areaReports } from './areas.js';
import { applyDowntime, type OfflineEpisode, offlineEpisodes } from './downtime.js';
import type { ReportRange } from './range.js';
import { rangeHours, type SiteUse, siteUse, siteUseFromDays } from './site-use.js';
import { emptyTally, figuresOf, mergeTally, type Tally } from './tally.js';
import type { PlannerReport, ReportFilters, SiteReport, UnderusedEntry, UnderusedKind } from './types.js';

/** How far back the health history is read for outages that began before the range. */
const HISTORY_LOOKBACK_MS = 35 * MS_PER_DAY;

/** Sites whose roll-ups are read at once: bounds a report's memory whatever the fleet. */
const SITES_PER_READ = 100;

export interface ReportDeps {
  readonly rollups: Pick<ReportStore, 'reportDays' | 'rollupsInRange' | 'listSites'>;
  readonly registry: Pick<SiteRegistry, 'list'>;
  /** The health history; null where none is kept: downtime is then the minutes nothing was heard. */
  readonly history: Pick<HealthStateStore, 'history'> | null;
  readonly health: HealthConfig;
  readonly nowMs: number;
}

/** The planner report over `range` (docs/reports.md): pure data, for any renderer. */
export async function buildReport(
  range: ReportRange,
  filters: ReportFilters,
  deps: ReportDeps,
): Promise<PlannerReport> {
  return assembleReport(range, filters, deps, async function* (siteIds) {
    for await (const { siteId, days } of siteDays(siteIds, range, deps)) {
      yield {
        siteId,
        heard: days.length > 0,
        use: (warnVolts, beforeMs) => siteUseFromDays(siteId, daysBefore(days, beforeMs), range, warnVolts),
      };
    }
  });
}

/**
 * The same report computed from the hourly roll-ups, as before the daily facts: the reference the
 * daily facts are checked against (tests and bench:report), 24 times the rows to read.
 */
export async function buildReportFromHours(
  range: ReportRange,
  filters: ReportFilters,
  deps: ReportDeps,
): Promise<PlannerReport> {
  const { hourParts } = rangeHours(range);
  return assembleReport(range, filters, deps, async function* (siteIds) {
    for await (const { siteId, hours } of siteHours(siteIds, range, deps)) {
      yield {
        siteId,
        heard: hours.length > 0,
        use: (warnVolts, beforeMs) => {
          const kept =
            beforeMs === null
              ? hours
              : hours.filter((h) => (hourParts.get(h.bucketMs)?.dayMs ?? h.bucketMs) < beforeMs);
          return siteUse(siteId, kept, range, hourParts, warnVolts);
        },
      };
    }
  });
}

/**
 * Each site's use, in site id order; `heard`: anything rolled up in the range. `use` takes only the
 * local days that began before `beforeMs` (null: every day).
 */
type SiteUses = (siteIds: readonly string[]) => AsyncGenerator<{
  siteId: string;
  heard: boolean;
  use: (batteryWarnVolts: number, beforeMs: number | null) => SiteUse;
}>;

function daysBefore(days: ReportDay[], beforeMs: number | null): ReportDay[] {
  return beforeMs === null ? days : days.filter((d) => d.dayMs < beforeMs);
}

async function assembleReport(
  range: ReportRange,
  filters: ReportFilters,
  deps: ReportDeps,
  siteUses: SiteUses,
): Promise<PlannerReport> {
  const registered = (await deps.registry.list()).filter(
    (s) => filters.kabupatenCode === undefined || s.kabupatenCode === filters.kabupatenCode,
  );
  const records = new Map<string, RegisteredSite | null>(registered.map((s) => [s.siteId, s]));
  // A site heard but not registered is shown (without a region), unless the report is of one kabupaten.
  if (filters.kabupatenCode === undefined) {
    for (const s of await deps.rollups.listSites()) if (!records.has(s.siteId)) records.set(s.siteId, null);
  }
  const { slots } = rangeHours(range);
  const periodEndMs = periodEnd(range, deps.nowMs);

  const built: { record: RegisteredSite | null; report: Omit<SiteReport, 'underused' | 'figures'>; tally: Tally }[] =
    [];
  const dayFacts: SiteDayFacts[] = [];
  const episodesOf = episodesReader([...records.keys()], range, deps);
  for await (const { siteId, heard: rolledUp, use: useOf } of siteUses([...records.keys()])) {
    const record = records.get(siteId) ?? null;
    // An unregistered site appears only if it was heard in the range.
    if (record === null && !rolledUp) continue;
    const warnVolts = batteryWarnVolts(record?.lowVoltageDisconnectVolts ?? null, deps.health.power);
    // A decommissioned site's period ends when it was taken out of service: no downtime after
    // it, and its use only from the days it began in service (docs/reports.md).
    const decommissionedMs = record?.decommissionedMs ?? null;
    const siteEndMs =
      decommissionedMs === null ? periodEndMs : Math.max(range.fromMs, Math.min(periodEndMs, decommissionedMs));
    const use = useOf(warnVolts, decommissionedMs);
    const episodes = await episodesOf(siteId);
    const heard = applyDowntime(use.tally, episodes, range.fromMs, siteEndMs, deps.nowMs);
    dayFacts.push(...use.days);
    built.push({
      record,
      tally: use.tally,
      report: {
        siteId,
        registered: record !== null,
        decommissionedMs,
        name: record?.name ?? null,
        group: record?.group ?? null,
        kabupatenCode: record?.kabupatenCode ?? null,
        kabupaten: record?.kabupaten ?? null,
        kecamatanCode: record?.kecamatanCode ?? null,
        kecamatan: record?.kecamatan ?? null,
        desaCode: record?.desaCode ?? null,
        desa: record?.desa ?? null,
        availabilitySource: deps.history === null ? 'rollups' : 'health_history',
        latencyRole: use.latencyRole,
        batteryWarnVolts: Math.round(warnVolts * 100) / 100,
        heatmap: heard ? heatmapOf(use.activeByHour, slots) : heatmapOf(null, slots),
      },
    });
  }

  const usageSites: UsageSite[] = built.filter(inServiceAtEnd(range)).map((b) => ({
    siteId: b.report.siteId,
    group: b.record?.group ?? 'other',
    kabupatenCode: b.record?.kabupatenCode ?? null,
  }));
  const config = { ...deps.health, underused: { ...deps.health.underused, windowDays: range.days } };
  const judged = judgeUsage(usageSites, dayFacts, range.toMs, config);
  const adoption: UnderusedEntry[] = [];
  const availability: UnderusedEntry[] = [];
  const sites: SiteReport[] = built.map((b) => {
    const condition = judged.get(b.report.siteId)?.underused ?? null;
    const kind = condition === null ? null : (condition.cause as UnderusedKind);
    if (kind !== null && condition !== null) {
      b.tally.underused[kind] = 1;
      (kind === 'adoption' ? adoption : availability).push(underusedEntry(b.report, kind, condition, b.tally));
    }
    return {
      ...b.report,
      underused: kind === null || condition === null ? null : { kind, detail: condition.detail },
      figures: figuresOf(b.tally),
    };
  });
  const total = emptyTally(range.days);
  for (const b of built) mergeTally(total, b.tally);
  const areas = areaReports(
    built.map((b) => ({ record: b.record, tally: b.tally })),
    range.days,
  );
  return {
    v: 1,
    generatedAtMs: deps.nowMs,
    range,
    filters,
    sites,
    kecamatan: areas.kecamatan,
    kabupaten: areas.kabupaten,
    total: figuresOf(total),
    underused: {
      adoption: adoption.sort((a, b) => a.clientMbPerOnlineHour - b.clientMbPerOnlineHour),
      availability: availability.sort((a, b) => a.onlinePct - b.onlinePct),
    },
  };
}

/** A site's offline episodes touching the range, or null where no health history is kept. */
export async function siteEpisodes(
  siteId: string,
  range: ReportRange,
  deps: Pick<ReportDeps, 'history' | 'nowMs'>,
): Promise<OfflineEpisode[] | null> {
  if (deps.history === null) return null;
  return offlineEpisodes(await deps.history.history(siteId, range.fromMs - HISTORY_LOOKBACK_MS, deps.nowMs + 1));
}

/**
 * Reads sites' offline episodes a slice of sites ahead, the slice's reads at once (PostgreSQL runs
 * them on several connections, the worker thread back to back): one round trip's wait a slice, not
 * one a site. Ask for the sites in id order.
 */
export function episodesReader(
  siteIds: readonly string[],
  range: ReportRange,
  deps: Pick<ReportDeps, 'history' | 'nowMs'>,
): (siteId: string) => Promise<OfflineEpisode[] | null> {
  const ids = [...siteIds].sort();
  const position = new Map(ids.map((id, i) => [id, i]));
  let slice = new Map<string, Promise<OfflineEpisode[] | null>>();
  return (siteId) => {
    let episodes = slice.get(siteId);
    if (episodes === undefined) {
      const at = position.get(siteId) ?? 0;
      slice = new Map(
        [siteId, ...ids.slice(at + 1, at + SITES_PER_READ)].map((id) => {
          const read = siteEpisodes(id, range, deps);
          // Awaited when its site's turn comes; a failure is reported there, not as unhandled now.
          read.catch(() => {});
          return [id, read];
        }),
      );
      episodes = slice.get(siteId) as Promise<OfflineEpisode[] | null>;
    }
    return episodes;
  };
}

/** Each site's rows, in site id order, read `SITES_PER_READ` sites a query, so memory stays bounded. */
async function* bySlices<T extends { readonly siteId: string }>(
  siteIds: readonly string[],
  read: (slice: readonly string[]) => Promise<readonly T[]>,
): AsyncGenerator<{ siteId: string; rows: T[] }> {
  const ids = [...siteIds].sort();
  for (let i = 0; i < ids.length; i += SITES_PER_READ) {
    const slice = ids.slice(i, i + SITES_PER_READ);
    const bySite = new Map<string, T[]>(slice.map((id) => [id, []]));
    for (const row of await read(slice)) bySite.get(row.siteId)?.push(row);
    for (const id of slice) yield { siteId: id, rows: bySite.get(id) ?? [] };
  }
}

/** Each site's daily facts in the range, in site id order. */
export async function* siteDays(
  siteIds: readonly string[],
  range: ReportRange,
  deps: Pick<ReportDeps, 'rollups'>,
): AsyncGenerator<{ siteId: string; days: ReportDay[] }> {
  const read = (slice: readonly string[]) => deps.rollups.reportDays(range.timeZone, range.fromMs, range.toMs, slice);
  for await (const { siteId, rows } of bySlices(siteIds, read)) yield { siteId, days: rows };
}

/** Each site's hourly roll-ups in the range, in site id order. */
export async function* siteHours(
  siteIds: readonly string[],
  range: ReportRange,
  deps: Pick<ReportDeps, 'rollups'>,
): AsyncGenerator<{ siteId: string; hours: Rollup[] }> {
  const read = (slice: readonly string[]) => deps.rollups.rollupsInRange('hour', range.fromMs, range.toMs, slice);
  for await (const { siteId, rows } of bySlices(siteIds, read)) yield { siteId, hours: rows };
}

/** A range still under way ends now. */
export function periodEnd(range: Pick<ReportRange, 'fromMs' | 'toMs'>, nowMs: number): number {
  return Math.min(range.toMs, Math.max(range.fromMs, nowMs));
}

/**
 * Sites in service at the range's end: only they are judged for use. A site decommissioned before
 * it would read as one nobody uses (its last days in service, or none, over the whole range).
 */
function inServiceAtEnd(range: ReportRange) {
  return (b: { record: RegisteredSite | null }) => {
    const ms = b.record?.decommissionedMs ?? null;
    return ms === null || ms >= range.toMs;
  };
}

function heatmapOf(active: readonly (readonly number[])[] | null, slots: readonly (readonly number[])[]) {
  return slots.map((row, weekday) =>
    row.map((count, hour) => {
      if (count === 0) return null;
      const minutes = active?.[weekday]?.[hour] ?? 0;
      return active === null ? null : Math.round((1000 * minutes) / (count * 60)) / 10;
    }),
  );
}

function underusedEntry(
  report: Pick<SiteReport, 'siteId' | 'name' | 'kabupaten' | 'kecamatan'>,
  kind: UnderusedKind,
  condition: { detail: string; values: Readonly<Record<string, unknown>> },
  tally: Tally,
): UnderusedEntry {
  const onlinePct = tally.periodMinutes === 0 ? 0 : (100 * tally.onlineMinutes) / tally.periodMinutes;
  const onlineHours = tally.onlineMinutes / 60;
  return {
    siteId: report.siteId,
    name: report.name,
    kabupaten: report.kabupaten,
    kecamatan: report.kecamatan,
    kind,
    detail: condition.detail,
    onlinePct: Math.round(onlinePct * 10) / 10,
    clientMbPerOnlineHour:
      onlineHours === 0 ? 0 : Math.round(((tally.clientRxBytes + tally.clientTxBytes) / 1e6 / onlineHours) * 10) / 10,
    activePct: tally.onlineMinutes === 0 ? 0 : Math.round((1000 * tally.activeMinutes) / tally.onlineMinutes) / 10,
    clientsMax: tally.peakClients ?? 0,
  };
}
