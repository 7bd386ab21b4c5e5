import type { SiteGroup } from '../health/config.js';
import type { ReportRange } from './range.js';

/** Where downtime was lost: the health history's offline causes, or `unclassified` without one. */
export const downtimeCauses = ['power', 'link', 'terminal', 'agent', 'planned', 'unknown', 'unclassified'] as const;
export type DowntimeCause = (typeof downtimeCauses)[number];

export type UnderusedKind = 'adoption' | 'availability';

/** The figures of one row: a site, a kecamatan, a kabupaten or the whole report (docs/reports.md). */
export interface ReportFigures {
  readonly sites: number;
  /** Share of the period online; null when nothing was ever heard. */
  readonly availabilityPct: number | null;
  readonly downtimeHours: number;
  readonly downtimeHoursByCause: Readonly<Record<DowntimeCause, number>>;
  /** Client traffic only (the agent's own excluded), 1 GB = 10^9 bytes. */
  readonly clientDownGb: number;
  readonly clientUpGb: number;
  /** Hours a day with client traffic, per site. */
  readonly activeHoursPerDay: number;
  /** Most client devices at once (in one sample interval). */
  readonly peakClients: number | null;
  readonly latencyP50Ms: number | null;
  readonly latencyP95Ms: number | null;
  readonly throughputTests: number;
  /** Medians of the tests' results. */
  readonly throughputDownMbps: number | null;
  readonly throughputUpMbps: number | null;
  /** Nights (local 18:00-06:00) with a battery reading under the site's warning level; null without readings. */
  readonly lowBatteryNights: number | null;
  /** Samples received / expected; null when none were expected. */
  readonly completenessPct: number | null;
  readonly underusedAdoption: number;
  readonly underusedAvailability: number;
}

export interface SiteReport {
  readonly siteId: string;
  readonly registered: boolean;
  /**
   * When the site was decommissioned, if it was: its period ends there, and it is not judged
   * underused (docs/reports.md). Null: in service.
   */
  readonly decommissionedMs: number | null;
  readonly name: string | null;
  readonly group: SiteGroup | null;
  readonly kabupatenCode: string | null;
  readonly kabupaten: string | null;
  readonly kecamatanCode: string | null;
  readonly kecamatan: string | null;
  readonly desaCode: string | null;
  readonly desa: string | null;
  /** `health_history` when the health history says why the site was down, else `rollups` (online minutes). */
  readonly availabilitySource: 'health_history' | 'rollups';
  /** The latency role the percentiles are of: `internet`, else `noc`, where the site measured one. */
  readonly latencyRole: string | null;
  readonly batteryWarnVolts: number;
  readonly underused: { readonly kind: UnderusedKind; readonly detail: string } | null;
  readonly figures: ReportFigures;
  /**
   * Use by local hour of day and day of week: `[weekday][hour]`, Monday first, the share (%) of
   * that hour's minutes with client traffic, averaged over the period's weeks; null: no such hour.
   */
  readonly heatmap: readonly (readonly (number | null)[])[];
}

export interface AreaReport {
  readonly level: 'kecamatan' | 'kabupaten';
  readonly code: string;
  readonly name: string;
  /** For a kecamatan, its kabupaten's code. */
  readonly parentCode: string | null;
  readonly figures: ReportFigures;
}

export interface UnderusedEntry {
  readonly siteId: string;
  readonly name: string | null;
  readonly kabupaten: string | null;
  readonly kecamatan: string | null;
  readonly kind: UnderusedKind;
  readonly detail: string;
  readonly onlinePct: number;
  readonly clientMbPerOnlineHour: number;
  readonly activePct: number;
  readonly clientsMax: number;
}

/** The planner report: pure data, rendered by `toCsv`, `toJson`, `toHtml` and `toPdf`. */
export interface PlannerReport {
  readonly v: 1;
  readonly generatedAtMs: number;
  readonly range: ReportRange;
  readonly filters: ReportFilters;
  readonly sites: readonly SiteReport[];
  readonly kecamatan: readonly AreaReport[];
  readonly kabupaten: readonly AreaReport[];
  readonly total: ReportFigures;
  /** Underused sites by kind: "online but unused" (adoption) and "unused because offline" (availability). */
  readonly underused: {
    readonly adoption: readonly UnderusedEntry[];
    readonly availability: readonly UnderusedEntry[];
  };
}

export interface ReportFilters {
  readonly kabupatenCode?: string | undefined;
}
