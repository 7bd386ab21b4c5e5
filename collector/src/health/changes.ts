import type { AlertCause, AlertKind } from '@pantau/shared';

/** A site's condition of one kind began, ended, or changed its cause or figures. */
export interface ConditionChange {
  readonly type: 'condition';
  readonly siteId: string;
  readonly kind: AlertKind;
  readonly active: boolean;
  readonly atMs: number;
  /** When the condition began (an outage's estimated onset); for an ended one, when it began. */
  readonly sinceMs: number;
  readonly cause: AlertCause;
  readonly detail: string;
  readonly values: Readonly<Record<string, number | string>>;
  /** Why an ended condition ended, when not because it passed: the site was decommissioned. */
  readonly reason?: EndReason;
}

/** A condition ended by a registry change rather than by the site's data. */
export type EndReason = 'decommissioned';

/** Data that arrived later changed the likely cause of an outage (open or recently ended). */
export interface CauseRevision {
  readonly type: 'cause_revised';
  readonly siteId: string;
  readonly kind: 'offline';
  readonly episodeId: string;
  readonly atMs: number;
  readonly sinceMs: number;
  readonly endMs: number | null;
  readonly from: { readonly cause: AlertCause; readonly detail: string };
  readonly to: { readonly cause: AlertCause; readonly detail: string };
}

export type NocCause = 'collector_restart' | 'broker_connection_lost' | 'mass_disconnect' | 'mass_silence';

/** A fault at the NOC itself: sites' silences and wills meanwhile are not their own outages. */
export interface NocChange {
  readonly type: 'noc';
  readonly id: string;
  readonly cause: NocCause;
  readonly active: boolean;
  readonly atMs: number;
  readonly sinceMs: number;
  readonly values: Readonly<Record<string, number | string>>;
}

export type HealthChange = ConditionChange | CauseRevision | NocChange;
