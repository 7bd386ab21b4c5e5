import type { AlertCause, AlertKind, AlertSeverity } from '@pantau/shared';

/**
 * Where an alert is in its life: `pending` (the condition holds, the fire tolerance runs),
 * `firing`, `recovering` (the condition is gone, the resolve tolerance runs), `resolved`.
 */
export type AlertPhase = 'pending' | 'firing' | 'recovering' | 'resolved';

/** What was last told to the NOC about an alert (so a restart does not tell it again). */
export type Notified = 'none' | 'firing' | 'flapping' | 'resolved';

/** One site's alert of one kind; plain data, persisted on every change. */
export interface AlertRecord {
  readonly key: string;
  readonly siteId: string;
  readonly kind: AlertKind;
  phase: AlertPhase;
  /** The engine's condition now. */
  active: boolean;
  cause: AlertCause;
  detail: string;
  /** The cause first notified, when data revised it since. */
  firstCause: AlertCause | null;
  values: Record<string, number | string>;
  sinceMs: number;
  /** When the condition last began or ended (the tolerances count from here). */
  changedMs: number;
  endsAtMs: number | null;
  /** Times of recent changes of the condition, for flap detection. */
  changesMs: number[];
  flapping: boolean;
  notified: Notified;
  notifiedMs: number | null;
  /** The cause last told (Alertmanager knows the alert under labels that include it). */
  notifiedCause: AlertCause | null;
  /** State last published on the MQTT alert topic. */
  published: 'none' | 'firing' | 'resolved';
  incidentId: string | null;
  ackBy: string | null;
  ackMs: number | null;
  ackNote: string | null;
  /** Resolved by a registry change, not by the site's data (absent in records saved before). */
  endedBy?: 'decommissioned' | null;
}

export function alertKey(siteId: string, kind: AlertKind): string {
  return `${siteId}/${kind}`;
}

export function newAlertRecord(siteId: string, kind: AlertKind, atMs: number): AlertRecord {
  return {
    key: alertKey(siteId, kind),
    siteId,
    kind,
    phase: 'resolved',
    active: false,
    cause: 'unknown',
    detail: '',
    firstCause: null,
    values: {},
    sinceMs: atMs,
    changedMs: atMs,
    endsAtMs: null,
    changesMs: [],
    flapping: false,
    notified: 'none',
    notifiedMs: null,
    notifiedCause: null,
    published: 'none',
    incidentId: null,
    ackBy: null,
    ackMs: null,
    ackNote: null,
    endedBy: null,
  };
}

export function severityOf(kind: AlertKind, cause: AlertCause): AlertSeverity {
  switch (kind) {
    case 'offline':
      return cause === 'planned' ? 'info' : 'critical';
    case 'degraded':
    case 'power_at_risk':
      return 'warning';
    default:
      return 'info';
  }
}

/** A member of an area incident. */
export interface IncidentMember {
  readonly siteId: string;
  readonly sinceMs: number;
  recoveredAtMs: number | null;
  /** Its own alert was sent before the incident formed. */
  readonly notifiedAlone: boolean;
}

/** Many sites of one area down within minutes, or a fault at the NOC: one notification, not many. */
export interface IncidentRecord {
  readonly id: string;
  readonly kind: 'area_offline' | 'noc';
  readonly scope: 'kecamatan' | 'kabupaten' | 'noc';
  readonly areaCode: string | null;
  readonly areaName: string | null;
  cause: string;
  members: IncidentMember[];
  readonly startsAtMs: number;
  /** The latest member's onset: later onsets within the grouping window join. */
  lastOnsetMs: number;
  endsAtMs: number | null;
  values: Record<string, number | string>;
  notified: 'none' | 'firing' | 'resolved';
  /** Members when last notified (an update is sent when more join). */
  notifiedMembers: number;
}
