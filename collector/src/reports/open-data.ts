import { MS_PER_DAY } from '@pantau/shared';
import { batteryWarnVolts } from '../health/power.js';
import { episodesReader, periodEnd, type ReportDeps, siteDays } from './build-report.js';
import type { ReportsConfig } from './config.js';
import { applyDowntime } from './downtime.js';
import { OPEN_DATA_COLUMNS, type OpenDataMetadata, openDataMetadata } from './open-data-columns.js';
import { localParts, type ReportRange } from './range.js';
import { csvLine } from './render-csv.js';
import { siteUseFromDays } from './site-use.js';
import { figuresOf } from './tally.js';

export interface OpenDataExport {
  /** The file names a regency publishes, and their contents. */
  readonly csvName: string;
  readonly csv: string;
  readonly metadataName: string;
  readonly metadata: OpenDataMetadata;
  readonly rows: number;
}

/**
 * Per registered site and local day: availability and use, with Kemendagri region codes, and a
 * metadata file describing every column (docs/reports.md). Only counts and sums: no client
 * device, address or traffic content is known to Pantau, and none is exported.
 */
export async function buildOpenDataExport(
  range: ReportRange,
  deps: ReportDeps,
  config: ReportsConfig['openData'],
): Promise<OpenDataExport> {
  const sites = await deps.registry.list();
  const records = new Map(sites.map((s) => [s.siteId, s]));
  const lines = [csvLine(OPEN_DATA_COLUMNS.map((c) => c.name))];
  let rows = 0;
  const episodesOf = episodesReader([...records.keys()], range, deps);
  for await (const { siteId, days } of siteDays([...records.keys()], range, deps)) {
    const site = records.get(siteId);
    if (site === undefined) continue;
    const episodes = await episodesOf(site.siteId);
    const byDay = new Map(days.map((d) => [d.dayMs, d]));
    const warnVolts = batteryWarnVolts(site.lowVoltageDisconnectVolts, deps.health.power);
    for (let d = 0; d < range.days; d++) {
      const fromMs = range.fromMs + d * MS_PER_DAY;
      const dayRange: ReportRange = { ...range, fromMs, toMs: fromMs + MS_PER_DAY, days: 1 };
      // A decommissioned site's days end with its decommission, as in the planner report.
      const endMs = Math.min(deps.nowMs, site.decommissionedMs ?? Number.POSITIVE_INFINITY);
      if (dayRange.fromMs >= endMs) break;
      const day = byDay.get(fromMs);
      const use = siteUseFromDays(site.siteId, day === undefined ? [] : [day], dayRange, warnVolts);
      if (!applyDowntime(use.tally, episodes, dayRange.fromMs, periodEnd(dayRange, endMs), deps.nowMs)) continue;
      const figures = figuresOf(use.tally);
      const date = localParts(fromMs, range.timeZone).date;
      lines.push(csvLine(OPEN_DATA_COLUMNS.map((c) => c.value(site, figures, date))));
      rows++;
    }
  }
  const base = `pantau-open-data-${range.fromDate}-${range.toDate}`;
  return {
    csvName: `${base}.csv`,
    csv: lines.join(''),
    metadataName: `${base}.json`,
    metadata: openDataMetadata(range, config, `${base}.csv`, rows, deps.nowMs),
    rows,
  };
}
