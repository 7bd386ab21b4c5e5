/**
 * The shapes of the collector's HTTP API the dashboard reads (docs/dashboard.md, the API's
 * /openapi.json). Written out here rather than imported as zod schemas: the client stays a few tens
 * of kilobytes, and it trusts its own server; a field it does not know is ignored.
 */
import type { SiteState } from '../../http/overview/states.js';

export { type SiteState, siteStates as STATES } from '../../http/overview/states.js';
export const KINDS = ['offline', 'degraded', 'power_at_risk', 'underused', 'data_problem'] as const;
export type AlertKind = (typeof KINDS)[number];
export const GROUPS = ['village_office', 'school', 'health_post', 'other'] as const;

export interface Me {
  readonly user: string;
  readonly role: 'viewer' | 'admin';
  readonly csrfToken: string | null;
  readonly demo: boolean;
}

export interface SiteRow {
  readonly siteId: string;
  readonly name: string | null;
  readonly registered: boolean;
  readonly kabupatenCode: string | null;
  readonly kabupaten: string | null;
  readonly kecamatanCode: string | null;
  readonly kecamatan: string | null;
  readonly desa: string | null;
  readonly group: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly state: SiteState;
  readonly kinds: readonly string[];
  readonly cause: string | null;
  readonly sinceMs: number | null;
  readonly lastSeenMs: number | null;
  readonly batteryVolts: number | null;
  readonly rttMs: number | null;
  readonly clients24h: number | null;
  readonly down24hBytes: number | null;
  readonly up24hBytes: number | null;
  readonly needsAction: boolean;
}

export interface Area {
  readonly kabupatenCode: string;
  readonly kabupaten: string;
  readonly kecamatan: readonly { readonly code: string; readonly name: string }[];
}

export interface Overview {
  readonly generatedAtMs: number;
  readonly counts: Readonly<Record<SiteState | 'total', number>>;
  readonly areas: readonly Area[];
  readonly sites: readonly SiteRow[];
}

export interface Transition {
  readonly kind: string;
  readonly event: 'began' | 'ended' | 'cause_revised';
  readonly atMs: number;
  readonly sinceMs: number | null;
  readonly cause: string | null;
  readonly detail: string | null;
  readonly previousCause: string | null;
  readonly previousDetail: string | null;
}

export interface Alert {
  readonly key: string;
  readonly siteId: string;
  readonly siteName: string | null;
  readonly kind: string;
  readonly phase: string;
  readonly cause: string | null;
  readonly firstCause: string | null;
  readonly detail: string | null;
  readonly sinceMs: number;
  readonly flapping: boolean;
  readonly incidentId: string | null;
  readonly ackBy: string | null;
  readonly ackMs: number | null;
  readonly ackNote: string | null;
}

export interface SiteDetail {
  readonly site: SiteRow;
  readonly health: {
    readonly offline: {
      readonly onsetMs: number;
      readonly cause: string;
      readonly detail: string | null;
      readonly firstCause: string | null;
      readonly firstDetail: string | null;
      readonly source: string;
    } | null;
    readonly conditions: Readonly<
      Record<string, { readonly cause: string; readonly detail: string | null; readonly sinceMs: number }>
    >;
  } | null;
  readonly status: {
    readonly state: string;
    readonly reason: string | null;
    readonly agentVersion: string | null;
    readonly receivedMs: number;
  } | null;
  readonly last: { readonly atMs: number; readonly seq: number } | null;
  readonly alerts: readonly Alert[];
  readonly history: readonly Transition[];
}

type Column = readonly (number | null)[];
export interface Series {
  readonly grain: 'hour' | 'day';
  readonly t: readonly number[];
  readonly rttMsByRole: Readonly<Record<string, Column>>;
  readonly lossPct: Column;
  readonly downBytes: Column;
  readonly upBytes: Column;
  readonly clientsMax: Column;
  readonly activeMinutes: Column;
  readonly onlineMinutes: Column;
  readonly batteryMinVolts: Column;
  readonly batteryMaxVolts: Column;
  readonly solarWatts: Column;
  readonly throughput: readonly { readonly atMs: number; readonly downMbps: number; readonly upMbps: number }[];
}

export interface Completeness {
  readonly days: readonly {
    readonly day: string;
    readonly expected: number;
    readonly received: number;
    readonly missing: number;
  }[];
}

export interface Incident {
  readonly id: string;
  readonly kind: string;
  readonly scope: string;
  readonly areaCode: string | null;
  readonly areaName: string | null;
  readonly cause: string | null;
  readonly startsAtMs: number;
  readonly endsAtMs: number | null;
  readonly members: readonly { readonly siteId: string }[];
}

export interface Control {
  readonly id: string;
  readonly scope: Readonly<Record<string, string>>;
  readonly kinds?: readonly string[];
  readonly startsMs: number;
  readonly endsMs: number;
  readonly comment: string;
  readonly by: string;
}

export interface StateEvent {
  readonly siteId: string;
  readonly state: SiteState;
  readonly kinds: readonly string[];
  readonly cause: string | null;
  readonly sinceMs: number | null;
}
