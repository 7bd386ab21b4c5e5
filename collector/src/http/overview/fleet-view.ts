import type { AlertRecord, IncidentRecord } from '../../alerts/alert-record.js';
import type { SiteHealth } from '../../health/site-state.js';
import type { SiteSummary } from '../../store/records.js';

/** A heard site's newest figures the overview shows: one narrow row per site. */
export interface FleetLatest {
  readonly siteId: string;
  readonly lastSeenMs: number;
  readonly batteryVolts: number | null;
  readonly rttInternetMs: number | null;
}

/**
 * What the dashboard reads (a store role): narrow reads, so the fleet's overview costs one small
 * query per table however many sites there are, and one site's view reads that site only.
 */
export interface FleetView {
  /** Alerts not resolved (with `includeResolved`, all of them). */
  fleetAlerts(includeResolved: boolean): Promise<AlertRecord[]>;
  /** Every heard site's last-seen time and latest battery and internet round trip. */
  fleetLatest(): Promise<FleetLatest[]>;
  /** Incidents not ended. */
  openIncidentList(): Promise<IncidentRecord[]>;
  /** One site's health state, summary (status, latest sample) and alerts; nulls when unknown. */
  siteView(siteId: string): Promise<{ health: SiteHealth | null; summary: SiteSummary | null; alerts: AlertRecord[] }>;
}
